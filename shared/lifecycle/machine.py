"""The case lifecycle: one pure state machine that every service consults.

    received ──triage──▶ triaged ──dispatch──▶ dispatched ──accept──▶ accepted ──resolve──▶ resolved
        │                  ▲  ▲                    │  │                   │                   │
        ├─▶ rejected       │  └──── return ────────┘  └─ transfer          │      verify ok ───┴─▶ verified ──close──▶ closed
        └─▶ merged         └──── escalate (parent center's triage) ────────┘      verify fails: rework → dispatched
                                                                                   reopen (重办): verified|closed → dispatched
    merged ──split──▶ received          a sensor's all-clear: received|triaged → rejected, dispatched|accepted → resolved
    resolved|verified|closed ──visit (12345 回访)──▶ the same status, with the citizen's satisfaction

`decide(state, command)` returns the events a command produces or raises `IllegalTransition` (409) or
`InvalidCommand` (422); it never changes anything. `evolve(state, event)` folds one event into a new
state. A refused command therefore leaves the case exactly as it was.
"""
from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Any

RECEIVED, TRIAGED, DISPATCHED, ACCEPTED = "received", "triaged", "dispatched", "accepted"
RESOLVED, VERIFIED, CLOSED, REJECTED, MERGED = "resolved", "verified", "closed", "rejected", "merged"
STATUSES = (RECEIVED, TRIAGED, DISPATCHED, ACCEPTED, RESOLVED, VERIFIED, CLOSED, REJECTED, MERGED)
FINAL = frozenset({CLOSED, REJECTED, MERGED})
OPEN = frozenset(STATUSES) - FINAL
WITH_UNIT = frozenset({DISPATCHED, ACCEPTED, RESOLVED, VERIFIED, CLOSED})
PRIORITIES = ("urgent", "high", "normal")
SATISFACTION = ("satisfied", "basically_satisfied", "dissatisfied")
MAX_SUPERVISION_LEVEL = 3  # 催办 → 督办 → 提级督办
MAX_EXTENSIONS = 3         # 12345 practice: at most three extensions


class IllegalTransition(Exception):
    """The command is not allowed in the case's current state (HTTP 409)."""

    def __init__(self, action: str, status: str, reason: str):
        self.action, self.status, self.reason = action, status, reason
        super().__init__(f"cannot {action} a case that is {status}: {reason}")


class InvalidCommand(ValueError):
    """The command itself is incomplete or inconsistent (HTTP 422)."""


@dataclass(frozen=True)
class CaseState:
    center: str
    status: str = RECEIVED
    category: str | None = None
    priority: str = "normal"
    unit: str | None = None
    assisting_units: tuple[str, ...] = ()
    return_count: int = 0
    rework_count: int = 0
    supervision_level: int = 0
    extension_count: int = 0
    extension_pending: bool = False
    merged_into: str | None = None
    satisfaction: str | None = None
    returned_by: tuple[str, ...] = ()


@dataclass(frozen=True)
class Event:
    """A domain event: what happened (past tense) and its facts."""

    type: str
    data: dict[str, Any] = field(default_factory=dict)


# ---- commands (imperative) -------------------------------------------------------------------

@dataclass(frozen=True)
class Triage:
    category: str
    priority: str
    unit: str | None
    rule: str
    reason: str = ""
    center: str | None = None  # set when the case is handed to another center (routed)
    assisting_units: tuple[str, ...] = ()  # joint handling (联合处置): units assisting the lead


@dataclass(frozen=True)
class Dispatch:
    unit: str
    assisting_units: tuple[str, ...] = ()
    team: str | None = None          # the unit's team sent on site (网格化自动派遣), its name and distance
    team_name: str | None = None
    distance_m: float | None = None
    note: str | None = None          # e.g. why no team was picked


@dataclass(frozen=True)
class Accept:
    note: str | None = None


@dataclass(frozen=True)
class Return:
    reason: str


@dataclass(frozen=True)
class Transfer:
    unit: str
    reason: str | None = None


@dataclass(frozen=True)
class Escalate:
    reason: str
    to_center: str | None  # the parent center; None at the top of the chain


@dataclass(frozen=True)
class Resolve:
    note: str
    media: tuple[str, ...] = ()


@dataclass(frozen=True)
class Verify:
    passed: bool
    note: str | None = None
    media: tuple[str, ...] = ()


@dataclass(frozen=True)
class RequestExtension:
    reason: str
    hours: float | None = None
    working_days: int | None = None


@dataclass(frozen=True)
class DecideExtension:
    approved: bool
    note: str | None = None


@dataclass(frozen=True)
class Supervise:
    note: str | None = None


@dataclass(frozen=True)
class Reopen:
    reason: str


@dataclass(frozen=True)
class Merge:
    into: str
    case_id: str
    note: str | None = None


@dataclass(frozen=True)
class Split:
    """Undo a merge (拆单): the case leaves the case it was merged into and is triaged on its own."""

    reason: str


@dataclass(frozen=True)
class Clear:
    """A sensor's all-clear: the condition that opened the case is gone."""

    note: str


@dataclass(frozen=True)
class Visit:
    """The citizen's answer to the 12345 satisfaction visit (回访): resolved and satisfaction, recorded apart."""

    resolved: bool
    satisfaction: str
    comment: str | None = None


@dataclass(frozen=True)
class Reject:
    reason: str


@dataclass(frozen=True)
class Close:
    note: str | None = None


@dataclass(frozen=True)
class Warn:
    """A supervision warning on an open case: `due_soon` or `overdue` for one stage."""

    kind: str
    stage: str


Command = (Triage | Dispatch | Accept | Return | Transfer | Escalate | Resolve | Verify | RequestExtension
           | DecideExtension | Supervise | Reopen | Merge | Split | Clear | Visit | Reject | Close | Warn)

# Which statuses each command may start from: the transition table, readable at a glance.
ALLOWED: dict[type, frozenset[str]] = {
    Triage: frozenset({RECEIVED, TRIAGED}),
    Dispatch: frozenset({TRIAGED}),
    Accept: frozenset({DISPATCHED}),
    Return: frozenset({DISPATCHED, ACCEPTED}),
    Transfer: frozenset({DISPATCHED, ACCEPTED}),
    Escalate: frozenset({TRIAGED, DISPATCHED, ACCEPTED}),
    Resolve: frozenset({ACCEPTED}),
    Verify: frozenset({RESOLVED}),
    RequestExtension: frozenset({DISPATCHED, ACCEPTED}),
    DecideExtension: frozenset({DISPATCHED, ACCEPTED}),
    Supervise: OPEN,
    Reopen: frozenset({VERIFIED, CLOSED}),
    Merge: frozenset({RECEIVED, TRIAGED}),
    Split: frozenset({MERGED}),
    Clear: frozenset({RECEIVED, TRIAGED, DISPATCHED, ACCEPTED}),
    Visit: frozenset({RESOLVED, VERIFIED, CLOSED}),
    Reject: frozenset({RECEIVED, TRIAGED}),
    Close: frozenset({VERIFIED}),
    Warn: OPEN,
}

# The HTTP action names of CONTRACTS.md §2 and the command each one means.
ACTIONS: dict[str, type] = {
    "accept": Accept, "return": Return, "transfer": Transfer, "escalate": Escalate,
    "resolve": Resolve, "verify": Verify, "extend": RequestExtension,
    "decide-extension": DecideExtension, "supervise": Supervise, "reopen": Reopen,
    "merge": Merge, "split": Split, "reject": Reject, "close": Close,
}
ACTION_OF: dict[type, str] = {v: k for k, v in ACTIONS.items()} | {
    Triage: "triage", Dispatch: "dispatch", Warn: "warn", Clear: "clear", Visit: "visit"}


def _required(text: str | None, what: str) -> str:
    if text is None or not str(text).strip():
        raise InvalidCommand(f"{what} is required")
    return str(text).strip()


def decide(state: CaseState, cmd: Command) -> list[Event]:
    """The events `cmd` produces on `state`, or an exception; never a change."""
    action = ACTION_OF[type(cmd)]
    if state.status not in ALLOWED[type(cmd)]:
        raise IllegalTransition(action, state.status, _why_not(state, cmd))

    match cmd:
        case Triage():
            if cmd.priority not in PRIORITIES:
                raise InvalidCommand(f"priority must be one of {', '.join(PRIORITIES)}")
            if state.status == TRIAGED and state.unit is not None:
                raise IllegalTransition(action, state.status, "it is already routed to a unit; return it first")
            if cmd.center and cmd.center != state.center:
                return [Event("routed", {"from_center": state.center, "to_center": cmd.center,
                                         "category": cmd.category, "priority": cmd.priority,
                                         "rule": cmd.rule, "reason": cmd.reason})]
            if cmd.unit is None:
                raise InvalidCommand("a triage that keeps the case here must name a unit")
            if cmd.unit in cmd.assisting_units:
                raise InvalidCommand("the lead unit cannot also assist")
            return [Event("triaged", {"category": cmd.category, "priority": cmd.priority, "unit": cmd.unit,
                                      "assisting_units": list(cmd.assisting_units), "rule": cmd.rule,
                                      "reason": cmd.reason})]
        case Dispatch():
            _required(cmd.unit, "unit")
            if cmd.unit in cmd.assisting_units:
                raise InvalidCommand("the lead unit cannot also assist")
            data: dict[str, Any] = {"unit": cmd.unit, "assisting_units": list(cmd.assisting_units)}
            if cmd.team:
                data.update(team=cmd.team, team_name=cmd.team_name, distance_m=cmd.distance_m)
            if cmd.note:
                data["note"] = cmd.note
            return [Event("dispatched", data)]
        case Accept():
            return [Event("accepted", {"unit": state.unit, "note": cmd.note})]
        case Return():
            return [Event("returned", {"unit": state.unit, "reason": _required(cmd.reason, "reason")})]
        case Transfer():
            _required(cmd.unit, "unit")
            if cmd.unit == state.unit:
                raise InvalidCommand("the case is already with that unit")
            return [Event("transferred", {"from_unit": state.unit, "unit": cmd.unit, "reason": cmd.reason})]
        case Escalate():
            reason = _required(cmd.reason, "reason")
            if cmd.to_center is None:
                raise IllegalTransition(action, state.status, "this center is the top of the chain; there is no parent to escalate to")
            return [Event("escalated", {"from_center": state.center, "to_center": cmd.to_center,
                                        "unit": state.unit, "reason": reason})]
        case Resolve():
            return [Event("resolved", {"unit": state.unit, "note": _required(cmd.note, "note"),
                                       "media": list(cmd.media)})]
        case Verify():
            if cmd.passed:
                return [Event("verified", {"passed": True, "unit": state.unit, "note": cmd.note,
                                           "media": list(cmd.media)})]
            return [Event("verified", {"passed": False, "unit": state.unit, "note": cmd.note,
                                       "media": list(cmd.media)}),
                    Event("reworked", {"unit": state.unit, "rework_count": state.rework_count + 1,
                                       "note": cmd.note})]
        case RequestExtension():
            reason = _required(cmd.reason, "reason")
            if (cmd.hours is None) == (cmd.working_days is None):
                raise InvalidCommand("give either hours or working_days")
            if (cmd.hours is not None and not 0 < cmd.hours <= 240) or (
                    cmd.working_days is not None and not 0 < cmd.working_days <= 30):
                raise InvalidCommand("an extension is 0–240 hours or 1–30 working days")
            if state.extension_pending:
                raise IllegalTransition(action, state.status, "an extension request is already waiting for a decision")
            if state.extension_count >= MAX_EXTENSIONS:
                raise IllegalTransition(action, state.status, f"the case already had {MAX_EXTENSIONS} extensions")
            return [Event("extension_requested", {"unit": state.unit, "reason": reason, "hours": cmd.hours,
                                                  "working_days": cmd.working_days})]
        case DecideExtension():
            if not state.extension_pending:
                raise IllegalTransition(action, state.status, "no extension request is waiting")
            return [Event("extension_decided", {"approved": cmd.approved, "unit": state.unit, "note": cmd.note})]
        case Supervise():
            if state.supervision_level >= MAX_SUPERVISION_LEVEL:
                raise IllegalTransition(action, state.status, "the case is already at the highest supervision level")
            return [Event("supervised", {"level": state.supervision_level + 1, "unit": state.unit, "note": cmd.note})]
        case Reopen():
            return [Event("reopened", {"unit": state.unit, "reason": _required(cmd.reason, "reason"),
                                       "rework_count": state.rework_count + 1})]
        case Merge():
            into = _required(cmd.into, "into")
            if into == cmd.case_id:
                raise InvalidCommand("a case cannot be merged into itself")
            return [Event("merged", {"into": into, "note": cmd.note})]
        case Split():
            return [Event("split", {"from": state.merged_into, "reason": _required(cmd.reason, "reason")})]
        case Clear():
            note = _required(cmd.note, "note")
            if state.status in (RECEIVED, TRIAGED):
                return [Event("rejected", {"reason": note, "all_clear": True})]
            return [Event("resolved", {"unit": state.unit, "note": note, "media": [], "all_clear": True})]
        case Visit():
            if cmd.satisfaction not in SATISFACTION:
                raise InvalidCommand(f"satisfaction must be one of {', '.join(SATISFACTION)}")
            return [Event("visited", {"resolved": bool(cmd.resolved), "satisfaction": cmd.satisfaction,
                                      "comment": cmd.comment, "unit": state.unit})]
        case Reject():
            return [Event("rejected", {"reason": _required(cmd.reason, "reason")})]
        case Close():
            return [Event("closed", {"unit": state.unit, "note": cmd.note})]
        case Warn():
            if cmd.kind not in ("due_soon", "overdue"):
                raise InvalidCommand("a warning is due_soon or overdue")
            return [Event(cmd.kind, {"stage": cmd.stage, "unit": state.unit})]
    raise InvalidCommand(f"unknown command {cmd!r}")  # pragma: no cover


def _why_not(state: CaseState, cmd: Command) -> str:
    if state.status == MERGED:
        return f"it was merged into {state.merged_into}"
    if state.status in (CLOSED, REJECTED) and not isinstance(cmd, Reopen):
        return "it is finished"
    allowed = sorted(ALLOWED[type(cmd)], key=STATUSES.index)
    return "allowed only when the case is " + " or ".join(allowed)


def evolve(state: CaseState, event: Event) -> CaseState:
    """The state after one event. Unknown event types leave the state as it is."""
    d = event.data
    match event.type:
        case "routed":
            return replace(state, status=RECEIVED, center=d["to_center"], category=d["category"],
                           priority=d["priority"], unit=None, assisting_units=())
        case "triaged":
            return replace(state, status=TRIAGED, category=d["category"], priority=d["priority"], unit=d["unit"],
                           assisting_units=tuple(d.get("assisting_units", ())))
        case "dispatched":
            return replace(state, status=DISPATCHED, unit=d["unit"],
                           assisting_units=tuple(d.get("assisting_units", ())))
        case "accepted":
            return replace(state, status=ACCEPTED)
        case "returned":
            return replace(state, status=TRIAGED, unit=None, assisting_units=(),
                           return_count=state.return_count + 1, extension_pending=False,
                           returned_by=state.returned_by + ((d["unit"],) if d.get("unit") else ()))
        case "transferred":
            return replace(state, status=DISPATCHED, unit=d["unit"], extension_pending=False)
        case "escalated":
            return replace(state, status=RECEIVED, center=d["to_center"], unit=None, assisting_units=(),
                           extension_pending=False)
        case "resolved":
            return replace(state, status=RESOLVED, extension_pending=False)  # a waiting request lapses
        case "verified":
            return replace(state, status=VERIFIED) if d["passed"] else state
        case "reworked":
            return replace(state, status=DISPATCHED, rework_count=state.rework_count + 1)
        case "extension_requested":
            return replace(state, extension_pending=True)
        case "extension_decided":
            return replace(state, extension_pending=False,
                           extension_count=state.extension_count + (1 if d["approved"] else 0))
        case "supervised":
            return replace(state, supervision_level=d["level"])
        case "reopened":
            return replace(state, status=DISPATCHED, rework_count=state.rework_count + 1, satisfaction=None)
        case "merged":
            return replace(state, status=MERGED, merged_into=d["into"])
        case "split":
            return replace(state, status=RECEIVED, merged_into=None, unit=None, assisting_units=())
        case "visited":
            return replace(state, satisfaction=d["satisfaction"])
        case "rejected":
            return replace(state, status=REJECTED)
        case "closed":
            return replace(state, status=CLOSED, extension_pending=False)
    return state


def apply(state: CaseState, cmd: Command) -> tuple[CaseState, list[Event]]:
    """decide + evolve: the new state and the events that lead to it."""
    events = decide(state, cmd)
    for event in events:
        state = evolve(state, event)
    return state, events


def check_invariants(state: CaseState) -> list[str]:
    """Everything a consistent case satisfies; returns the violations (empty when consistent)."""
    problems = []
    if state.status not in STATUSES:
        problems.append(f"unknown status {state.status}")
    if state.status in WITH_UNIT and not state.unit:
        problems.append(f"{state.status} case without a unit")
    if state.status == RECEIVED and state.unit is not None:
        problems.append("received case with a unit")
    if (state.status == MERGED) != (state.merged_into is not None):
        problems.append("merged_into set iff merged")
    if state.priority not in PRIORITIES:
        problems.append(f"unknown priority {state.priority}")
    if not 0 <= state.supervision_level <= MAX_SUPERVISION_LEVEL:
        problems.append("supervision level out of range")
    if not 0 <= state.extension_count <= MAX_EXTENSIONS:
        problems.append("extension count out of range")
    if state.extension_pending and state.status not in (DISPATCHED, ACCEPTED):
        problems.append(f"extension pending on a {state.status} case")
    if state.return_count < 0 or state.rework_count < 0:
        problems.append("negative counter")
    if len(state.returned_by) != state.return_count:
        problems.append("returned_by does not match return_count")
    if state.unit is not None and state.unit in state.assisting_units:
        problems.append("lead unit also assisting")
    return problems
