"""One typed model per event's `data` (CONTRACTS.md §5), versioned with the event type (`yiwang.case.<name>.v1`).

The unit of work validates every event it records against its model, and the chain entrypoint validates every
event it consumes, so a payload that does not fit — a typo, a missing field, an unknown event — is refused where
it is made, or dead-lettered with the model's error where it arrives, never read as a half-right dict.

Every payload carries the case as it is after the change (`case`, event-carried state: other centers keep copies
from it) and who acted (`actor`); a hand-over (`routed`, `escalated`) also carries the timeline so far.
docs/events.md is generated from these models (`python -m shared.contracts.payloads`; a test keeps it current).
"""
from __future__ import annotations

from datetime import datetime
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

VERSION = "v1"


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)


class CaseSnapshot(_Model):
    """The case as it travels between centers (reporters stay where the report was taken)."""

    id: str
    status: str
    source: str
    external_ref: str | None = None
    description: str
    category: str | None = None
    priority: str
    lon: float | None = None
    lat: float | None = None
    address: str | None = None
    region: str
    center: str
    unit: str | None = None
    assisting_units: list[str] = []
    return_count: int = 0
    rework_count: int = 0
    supervision_level: int = 0
    extension_count: int = 0
    extension_pending: bool = False
    merged_into: str | None = None
    reporters_count: int = 1
    satisfaction: str | None = None
    returned_by: list[str] = []
    media: list[str] = []
    team: str | None = None
    group_key: str | None = None
    alert_count: int = 0
    deadline_caps: dict[str, Any] = {}
    occurred_at: datetime | None = None
    created_at: datetime | None = None
    updated_at: datetime | None = None
    closed_at: datetime | None = None
    triage_rule: str | None = None
    traceparent: str | None = None
    return_pending: str | None = None
    suspension: str | None = None
    suspended_until: datetime | None = None
    registration_pending: bool = False


class TimelineItem(_Model):
    """One entry of a case's timeline, exactly as the center that recorded it wrote it."""

    event_id: str
    case_id: str
    at: datetime
    type: str
    center: str
    actor: str
    unit: str | None = None
    note: str | None = None
    data: dict[str, Any] = {}


class Location(_Model):
    lon: float | None = None
    lat: float | None = None
    address: str | None = None


class Payload(_Model):
    case: CaseSnapshot
    actor: str


class SensorFacts(_Model):
    """What a sensor said (alerts), or that a device fell silent (`offline`, last heard at `last_seen_at`)."""

    sensor_id: str | None = None
    alert_type: str | None = None
    level: str | None = None
    value: float | None = None
    threshold: float | None = None
    observed_at: datetime | None = None
    offline: bool | None = None
    last_seen_at: datetime | None = None


# ---- intake -----------------------------------------------------------------------------------------------------
class Received(Payload, SensorFacts):
    """A new case. Besides the common facts, what its channel adds: a 12345 order's number, kind, channel and
    urgency; a sensor's facts; an Open311 request's attribute answers and address id."""

    source: Literal["hotline", "grid", "sensor", "open311", "desk", "proactive"]
    category: str | None = None
    priority: str
    region_from: str
    location: Location
    description: str
    order_no: str | None = None
    kind: str | None = None
    channel: str | None = None
    urgent: bool | None = None
    attributes: dict[str, str] | None = None
    address_id: str | None = None
    warning_id: str | None = None  # a proactive task (未诉先办, source `proactive`): the warning it acts on


class AlertGrouped(Payload, SensorFacts):
    """Another alert joined the case (`count` so far; `priority` when it raised it), or an all-clear was
    recorded on it."""

    count: int | None = None
    priority: str | None = None
    all_clear: bool | None = None
    note: str | None = None


class Rejected(Payload):
    reason: str
    all_clear: bool | None = None
    registration: bool | None = None  # refused at 立案审核


class Merged(Payload):
    into: str
    note: str | None = None


class Split(Payload):
    from_: str | None = Field(default=None, alias="from")
    reason: str


# ---- triage and the chain ---------------------------------------------------------------------------------------
class Triaged(Payload):
    category: str
    priority: str
    unit: str
    assisting_units: list[str] = []
    rule: str | None = None
    reason: str | None = None


class HandOver(Payload):
    """The case moves to another center, with its timeline so far (the receiving center adopts it)."""

    from_center: str
    to_center: str
    reason: str | None = None
    timeline: list[TimelineItem] = []


class Routed(HandOver):
    category: str
    priority: str
    rule: str | None = None


class Escalated(HandOver):
    unit: str | None = None


# ---- dispatch ---------------------------------------------------------------------------------------------------
class Dispatched(Payload):
    unit: str
    assisting_units: list[str] = []
    team: str | None = None
    team_name: str | None = None
    distance_m: float | None = None
    note: str | None = None


class Accepted(Payload):
    unit: str | None = None
    note: str | None = None


class Returned(Payload):
    """A unit returned the case (退单): it waits at the unit for the dispatching center's `review-return`.
    `reason_code` and its `reason_name` come from the rules' data (services/dispatch/data/workflow.toml); `basis` is the
    clause of the 权责清单 the unit relies on."""

    unit: str | None = None
    reason: str
    reason_code: str | None = None
    reason_name: str | None = None
    basis: str | None = None


class ReturnReviewed(Payload):
    """The dispatching center reviewed a return: `approved` → routed again (the return counts against that center's
    准确派遣率); refused → the unit keeps the case as 首办责任单位."""

    approved: bool
    reason_code: str | None = None
    unit: str | None = None
    dispatching_center: str
    note: str | None = None


class SuspensionRequested(Payload):
    """挂账/缓办 asked by the unit: paused until `until`, or until resumed."""

    unit: str | None = None
    reason: str
    until: datetime | None = None


class SuspensionDecided(Payload):
    """The center's decision on a suspension: approved, the case's clocks pause (until `until`, if given)."""

    approved: bool
    until: datetime | None = None
    unit: str | None = None
    note: str | None = None


class Resumed(Payload):
    """A suspension ended: by hand (`resume`, or the unit's next action) or when its `until` came (`auto`); the clocks
    go on, the deadlines moved out by the paused time."""

    unit: str | None = None
    note: str | None = None
    auto: bool = False
    until: datetime | None = None  # auto: the suspension ended at this time (the pause is counted up to it)


class Voided(Payload):
    """作废: a dispatcher ended an invalid case before a unit signed for it."""

    unit: str | None = None
    reason: str


class RegistrationRequested(Payload):
    """立案审核: the rules (`rule`) want a dispatcher's approval before this case is dispatched."""

    unit: str | None = None
    rule: str
    reason: str | None = None


class Registered(Payload):
    """立案审核 approved: the case goes on to dispatch. (Refused, it is `rejected` with `registration: true`.)"""

    unit: str | None = None
    note: str | None = None


class Transferred(Payload):
    from_unit: str | None = None
    unit: str
    reason: str | None = None


class Resolved(Payload):
    unit: str | None = None
    note: str
    media: list[str] = []
    # per photo: {media_id, sha256, taken_at, location, distance_m, taken_after_dispatch, flags, …} (issue 11 item 7)
    evidence: list[dict[str, Any]] = []
    all_clear: bool | None = None


# ---- joint handling (联合处置) and the whistle (街道吹哨) ------------------------------------------------------------
class TaskOut(_Model):
    """One sub-task as named: its unit, role (`lead` | `assisting`) and its own deadlines."""

    unit: str
    role: Literal["lead", "assisting"]
    sign_due: datetime | None = None
    resolve_due: datetime | None = None


class JointOpened(Payload):
    """联合处置: the lead (主办, `unit` = `lead`) and every assisting unit (协办) of the case; `tasks` are the lead's and
    the newly named assisting units' sub-tasks, each with its own sign and resolve deadlines. `whistle`: summoned by a
    township's whistle. The case resolves when every sub-task is resolved (the lead resolves last)."""

    unit: str
    lead: str
    assisting: list[str]
    tasks: list[TaskOut]
    whistle: bool = False
    reason: str | None = None


class Whistled(Payload):
    """街道吹哨, 部门报到: a township center summoned `units` (departments of any tier) to the case; a `joint_opened`
    with their sub-tasks follows. Published on the case's key, so every center above (the summoned county
    departments' center) receives it."""

    unit: str | None = None
    units: list[str]
    reason: str


class TaskAccepted(Payload):
    """An assisting unit signed for its sub-task (签收)."""

    unit: str
    note: str | None = None


class TaskReturned(Payload):
    """An assisting unit returned its sub-task (退回), within the sub-task's return window, with a reason code from
    the rules' data and the basis (权责清单 clause): it leaves the joint handling."""

    unit: str
    reason: str
    reason_code: str | None = None
    reason_name: str | None = None
    basis: str | None = None


class TaskResolved(Payload):
    """An assisting unit resolved its part (办结 of its sub-task)."""

    unit: str
    note: str
    media: list[str] = []


# ---- supervision ------------------------------------------------------------------------------------------------
class Verified(Payload):
    passed: bool
    unit: str | None = None
    note: str | None = None
    media: list[str] = []


class Reworked(Payload):
    unit: str | None = None
    rework_count: int
    note: str | None = None


class ExtensionRequested(Payload):
    unit: str | None = None
    reason: str
    hours: float | None = None
    working_days: int | None = None


class ExtensionDecided(Payload):
    approved: bool
    unit: str | None = None
    note: str | None = None


class Warned(Payload):
    """`due_soon` or `overdue`: a stage's deadline is near or past."""

    stage: str
    unit: str | None = None
    #: true when it is an assisting unit's sub-task (联合处置) that is late, not the case: `unit` names that unit
    task: bool | None = None


class Supervised(Payload):
    level: int = Field(ge=1, le=3)
    unit: str | None = None
    note: str | None = None
    #: the step of an escalation chain (supervision's data): 催办 | 督办 | 挂牌督办 | 提级; absent when by hand
    step: str | None = None
    #: the stage that is late: sign | resolve | verify | feedback
    stage: str | None = None
    #: whom the step tells (roles, unit_leader, duty_roster, parent_center) and on which channels (in_app, webhook,
    #: sms), for the notification concern
    notify: list[str] | None = None
    channel: list[str] | None = None
    #: the center that supervises the case from now on (提级督办: the parent of the center holding it)
    supervisor: str | None = None
    #: true when the step is for an assisting unit's sub-task (联合处置), not the case: `unit` names that unit
    task: bool | None = None


# ---- feedback ---------------------------------------------------------------------------------------------------
class Visited(Payload):
    resolved: bool
    satisfaction: Literal["satisfied", "basically_satisfied", "dissatisfied"]
    comment: str | None = None
    unit: str | None = None


class Reopened(Payload):
    unit: str | None = None
    reason: str
    rework_count: int


class Closed(Payload):
    unit: str | None = None
    note: str | None = None


class HotspotDetected(Payload):
    """Declared for warnings (类案高发); not emitted yet."""

    category: str | None = None
    region: str
    case_ids: list[str] = []
    evidence: dict[str, Any] = {}


# ---- a center's own events (not about a case) ------------------------------------------------------------------
class AuditHead(_Model):
    """A center's audit chain head (CONTRACTS.md §8), published at least every minute to its parent, which keeps it
    as a witness of the chain. Not a case event: type `yiwang.center.audit_head.v1`, subject the center, and no
    `case` or `actor`. `seq` 0 with 64 zeros is an empty chain."""

    center: str
    seq: int = Field(ge=0)
    hash: str = Field(pattern=r"^[0-9a-f]{64}$")
    at: datetime | None = None  # when the head entry's action happened


class WarningRaised(_Model):
    """A warning (监测预警, CONTRACTS.md §7) raised by a center, or raised again at a higher level. Not a case event:
    type `yiwang.center.warning_raised.v1`, subject the warning's id, no `case` or `actor`; addressed to the parent's
    key (`{parent's path}.warning_raised`, the city its own), so each ancestor keeps its subtree's warnings and passes
    them on up (docs/warnings.md). `center` is the center that raised it; `cause` says what it is about (a warning is
    raised once per cause). Never a phone number: a repeat caller is named by a keyed hash."""

    id: str
    kind: str
    level: Literal["info", "yellow", "red"]
    region: str
    center: str
    at: datetime
    title: str
    evidence: dict[str, Any] = {}
    case_ids: list[str] = []
    status: Literal["open", "tasked", "dismissed"] = "open"
    cause: str
    upgraded: bool = False  # raised again for the same cause at a higher level


Data = Payload | AuditHead | WarningRaised  # what an event's `data` can be

MODELS: dict[str, type[Payload] | type[AuditHead] | type[WarningRaised]] = {
    "received": Received, "rejected": Rejected, "merged": Merged, "split": Split, "triaged": Triaged,
    "routed": Routed, "dispatched": Dispatched, "accepted": Accepted, "returned": Returned,
    "transferred": Transferred, "escalated": Escalated, "resolved": Resolved, "verified": Verified,
    "reworked": Reworked, "extension_requested": ExtensionRequested, "extension_decided": ExtensionDecided,
    "due_soon": Warned, "overdue": Warned, "supervised": Supervised, "visited": Visited, "reopened": Reopened,
    "closed": Closed, "alert_grouped": AlertGrouped, "hotspot_detected": HotspotDetected,
    "audit_head": AuditHead, "warning_raised": WarningRaised,
    "return_reviewed": ReturnReviewed, "suspension_requested": SuspensionRequested,
    "suspension_decided": SuspensionDecided, "resumed": Resumed, "voided": Voided,
    "registration_requested": RegistrationRequested, "registered": Registered,
    "joint_opened": JointOpened, "task_accepted": TaskAccepted, "task_returned": TaskReturned,
    "task_resolved": TaskResolved, "whistled": Whistled,
}


def parse(name: str, data: dict[str, Any]) -> Data:
    """The typed payload of event `name`; raises KeyError for an unknown event, pydantic's ValidationError for
    a payload that does not fit its model."""
    return MODELS[name].model_validate(data)


def _type_name(annotation: Any) -> str:
    name = annotation.__name__ if isinstance(annotation, type) else str(annotation)
    for prefix in ("typing.", "datetime.", f"{__name__}.", "__main__."):
        name = name.replace(prefix, "")
    return "`" + name.replace("|", "\\|") + "`"


def document() -> str:
    """docs/events.md: every event's payload, field by field, from the models."""
    lines = ["# Events and their payloads", "",
             "Generated from `shared/contracts/payloads.py` by `python -m shared.contracts.payloads > docs/events.md`;",
             "a test fails when this file and the models differ. Every event is a CloudEvent of type",
             f"`yiwang.case.<name>.{VERSION}` on `yiwang.chain` (CONTRACTS.md §5; routing in docs/routing-keys.md).",
             "Every payload also has `case` (the case after the change) and `actor`.", ""]
    for name, model in MODELS.items():
        lines += [f"## `{name}` — {model.__name__}", ""]
        if model.__doc__ and model.__doc__ != Payload.__doc__:
            lines += [" ".join(model.__doc__.split()), ""]
        lines += ["| field | type | required |", "|---|---|---|"]
        for field_name, field in model.model_fields.items():
            if field_name in Payload.model_fields:
                continue
            shown = field.alias or field_name
            lines.append(f"| `{shown}` | {_type_name(field.annotation)} | {'yes' if field.is_required() else 'no'} |")
        lines.append("")
    return "\n".join(lines)


if __name__ == "__main__":
    print(document(), end="")
