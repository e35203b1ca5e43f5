"""Feedback's public face: closing and reopening, the 12345 visit (回访), the evaluation (行政问效), and the
reaction that owes the 12345 platform its updates."""
from services.feedback.domain.indicators import INDICATORS
from services.feedback.handlers import close, evaluate, rank, reopen
from services.feedback.hotline_updates import owe_updates as owe_hotline_updates
from services.feedback.visits import UnknownOrder, take_visit

__all__ = ["INDICATORS", "UnknownOrder", "close", "evaluate", "owe_hotline_updates", "rank", "reopen", "take_visit"]
