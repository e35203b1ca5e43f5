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

    source: Literal["hotline", "grid", "sensor", "open311", "desk"]
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
    unit: str | None = None
    reason: str


class Transferred(Payload):
    from_unit: str | None = None
    unit: str
    reason: str | None = None


class Resolved(Payload):
    unit: str | None = None
    note: str
    media: list[str] = []
    all_clear: bool | None = None


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


class Supervised(Payload):
    level: int = Field(ge=1, le=3)
    unit: str | None = None
    note: str | None = None


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


MODELS: dict[str, type[Payload]] = {
    "received": Received, "rejected": Rejected, "merged": Merged, "split": Split, "triaged": Triaged,
    "routed": Routed, "dispatched": Dispatched, "accepted": Accepted, "returned": Returned,
    "transferred": Transferred, "escalated": Escalated, "resolved": Resolved, "verified": Verified,
    "reworked": Reworked, "extension_requested": ExtensionRequested, "extension_decided": ExtensionDecided,
    "due_soon": Warned, "overdue": Warned, "supervised": Supervised, "visited": Visited, "reopened": Reopened,
    "closed": Closed, "alert_grouped": AlertGrouped, "hotspot_detected": HotspotDetected,
}


def parse(name: str, data: dict[str, Any]) -> Payload:
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
