"""The case lifecycle: one pure state machine that every service consults.

    received ──triage──▶ triaged ──dispatch──▶ dispatched ──accept──▶ accepted ──resolve──▶ resolved
        │                  ▲  ▲                    │  │                   │                   │
        ├─▶ rejected       │  └──── return ────────┘  └─ transfer          │      verify ok ───┴─▶ verified ──close──▶ closed
        └─▶ merged         └──── escalate (parent center's triage) ────────┘      verify fails: rework → dispatched
                                                                                   reopen (重办): verified|closed → dispatched
    merged ──split──▶ received          a sensor's all-clear: received|triaged → rejected, dispatched|accepted → resolved
    resolved|verified|closed ──visit (12345 回访)──▶ the same status, with the citizen's satisfaction
    received|triaged|dispatched ──void (作废)──▶ voided

Overlays of issue 11 items 5-6 (the rules' numbers are data: services/dispatch/data/workflow.toml):
- 退单 under review: `return` (within the sign-for window, with a reason code and its basis) leaves the case at the
  unit with `return_pending`; `review-return` approved → triaged (routed again, the return counted), refused → the
  unit keeps it as 首办责任单位 (no second return).
- 挂账/缓办: `suspend` → `suspension` "requested"; `decide-suspension` approved → "suspended" (the clocks pause);
  `resume` (or the unit's next accept/resolve, or supervision at `until`) ends it.
- 立案审核: `request-registration` (dispatch, when the rules ask for it) holds a triaged case until `register`.

Joint handling (联合处置, issue 11 item 4): `joint` (or a township's `whistle`, 街道吹哨) gives each assisting unit a
sub-task (`joint_opened`); an assisting unit acts on its own sub-task only (`TaskAction`: task_accepted, task_returned,
task_resolved); the lead acts on the case as before and resolves it last: `resolve` is refused while a sub-task is
open. The sub-tasks' own states are a fold of the timeline (shared/lifecycle/tasks.py); the case's status stays one of
STATUSES.

`decide(state, command)` returns the events a command produces or raises `IllegalTransition` (409) or
`InvalidCommand` (422); it never changes anything. `evolve(state, event)` folds one event into a new
state. A refused command therefore leaves the case exactly as it was.
"""
from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import datetime
from typing import Any

RECEIVED, TRIAGED, DISPATCHED, ACCEPTED = "received", "triaged", "dispatched", "accepted"
RESOLVED, VERIFIED, CLOSED, REJECTED, MERGED = "resolved", "verified", "closed", "rejected", "merged"
VOIDED = "voided"  # 作废: an invalid case a dispatcher ended before any unit signed for it
STATUSES = (RECEIVED, TRIAGED, DISPATCHED, ACCEPTED, RESOLVED, VERIFIED, CLOSED, REJECTED, MERGED, VOIDED)
FINAL = frozenset({CLOSED, REJECTED, MERGED, VOIDED})
OPEN = frozenset(STATUSES) - FINAL
WITH_UNIT = frozenset({DISPATCHED, ACCEPTED, RESOLVED, VERIFIED, CLOSED})
PRIORITIES = ("urgent", "high", "normal")
SATISFACTION = ("satisfied", "basically_satisfied", "dissatisfied")
MAX_SUPERVISION_LEVEL = 3  # 催办 → 督办 → 提级督办
MAX_EXTENSIONS = 3         # 12345 practice: at most three extensions (the default; the rules' data may say otherwise)
SUSPENSION_REQUESTED, SUSPENDED = "requested", "suspended"


class IllegalTransition(Exception):
    """The command is not allowed in the case's current state (HTTP 409)."""

    def __init__(self, action: str, status: str, reason: str):
        self.action, self.status, self.reason = action, status, reason
        super().__init__(f"cannot {action} a case that is {status}: {reason}")


class InvalidCommand(ValueError):
    """The command itself is incomplete or inconsistent (HTTP 422)."""


@dataclass(frozen=True)
class ExtensionLimit:
    """How much more time a unit may ask for (延期), from the rules' data: at most `max_count` extensions, each at
    most `max_working_days` working days or `max_hours` hours. `name` says where the limit comes from."""

    max_count: int = MAX_EXTENSIONS
    max_working_days: float = 3
    max_hours: float = 72
    name: str = "default"


DEFAULT_EXTENSION_LIMIT = ExtensionLimit()


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
    return_pending: str | None = None        # a return waiting for review (review-return): its reason code
    suspension: str | None = None            # 挂账/缓办: None, "requested" or "suspended"
    suspended_until: datetime | None = None  # when a suspension ends by itself (asked with the request)
    registration_pending: bool = False       # 立案审核: waiting for a dispatcher's approval before dispatch


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
    """退单. `reason_code` (its name, `reason_name`) from the rules' data and the `basis` (权责清单 clause) are
    checked by dispatch against the data; the machine refuses a return after `window_ends_at` (at `at`), and one by
    a unit whose earlier return the center refused (`kept`: it is the 首办责任单位)."""

    reason: str
    reason_code: str | None = None
    basis: str | None = None
    reason_name: str | None = None
    window_ends_at: datetime | None = None
    at: datetime | None = None
    kept: bool = False


@dataclass(frozen=True)
class ReviewReturn:
    """The dispatching center's review of a return: approved → routed again; refused → the unit keeps it."""

    approved: bool
    note: str | None = None


@dataclass(frozen=True)
class Suspend:
    """挂账/缓办: the unit asks to pause the case (until `until`, or until resumed)."""

    reason: str
    until: datetime | None = None


@dataclass(frozen=True)
class DecideSuspension:
    approved: bool
    note: str | None = None


@dataclass(frozen=True)
class Resume:
    """The end of a suspension: by hand, or by supervision when its `until` comes (`auto`)."""

    note: str | None = None
    auto: bool = False


@dataclass(frozen=True)
class Void:
    """作废: an invalid case (a test message, a prank) ended by a dispatcher before a unit signed for it."""

    reason: str


@dataclass(frozen=True)
class RequestRegistration:
    """立案审核: the rules want a dispatcher to approve this case before it is dispatched (`rule` says which)."""

    rule: str
    reason: str | None = None


@dataclass(frozen=True)
class Register:
    """The dispatcher's 立案审核: approved → dispatched; refused → not taken (rejected, with the reason)."""

    approved: bool
    reason: str | None = None
    note: str | None = None


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
    """办结 by the lead unit. `waiting_for`: the assisting units whose sub-tasks (联合处置) are still open — the lead
    resolves the case last, once every sub-task is resolved or returned (dispatch fills it in)."""

    note: str
    media: tuple[str, ...] = ()
    evidence: tuple[dict[str, Any], ...] = ()  # per photo, checked by media against the rules (issue 11 item 7)
    waiting_for: tuple[str, ...] = ()          # 联合处置: the assisting units whose sub-tasks are still open


@dataclass(frozen=True)
class TaskSpec:
    """One sub-task of joint handling as named: its unit, role (lead | assisting) and its own sign and resolve
    deadlines (the category's clocks on the unit's working hours, from when it is named)."""

    unit: str
    role: str
    sign_due: datetime | None = None
    resolve_due: datetime | None = None

    def as_data(self) -> dict[str, Any]:
        return {"unit": self.unit, "role": self.role,
                "sign_due": self.sign_due.isoformat() if self.sign_due else None,
                "resolve_due": self.resolve_due.isoformat() if self.resolve_due else None}


@dataclass(frozen=True)
class OpenJoint:
    """联合处置: the dispatcher names the lead (主办) and assisting units (协办); each assisting unit gets a sub-task.
    A lead other than the unit holding the case is a transfer first. `open_tasks`: the assisting units whose
    sub-tasks are already open (named again, they keep theirs)."""

    lead: str
    assisting: tuple[str, ...]
    tasks: tuple[TaskSpec, ...] = ()
    reason: str | None = None
    open_tasks: tuple[str, ...] = ()


@dataclass(frozen=True)
class Whistle:
    """街道吹哨, 部门报到: a township center summons departments (of any tier) to the case as a joint handling, the
    unit holding it leading."""

    units: tuple[str, ...]
    reason: str
    tasks: tuple[TaskSpec, ...] = ()
    open_tasks: tuple[str, ...] = ()


TASK_ACTIONS = ("accept", "return", "resolve")
TASK_DISPATCHED, TASK_ACCEPTED, TASK_RESOLVED, TASK_RETURNED = "dispatched", "accepted", "resolved", "returned"


@dataclass(frozen=True)
class TaskAction:
    """An assisting unit's act on its own sub-task: `accept` (签收), `return` (退回, within the return window of the
    sub-task, with a reason code and basis like a case's return) or `resolve` (办结 of its part). `task_status` is the
    sub-task's status now (None: the unit has no sub-task on the case)."""

    unit: str
    action: str
    task_status: str | None
    note: str | None = None
    reason: str | None = None
    reason_code: str | None = None
    reason_name: str | None = None
    basis: str | None = None
    media: tuple[str, ...] = ()
    window_ends_at: datetime | None = None
    at: datetime | None = None


@dataclass(frozen=True)
class Verify:
    passed: bool
    note: str | None = None
    media: tuple[str, ...] = ()


@dataclass(frozen=True)
class RequestExtension:
    reason: str
    hours: float | None = None
    working_days: float | None = None
    limit: ExtensionLimit = DEFAULT_EXTENSION_LIMIT


@dataclass(frozen=True)
class DecideExtension:
    approved: bool
    note: str | None = None


@dataclass(frozen=True)
class Supervise:
    """督办. By hand: the next level. A step of an escalation chain (supervision's data) names its `level`, may
    repeat one already reached, and carries what the notification concern needs: `step` (催办|督办|挂牌督办|提级),
    `stage`, `notify`, `channel`, and `supervisor` — the center that supervises the case from now on (提级)."""

    note: str | None = None
    level: int | None = None
    step: str | None = None
    stage: str | None = None
    notify: tuple[str, ...] = ()
    channel: tuple[str, ...] = ()
    supervisor: str | None = None


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
           | DecideExtension | Supervise | Reopen | Merge | Split | Clear | Visit | Reject | Close | Warn
           | ReviewReturn | Suspend | DecideSuspension | Resume | Void | RequestRegistration | Register
           | OpenJoint | Whistle | TaskAction)

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
    ReviewReturn: frozenset({DISPATCHED, ACCEPTED}),
    Suspend: frozenset({DISPATCHED, ACCEPTED}),
    DecideSuspension: frozenset({DISPATCHED, ACCEPTED}),
    Resume: frozenset({DISPATCHED, ACCEPTED}),
    Void: frozenset({RECEIVED, TRIAGED, DISPATCHED}),
    RequestRegistration: frozenset({TRIAGED}),
    Register: frozenset({TRIAGED}),
    OpenJoint: frozenset({DISPATCHED, ACCEPTED}),
    Whistle: frozenset({DISPATCHED, ACCEPTED}),
    TaskAction: frozenset({DISPATCHED, ACCEPTED}),
}

# The HTTP action names of CONTRACTS.md §2 and the command each one means.
ACTIONS: dict[str, type] = {
    "accept": Accept, "return": Return, "transfer": Transfer, "escalate": Escalate,
    "resolve": Resolve, "verify": Verify, "extend": RequestExtension,
    "decide-extension": DecideExtension, "supervise": Supervise, "reopen": Reopen,
    "merge": Merge, "split": Split, "reject": Reject, "close": Close,
    "review-return": ReviewReturn, "suspend": Suspend, "decide-suspension": DecideSuspension, "resume": Resume,
    "void": Void, "register": Register, "joint": OpenJoint, "whistle": Whistle,
}
ACTION_OF: dict[type, str] = {v: k for k, v in ACTIONS.items()} | {
    Triage: "triage", Dispatch: "dispatch", Warn: "warn", Clear: "clear", Visit: "visit",
    RequestRegistration: "request-registration", TaskAction: "task"}
# While a return waits for review, the unit's work and the center's other moves wait too.
HELD_BY_RETURN = (Accept, Return, Transfer, Escalate, Resolve, RequestExtension, Suspend, DecideSuspension, Resume)
# A suspended case resumes by itself when the unit (or the center) does one of these; the rest wait for `resume`.
RESUMING = (Accept, Resolve, Transfer, Escalate)
HELD_BY_SUSPENSION = (Return, RequestExtension, Suspend)


def _required(text: str | None, what: str) -> str:
    if text is None or not str(text).strip():
        raise InvalidCommand(f"{what} is required")
    return str(text).strip()


def decide(state: CaseState, cmd: Command) -> list[Event]:
    """The events `cmd` produces on `state`, or an exception; never a change."""
    action = ACTION_OF[type(cmd)]
    if state.status not in ALLOWED[type(cmd)]:
        raise IllegalTransition(action, state.status, _why_not(state, cmd))
    if state.return_pending and isinstance(cmd, HELD_BY_RETURN):
        raise IllegalTransition(action, state.status, "a return (退单) is waiting for the dispatching center's "
                                                      "review (review-return)")
    if state.suspension == SUSPENDED and isinstance(cmd, HELD_BY_SUSPENSION):
        raise IllegalTransition(action, state.status, "the case is suspended (挂账); resume it first")
    if state.suspension == SUSPENDED and isinstance(cmd, RESUMING):
        resumed = Event("resumed", {"unit": state.unit, "note": f"resumed by {action}", "auto": False})
        return [resumed, *decide(evolve(state, resumed), cmd)]
    return _decide(state, cmd, action)


def _decide(state: CaseState, cmd: Command, action: str) -> list[Event]:
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
            if state.registration_pending:
                raise IllegalTransition(action, state.status, "it waits for 立案审核 (register) before dispatch")
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
            reason = _required(cmd.reason, "reason")
            if cmd.kept:
                raise IllegalTransition(action, state.status, f"the center refused {state.unit}'s return: it keeps "
                                                              "the case as 首办责任单位")
            if cmd.window_ends_at is not None and cmd.at is not None and cmd.at > cmd.window_ends_at:
                raise IllegalTransition(action, state.status, "the return window (退单时限) ended at "
                                                              f"{cmd.window_ends_at.isoformat()}")
            return [Event("returned", {"unit": state.unit, "reason": reason, "reason_code": cmd.reason_code,
                                       "reason_name": cmd.reason_name, "basis": cmd.basis})]
        case ReviewReturn():
            if not state.return_pending:
                raise IllegalTransition(action, state.status, "no return is waiting for review")
            return [Event("return_reviewed", {"approved": cmd.approved, "reason_code": state.return_pending,
                                              "unit": state.unit, "dispatching_center": state.center,
                                              "note": cmd.note})]
        case Suspend():
            reason = _required(cmd.reason, "reason")
            if state.suspension == SUSPENSION_REQUESTED:
                raise IllegalTransition(action, state.status, "a suspension request is already waiting for a decision")
            return [Event("suspension_requested", {"unit": state.unit, "reason": reason,
                                                   "until": cmd.until.isoformat() if cmd.until else None})]
        case DecideSuspension():
            if state.suspension != SUSPENSION_REQUESTED:
                raise IllegalTransition(action, state.status, "no suspension request is waiting")
            until = state.suspended_until.isoformat() if state.suspended_until else None
            return [Event("suspension_decided", {"approved": cmd.approved, "until": until if cmd.approved else None,
                                                 "unit": state.unit, "note": cmd.note})]
        case Resume():
            if state.suspension != SUSPENDED:
                raise IllegalTransition(action, state.status, "the case is not suspended")
            data = {"unit": state.unit, "note": cmd.note, "auto": cmd.auto}
            if cmd.auto and state.suspended_until is not None:  # the suspension ended at its `until`
                data["until"] = state.suspended_until.isoformat()
            return [Event("resumed", data)]
        case Void():
            return [Event("voided", {"unit": state.unit, "reason": _required(cmd.reason, "reason")})]
        case RequestRegistration():
            if state.registration_pending:
                raise IllegalTransition(action, state.status, "it already waits for 立案审核")
            return [Event("registration_requested", {"unit": state.unit, "rule": _required(cmd.rule, "rule"),
                                                     "reason": cmd.reason})]
        case Register():
            if not state.registration_pending:
                raise IllegalTransition(action, state.status, "no 立案审核 is waiting")
            if cmd.approved:
                return [Event("registered", {"unit": state.unit, "note": cmd.note})]
            reason = _required(cmd.reason, "reason (why the case is not taken)")
            return [Event("rejected", {"reason": reason, "registration": True})]
        case OpenJoint():
            lead = _required(cmd.lead, "lead")
            first: list[Event] = []
            if lead != state.unit:  # a new lead: the case is transferred to it first
                first = decide(state, Transfer(lead, cmd.reason or "联合处置: 主办单位"))
                state = evolve(state, first[-1])
            return first + [_joint(state, lead, cmd.assisting, cmd.tasks, cmd.open_tasks, cmd.reason, False)]
        case Whistle():
            reason = _required(cmd.reason, "reason")
            if state.unit is None:  # pragma: no cover - a dispatched or accepted case has a unit
                raise IllegalTransition(action, state.status, "the case has no lead unit")
            joint = _joint(state, state.unit, cmd.units, cmd.tasks, cmd.open_tasks, reason, True)
            summoned = [t["unit"] for t in joint.data["tasks"] if t["role"] == "assisting"]
            return [Event("whistled", {"unit": state.unit, "units": summoned, "reason": reason}), joint]
        case TaskAction():
            return [_task_event(state, cmd)]
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
            if cmd.waiting_for:
                raise IllegalTransition(action, state.status, "the assisting units' sub-tasks (联合处置) are not all "
                                        "resolved yet: waiting for " + ", ".join(cmd.waiting_for))
            return [Event("resolved", {"unit": state.unit, "note": _required(cmd.note, "note"),
                                       "media": list(cmd.media), "evidence": list(cmd.evidence)})]
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
            if state.extension_pending:
                raise IllegalTransition(action, state.status, "an extension request is already waiting for a decision")
            check_extension(state.extension_count, cmd.hours, cmd.working_days, cmd.limit)
            return [Event("extension_requested", {"unit": state.unit, "reason": reason, "hours": cmd.hours,
                                                  "working_days": cmd.working_days})]
        case DecideExtension():
            if not state.extension_pending:
                raise IllegalTransition(action, state.status, "no extension request is waiting")
            return [Event("extension_decided", {"approved": cmd.approved, "unit": state.unit, "note": cmd.note})]
        case Supervise():
            if cmd.level is None and state.supervision_level >= MAX_SUPERVISION_LEVEL:
                raise IllegalTransition(action, state.status, "the case is already at the highest supervision level")
            level = state.supervision_level + 1 if cmd.level is None else min(max(cmd.level, 1), MAX_SUPERVISION_LEVEL)
            extra = {"step": cmd.step, "stage": cmd.stage, "notify": list(cmd.notify) or None,
                     "channel": list(cmd.channel) or None, "supervisor": cmd.supervisor}
            return [Event("supervised", {"level": level, "unit": state.unit, "note": cmd.note,
                                         **{k: v for k, v in extra.items() if v is not None}})]
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


def _joint(state: CaseState, lead: str, assisting: tuple[str, ...], tasks: tuple[TaskSpec, ...],
           open_tasks: tuple[str, ...], reason: str | None, whistle: bool) -> Event:
    """`joint_opened`: the lead and the assisting units, each new one with its sub-task and deadlines."""
    named = tuple(dict.fromkeys(u for u in assisting if u))
    if not named:
        raise InvalidCommand("name at least one assisting unit")
    if lead in named:
        raise InvalidCommand("the lead unit cannot also assist")
    new = tuple(u for u in named if u not in open_tasks)
    if not new:
        raise InvalidCommand("every unit named already has an open sub-task on this case")
    by_unit = {t.unit: t for t in tasks}
    specs = [by_unit.get(u, TaskSpec(u, "assisting")) for u in new]
    lead_spec = by_unit.get(lead, TaskSpec(lead, "lead"))
    return Event("joint_opened", {
        "unit": lead, "lead": lead, "assisting": list(dict.fromkeys((*state.assisting_units, *new))),
        "tasks": [TaskSpec(lead, "lead", lead_spec.sign_due, lead_spec.resolve_due).as_data()]
        + [TaskSpec(s.unit, "assisting", s.sign_due, s.resolve_due).as_data() for s in specs],
        "whistle": whistle, "reason": reason})


def _task_event(state: CaseState, cmd: TaskAction) -> Event:
    what = f"{cmd.action} the sub-task of {cmd.unit}"
    if cmd.action not in TASK_ACTIONS:
        raise InvalidCommand(f"a sub-task action is one of {', '.join(TASK_ACTIONS)}")
    if cmd.unit == state.unit:
        raise InvalidCommand(f"{cmd.unit} leads the case: it acts on the case itself")
    if cmd.task_status is None:
        raise IllegalTransition(what, state.status, f"{cmd.unit} has no sub-task on this case")
    allowed = {"accept": (TASK_DISPATCHED,), "return": (TASK_DISPATCHED, TASK_ACCEPTED),
               "resolve": (TASK_ACCEPTED,)}[cmd.action]
    if cmd.task_status not in allowed:
        raise IllegalTransition(what, state.status, f"the sub-task is {cmd.task_status}; allowed only when it is "
                                + " or ".join(allowed))
    if cmd.action == "accept":
        return Event("task_accepted", {"unit": cmd.unit, "note": cmd.note})
    if cmd.action == "resolve":
        return Event("task_resolved", {"unit": cmd.unit, "note": _required(cmd.note, "note"),
                                       "media": list(cmd.media)})
    reason = _required(cmd.reason, "reason")
    if cmd.window_ends_at is not None and cmd.at is not None and cmd.at > cmd.window_ends_at:
        raise IllegalTransition(what, state.status, "the return window (退单时限) of the sub-task ended at "
                                f"{cmd.window_ends_at.isoformat()}")
    return Event("task_returned", {"unit": cmd.unit, "reason": reason, "reason_code": cmd.reason_code,
                                   "reason_name": cmd.reason_name, "basis": cmd.basis})


def check_extension(count: int, hours: float | None, working_days: float | None, limit: ExtensionLimit) -> None:
    """Refuse (InvalidCommand, 422) an extension beyond the limit, naming it."""
    where = f"(limit {limit.name})"
    if count >= limit.max_count:
        raise InvalidCommand(f"the case already had {count} extensions; at most {limit.max_count} are allowed {where}")
    if working_days is not None and not 0 < working_days <= limit.max_working_days:
        raise InvalidCommand(f"an extension is at most {limit.max_working_days:g} working days {where}; "
                             f"asked {working_days:g}")
    if hours is not None and not 0 < hours <= limit.max_hours:
        raise InvalidCommand(f"an extension is at most {limit.max_hours:g} hours {where}; asked {hours:g}")


def _why_not(state: CaseState, cmd: Command) -> str:
    if state.status == MERGED:
        return f"it was merged into {state.merged_into}"
    if state.status in (CLOSED, REJECTED, VOIDED) and not isinstance(cmd, Reopen):
        return "it is finished" if state.status != VOIDED else "it was voided (作废)"
    if isinstance(cmd, Void):
        return "a case can be voided only before a unit signs for it"
    allowed = sorted(ALLOWED[type(cmd)], key=STATUSES.index)
    return "allowed only when the case is " + " or ".join(allowed)


def evolve(state: CaseState, event: Event) -> CaseState:
    """The state after one event. Unknown event types leave the state as it is."""
    d = event.data
    match event.type:
        case "routed":
            return replace(_no_overlays(state), status=RECEIVED, center=d["to_center"], category=d["category"],
                           priority=d["priority"], unit=None, assisting_units=())
        case "triaged":
            return replace(state, status=TRIAGED, category=d["category"], priority=d["priority"], unit=d["unit"],
                           assisting_units=tuple(d.get("assisting_units", ())))
        case "dispatched":
            return replace(state, status=DISPATCHED, unit=d["unit"],
                           assisting_units=tuple(d.get("assisting_units", ())))
        case "accepted":
            return replace(state, status=ACCEPTED)
        case "returned":  # waits for the dispatching center's review
            return replace(state, return_pending=d.get("reason_code") or "unspecified")
        case "return_reviewed":
            if not d["approved"]:  # the unit keeps the case (首办责任单位)
                return replace(state, return_pending=None)
            return replace(_no_overlays(state), status=TRIAGED, unit=None, assisting_units=(),
                           return_count=state.return_count + 1, extension_pending=False,
                           returned_by=state.returned_by + ((d["unit"],) if d.get("unit") else ()))
        case "suspension_requested":
            until = d.get("until")
            return replace(state, suspension=SUSPENSION_REQUESTED,
                           suspended_until=datetime.fromisoformat(until) if until else None)
        case "suspension_decided":
            if d["approved"]:
                return replace(state, suspension=SUSPENDED)
            return replace(state, suspension=None, suspended_until=None)
        case "resumed":
            return replace(state, suspension=None, suspended_until=None)
        case "voided":
            return replace(_no_overlays(state), status=VOIDED, extension_pending=False)
        case "registration_requested":
            return replace(state, registration_pending=True)
        case "registered":
            return replace(state, registration_pending=False)
        case "transferred":  # a waiting suspension request lapses with the unit
            return replace(_no_overlays(state), status=DISPATCHED, unit=d["unit"], extension_pending=False)
        case "escalated":
            return replace(_no_overlays(state), status=RECEIVED, center=d["to_center"], unit=None,
                           assisting_units=(), extension_pending=False)
        case "resolved":
            return replace(_no_overlays(state), status=RESOLVED, extension_pending=False)  # waiting requests lapse
        case "verified":
            return replace(state, status=VERIFIED) if d["passed"] else state
        case "reworked":
            return replace(state, status=DISPATCHED, rework_count=state.rework_count + 1)
        case "extension_requested":
            return replace(state, extension_pending=True)
        case "extension_decided":
            return replace(state, extension_pending=False,
                           extension_count=state.extension_count + (1 if d["approved"] else 0))
        case "supervised":  # a repeated 催办 of a chain does not lower the level reached
            return replace(state, supervision_level=max(state.supervision_level, d["level"]))
        case "reopened":
            return replace(state, status=DISPATCHED, rework_count=state.rework_count + 1, satisfaction=None)
        case "merged":
            return replace(_no_overlays(state), status=MERGED, merged_into=d["into"])
        case "split":
            return replace(state, status=RECEIVED, merged_into=None, unit=None, assisting_units=())
        case "visited":
            return replace(state, satisfaction=d["satisfaction"])
        case "rejected":
            return replace(_no_overlays(state), status=REJECTED)
        case "closed":
            return replace(state, status=CLOSED, extension_pending=False)
        case "joint_opened":
            return replace(state, unit=d["lead"], assisting_units=tuple(d["assisting"]))
        case "task_returned":  # the unit leaves the joint handling
            return replace(state, assisting_units=tuple(u for u in state.assisting_units if u != d["unit"]))
    return state


def _no_overlays(state: CaseState) -> CaseState:
    """The state without a waiting return, suspension or 立案审核 (the case left the stage they belong to)."""
    return replace(state, return_pending=None, suspension=None, suspended_until=None, registration_pending=False)


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
    if state.extension_count < 0:
        problems.append("extension count out of range")
    if state.return_pending and state.status not in (DISPATCHED, ACCEPTED):
        problems.append(f"return pending on a {state.status} case")
    if state.suspension not in (None, SUSPENSION_REQUESTED, SUSPENDED):
        problems.append(f"unknown suspension {state.suspension}")
    if state.suspension and state.status not in (DISPATCHED, ACCEPTED):
        problems.append(f"suspension on a {state.status} case")
    if state.suspended_until is not None and not state.suspension:
        problems.append("suspended_until without a suspension")
    if state.registration_pending and state.status != TRIAGED:
        problems.append(f"立案审核 pending on a {state.status} case")
    if state.extension_pending and state.status not in (DISPATCHED, ACCEPTED):
        problems.append(f"extension pending on a {state.status} case")
    if state.return_count < 0 or state.rework_count < 0:
        problems.append("negative counter")
    if len(state.returned_by) != state.return_count:
        problems.append("returned_by does not match return_count")
    if state.unit is not None and state.unit in state.assisting_units:
        problems.append("lead unit also assisting")
    return problems
