"""Feedback's public face: closing and reopening, the 12345 visit (回访), the evaluation (行政问效) under a version of
the indicators, the ranking (红黑榜), and the reaction that owes the 12345 platform its updates."""
from services.feedback.domain.indicators import IndicatorRulesError, UnknownVersion
from services.feedback.handlers import close, evaluate, indicator_versions, rank, reopen
from services.feedback.hotline_updates import owe_updates as owe_hotline_updates
from services.feedback.visits import UnknownOrder, take_visit

__all__ = ["IndicatorRulesError", "UnknownOrder", "UnknownVersion", "close", "evaluate", "indicator_versions",
           "owe_hotline_updates", "rank", "reopen", "take_visit"]
