"""The live feed's own table: one row per change a screen may be told about, written in the transaction of the
change and numbered (`seq`) after it commits, in commit order. Rows older than the resume window are purged."""
from __future__ import annotations

from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

from shared.store.tables import ts


class LiveEvent(SQLModel, table=True):
    __tablename__ = "live_event"
    __table_args__ = (sa.Index("ix_live_event_seq", "seq", unique=True), sa.Index("ix_live_event_at", "at"))
    id: int | None = Field(default=None, primary_key=True)
    seq: int | None = None                        # the stream's id: increasing per center, set after commit
    name: str = Field(max_length=32)              # a case event's name, `notification` or `warning`
    case_id: str | None = Field(default=None, max_length=40)
    status: str | None = Field(default=None, max_length=16)
    light: str | None = Field(default=None, max_length=8)
    unit: str | None = Field(default=None, max_length=64)
    region: str = Field(max_length=12)
    center: str = Field(max_length=12)
    at: datetime = ts()
    audience: dict[str, Any] | None = Field(default=None, sa_type=sa.JSON)  # notifications: {role, unit}
    data: dict[str, Any] | None = Field(default=None, sa_type=sa.JSON)      # notifications: id, kind, title
