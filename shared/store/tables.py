"""The case record every service shares: the case file, its timeline and its reporters, with the outbox and the
inbox that carry its events. A concern's own tables live with it (`services/<service>/adapters/tables.py`)."""
from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

from shared.contracts.payloads import CaseSnapshot
from shared.lifecycle import CaseState


class UTCDateTime(sa.types.TypeDecorator):
    """Aware datetimes in, aware UTC datetimes out, on PostgreSQL and SQLite alike."""

    impl = sa.DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value, dialect):
        if value is not None:
            if value.tzinfo is None:
                raise ValueError("naive datetime")
            value = value.astimezone(UTC)
            if dialect.name == "sqlite":
                value = value.replace(tzinfo=None)
        return value

    def process_result_value(self, value, dialect):
        if value is not None and value.tzinfo is None:
            value = value.replace(tzinfo=UTC)
        return value


def ts(**kw) -> Any:
    return Field(default=None, sa_type=UTCDateTime, **kw)


def json_list() -> Any:
    return Field(default_factory=list, sa_type=sa.JSON)


class Case(SQLModel, table=True):
    __tablename__ = "case"
    __table_args__ = (
        sa.Index("ix_case_center_status", "center", "status"),
        sa.Index("ix_case_created", "created_at"),
        sa.Index("ix_case_region_created", "region", "created_at"),
        sa.Index("ix_case_unit_status", "unit", "status"),
        sa.Index("ix_case_team_status", "team", "status"),  # a team's load: its open cases (网格化自动派遣)
        sa.Index("ix_case_category_created", "category", "created_at"),  # 并单: duplicates nearby and recent
        sa.Index("ix_case_status_created", "status", "created_at"),  # the board's map: the newest open cases
        sa.Index("ix_case_closed", "closed_at"),  # the board's trend: closed per day
    )
    id: str = Field(primary_key=True, max_length=40)
    status: str = Field(max_length=16)
    source: str = Field(max_length=16)
    external_ref: str | None = Field(default=None, max_length=64)
    description: str
    category: str | None = Field(default=None, max_length=16, index=True)
    priority: str = Field(default="normal", max_length=8)
    lon: float | None = None             # a 12345 call may come without coordinates
    lat: float | None = None
    address: str | None = None
    region: str = Field(max_length=12)
    center: str = Field(max_length=12)
    unit: str | None = Field(default=None, max_length=64)
    assisting_units: list[str] = json_list()
    return_count: int = 0
    rework_count: int = 0
    supervision_level: int = 0
    extension_count: int = 0
    extension_pending: bool = False
    merged_into: str | None = Field(default=None, max_length=40)
    reporters_count: int = 1
    satisfaction: str | None = None
    returned_by: list[str] = json_list()
    media: list[str] = json_list()
    team: str | None = Field(default=None, max_length=64)        # the unit's team sent on site (网格自动派遣)
    group_key: str | None = Field(default=None, max_length=120, index=True)  # sensors: alerts that join this case
    alert_count: int = 0
    deadline_caps: dict = Field(default_factory=dict, sa_type=sa.JSON)  # the source's own time limits (12345)
    occurred_at: datetime | None = ts()
    created_at: datetime = ts()
    updated_at: datetime = ts()
    closed_at: datetime | None = ts()
    triage_rule: str | None = Field(default=None, max_length=64)
    traceparent: str | None = Field(default=None, max_length=64)
    # the workflow overlays of issue 11 items 5-6 (migration 0004): a return waiting for review (its reason code),
    # 挂账/缓办 (requested | suspended, until when), 立案审核 waiting
    return_pending: str | None = Field(default=None, max_length=32)
    suspension: str | None = Field(default=None, max_length=12)
    suspended_until: datetime | None = ts()
    registration_pending: bool = False

    def state(self) -> CaseState:
        return CaseState(
            center=self.center, status=self.status, category=self.category, priority=self.priority,
            unit=self.unit, assisting_units=tuple(self.assisting_units or ()), return_count=self.return_count,
            rework_count=self.rework_count, supervision_level=self.supervision_level,
            extension_count=self.extension_count, extension_pending=self.extension_pending,
            merged_into=self.merged_into, satisfaction=self.satisfaction,
            returned_by=tuple(self.returned_by or ()), return_pending=self.return_pending,
            suspension=self.suspension, suspended_until=self.suspended_until,
            registration_pending=bool(self.registration_pending))

    def take(self, s: CaseState) -> None:
        """Copy a new lifecycle state onto the row."""
        self.center, self.status, self.category, self.priority = s.center, s.status, s.category, s.priority
        self.unit, self.assisting_units = s.unit, list(s.assisting_units)
        self.return_count, self.rework_count = s.return_count, s.rework_count
        self.supervision_level, self.extension_count = s.supervision_level, s.extension_count
        self.extension_pending, self.merged_into = s.extension_pending, s.merged_into
        self.satisfaction, self.returned_by = s.satisfaction, list(s.returned_by)
        self.return_pending, self.suspension, self.suspended_until = s.return_pending, s.suspension, s.suspended_until
        self.registration_pending = s.registration_pending


class TimelineEntry(SQLModel, table=True):
    __tablename__ = "timeline"
    __table_args__ = (sa.Index("ix_timeline_type_at", "type", "at"),)
    id: int | None = Field(default=None, primary_key=True)
    event_id: str = Field(max_length=36, unique=True)
    case_id: str = Field(max_length=40, index=True)
    at: datetime = ts()
    type: str = Field(max_length=32)
    center: str = Field(max_length=12)
    actor: str = Field(max_length=80)
    unit: str | None = Field(default=None, max_length=64)
    note: str | None = None
    data: dict = Field(default_factory=dict, sa_type=sa.JSON)


class Outbox(SQLModel, table=True):
    """Events written in the same transaction as the change; the relay publishes them with confirms."""

    __tablename__ = "outbox"
    __table_args__ = (sa.Index("ix_outbox_unsent", "sent_at", "id"),)
    id: int | None = Field(default=None, primary_key=True)
    event_id: str = Field(max_length=36, unique=True)
    case_id: str = Field(max_length=40)
    routing_key: str = Field(max_length=200)
    body: str
    traceparent: str | None = Field(default=None, max_length=64)
    created_at: datetime = ts()
    sent_at: datetime | None = ts()


class Inbox(SQLModel, table=True):
    """Event ids a consumer has processed, written in the same transaction as its effect."""

    __tablename__ = "inbox"
    consumer: str = Field(primary_key=True, max_length=80)
    event_id: str = Field(primary_key=True, max_length=36)
    processed_at: datetime = ts()




class Reporter(SQLModel, table=True):
    """Who reported a problem. A merged case (并单) keeps every reporter, and every one gets the answer. Stays at
    the center that took the report; the phone number is stored encrypted (shared.protect)."""

    __tablename__ = "reporter"
    __table_args__ = (sa.UniqueConstraint("source", "external_ref", name="uq_reporter_external_ref"),)
    id: int | None = Field(default=None, primary_key=True)
    case_id: str = Field(max_length=40, index=True)        # the case that answers this reporter now
    reported_case_id: str = Field(max_length=40, index=True)  # the case the report first made
    source: str = Field(max_length=16)
    external_ref: str | None = Field(default=None, max_length=64)  # e.g. the 12345 order number
    channel: str | None = Field(default=None, max_length=16)
    name: str | None = Field(default=None, max_length=40)
    phone_sealed: str | None = None
    created_at: datetime = ts()




class CaseTally(SQLModel, table=True):
    """How many cases there are per region, status, category ("" for none) and source — kept by triggers on `case`
    with `CaseTallyDelta` (shared/store/tally.py)."""

    __tablename__ = "case_tally"
    region: str = Field(primary_key=True, max_length=12)
    status: str = Field(primary_key=True, max_length=16)
    category: str = Field(primary_key=True, max_length=16)
    source: str = Field(primary_key=True, max_length=16)
    n: int


class CaseTallyDelta(SQLModel, table=True):
    """A +1 or −1 a trigger appended to the tally when a case was stored, removed or moved; folded into `case_tally`."""

    __tablename__ = "case_tally_delta"
    id: int | None = Field(default=None, sa_column=sa.Column(sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
                                                             primary_key=True))
    region: str = Field(max_length=12)
    status: str = Field(max_length=16)
    category: str = Field(max_length=16)
    source: str = Field(max_length=16)
    n: int


class Counter(SQLModel, table=True):
    """Case number counter (SQLite; PostgreSQL uses the sequence `case_number`)."""

    __tablename__ = "counter"
    name: str = Field(primary_key=True, max_length=32)
    value: int = 0


# ---- the case as it travels between centers ------------------------------------------------------
TRAVELS = ("id", "status", "source", "external_ref", "description", "category", "priority", "lon", "lat", "address",
           "region", "center", "unit", "assisting_units", "return_count", "rework_count", "supervision_level",
           "extension_count", "extension_pending", "merged_into", "reporters_count", "satisfaction", "returned_by",
           "media", "team", "group_key", "alert_count", "deadline_caps", "occurred_at", "created_at", "updated_at",
           "closed_at", "triage_rule", "traceparent",
           "return_pending", "suspension", "suspended_until", "registration_pending")  # reporters stay where reported
_TIMES = ("occurred_at", "created_at", "updated_at", "closed_at", "suspended_until")


def snapshot(case: Case) -> dict:
    """The case as JSON for an event (event-carried state: other centers keep copies from it)."""
    out = {k: getattr(case, k) for k in TRAVELS}
    for k in _TIMES:
        out[k] = out[k].isoformat() if out[k] else None
    return out


def apply_snapshot(case: Case | None, snap: CaseSnapshot) -> Case:
    """A copy of a case from a snapshot: new, or an existing copy brought up to date."""
    values = snap.model_dump()
    if case is None:
        return Case(**values)
    for k, v in values.items():
        setattr(case, k, v)
    return case
