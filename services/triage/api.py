"""Triage's public face: a dispatcher's corrections of intake (并单, 拆单, 不予立案), and the routing replay of a
changed routing table over a center's past cases."""
from services.triage.domain.routing import RoutingError
from services.triage.handlers import merge, reject, split
from services.triage.replay import ReplayReport, load_rules, replay_center

__all__ = ["ReplayReport", "RoutingError", "load_rules", "merge", "reject", "replay_center", "split"]
