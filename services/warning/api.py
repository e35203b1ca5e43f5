"""The warnings' public face (监测预警 and 分析研判, CONTRACTS.md §7).

For other code (inside any unit of work): `raise_warning(uow, *, kind, level, region, title, evidence, cause,
case_ids=())` → the new `Warning`, or None when that cause already raised one (its cases and evidence are updated,
and its level raised if the new one is higher). For the composition root: the reaction `find_patterns` (hotspot,
trend, repeat_caller as cases arrive) and `use_caller_secret`. For the gateway: `find`, `get`, `act`,
`keep_from_below`, and the report (`analysis_report`, `analysis_html`).
"""
from services.warning.adapters.tables import Warning
from services.warning.analysis import html_report as analysis_html
from services.warning.analysis import period_bounds
from services.warning.analysis import report as analysis_report
from services.warning.domain.patterns import KINDS, LEVELS, RulesError, load_rules, storm_level
from services.warning.finder import find_patterns, rules
from services.warning.handlers import (
           ACTIONS,
           STATUSES,
           BadAction,
           WarningConflict,
           WarningPage,
           act,
           find,
           get,
           keep_from_below,
)
from services.warning.keys import use_caller_secret
from services.warning.records import EVENT, raise_warning, warning_id
from services.warning.requests import WarningActIn
from services.warning.tracks import TrackRejected, TracksIn
from services.warning.tracks import receive as receive_tracks

__all__ = ["ACTIONS", "EVENT", "KINDS", "LEVELS", "STATUSES", "BadAction", "RulesError", "Warning", "WarningConflict",
           "WarningActIn", "WarningPage", "act", "analysis_html", "analysis_report", "find", "find_patterns", "get",
           "keep_from_below", "load_rules", "period_bounds", "raise_warning", "receive_tracks", "rules", "storm_level",
           "TrackRejected", "TracksIn",
           "use_caller_secret", "warning_id"]
