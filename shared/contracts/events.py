"""The CloudEvents 1.0 envelope of every event on the `yiwang.chain` exchange (CONTRACTS.md §5). Its `data` is
typed by the event's model in `shared.contracts.payloads`: a `CloudEvent` validates it, and `payload` is it."""
from __future__ import annotations

import json
import uuid
from datetime import datetime
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, PrivateAttr, model_validator

from shared.contracts import payloads

CONTENT_TYPE = "application/cloudevents+json"
EVENT_NAMES = (
    "received", "rejected", "merged", "triaged", "routed", "dispatched", "accepted", "returned",
    "transferred", "escalated", "resolved", "verified", "reworked", "extension_requested",
    "extension_decided", "due_soon", "overdue", "supervised", "visited", "reopened", "closed",
    "alert_grouped", "hotspot_detected",
    "split",  # ours, beyond CONTRACTS.md §5: a dispatcher undid a merge (拆单); see docs/routing-keys.md
    "audit_head",  # ours: a center's audit chain head, for its parent to witness (CONTRACTS.md §8)
    # issue 11 items 5-6 (CONTRACTS.md §8 workflow limits): a return's review, 挂账/缓办, 作废, 立案审核
    "return_reviewed", "suspension_requested", "suspension_decided", "resumed", "voided",
    "registration_requested", "registered",
    # issue 11 item 4 (CONTRACTS.md §8): joint handling (联合处置) with a sub-task per unit, and the whistle (街道吹哨)
    "joint_opened", "task_accepted", "task_returned", "task_resolved", "whistled",
    # issue 12 (CONTRACTS.md §7): a warning raised (监测预警), about a center's region rather than one case
    "warning_raised",
)
# Events about a center rather than a case: type `yiwang.center.<name>.v1`, subject the center's code, no `case` in
# their data; published to the parent's key, and skipped by whoever follows the cases of a subtree.
CENTER_EVENTS = ("audit_head", "warning_raised")


def event_type(name: str) -> str:
    return f"yiwang.{'center' if name in CENTER_EVENTS else 'case'}.{name}.v1"


def event_name(type_: str) -> str:
    """`yiwang.case.triaged.v1` → `triaged` (`yiwang.center.audit_head.v1` → `audit_head`); raises ValueError for
    anything else."""
    parts = type_.split(".")
    if len(parts) != 4 or parts[0] != "yiwang" or parts[3] != "v1" or parts[2] not in EVENT_NAMES \
            or parts[1] != ("center" if parts[2] in CENTER_EVENTS else "case"):
        raise ValueError(f"unknown event type {type_!r}")
    return parts[2]


class CloudEvent(BaseModel):
    """Structured-mode CloudEvent with Yiwang's extension attributes."""

    model_config = ConfigDict(extra="allow")

    specversion: str = Field(pattern=r"^1\.0$")
    id: str = Field(min_length=1, max_length=64)
    source: str = Field(min_length=1)
    type: str
    subject: str = Field(min_length=1, max_length=40)
    time: datetime
    datacontenttype: str = "application/json"
    data: dict[str, Any]
    region: str
    center: str
    traceparent: str | None = None
    _payload: payloads.Data | None = PrivateAttr(default=None)

    @model_validator(mode="after")
    def _typed_data(self) -> CloudEvent:
        self._payload = payloads.parse(self.name, self.data)
        return self

    @property
    def name(self) -> str:
        return event_name(self.type)

    @property
    def payload(self) -> payloads.Data:
        """`data`, typed by the event's model."""
        assert self._payload is not None
        return self._payload


def build(name: str, *, case_id: str, region: str, center: str, service: str, time: datetime,
          data: dict[str, Any], traceparent: str | None = None, event_id: str | None = None) -> dict[str, Any]:
    event = {
        "specversion": "1.0",
        "id": event_id or str(uuid.uuid4()),
        "source": f"/centers/{center}/{service}",
        "type": event_type(name),
        "subject": case_id,
        "time": time.isoformat(),
        "datacontenttype": "application/json",
        "data": data,
        "region": region,
        "center": center,
    }
    if traceparent:
        event["traceparent"] = traceparent
    return event


def dumps(event: dict[str, Any]) -> str:
    return json.dumps(event, ensure_ascii=False, separators=(",", ":"), default=str)
