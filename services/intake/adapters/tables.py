"""Intake's own tables: every device that has sent an alert or a heartbeat (`next_due_at` indexed, so the heartbeat
sweep reads only the devices that have just gone silent), and the idempotency keys of reports."""
from __future__ import annotations

from datetime import datetime

from sqlmodel import Field, SQLModel

from shared.store.tables import ts


class Sensor(SQLModel, table=True):
    __tablename__ = "sensor"
    sensor_id: str = Field(primary_key=True, max_length=64)
    kind: str = Field(max_length=40)                    # its alert type (the last one other than heartbeat)
    lon: float
    lat: float
    address: str | None = None
    last_seen_at: datetime = ts()
    next_due_at: datetime | None = ts(index=True)       # silent past this → offline; None while offline
    offline_case_id: str | None = Field(default=None, max_length=40)  # its open outage, until it reports again


class IdempotencyKey(SQLModel, table=True):
    """`Idempotency-Key` of a POST, scoped to the caller, and what it produced."""

    __tablename__ = "idempotency_key"
    scope: str = Field(primary_key=True, max_length=80)
    key: str = Field(primary_key=True, max_length=128)
    request_hash: str = Field(max_length=64)
    case_id: str = Field(max_length=40)
    created_at: datetime = ts()
