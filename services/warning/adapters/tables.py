"""The warnings' own tables (migration 0006): the warning record, raised once per cause; the small per-place state
of the case patterns; and one row per case the patterns counted (its place, for the report's recurring places and the
effect of proactive tasks — read by index over a period, never scanned whole)."""
from __future__ import annotations

from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

from shared.store.tables import json_list, ts


class Warning(SQLModel, table=True):
    __tablename__ = "warning"
    __table_args__ = (sa.UniqueConstraint("cause", name="uq_warning_cause"),
                      sa.Index("ix_warning_at", "at"), sa.Index("ix_warning_region_status", "region", "status"))
    id: str = Field(primary_key=True, max_length=40)
    kind: str = Field(max_length=24)                  # hotspot | trend | repeat_caller | alert_storm | … (§7)
    level: str = Field(max_length=8)                  # info | yellow | red
    region: str = Field(max_length=12)
    center: str = Field(max_length=12)                # the center that raised it (a parent keeps its children's)
    at: datetime = ts()
    title: str = Field(max_length=200)
    evidence: dict[str, Any] = Field(default_factory=dict, sa_type=sa.JSON)
    case_ids: list[str] = json_list()
    status: str = Field(default="open", max_length=12)  # open | tasked | dismissed
    cause: str = Field(max_length=200)                # raised once per cause
    task_case_id: str | None = Field(default=None, max_length=40)  # the proactive case it became (未诉先办)
    acted_by: str | None = Field(default=None, max_length=120)
    acted_at: datetime | None = ts()
    reason: str | None = Field(default=None, max_length=500)
    updated_at: datetime | None = ts()


class WarningState(SQLModel, table=True):
    """One place's (or caller's) pattern state, JSON (services/warning/domain/patterns.py)."""

    __tablename__ = "warning_state"
    key: str = Field(primary_key=True, max_length=200)
    data: dict[str, Any] = Field(default_factory=dict, sa_type=sa.JSON)
    updated_at: datetime | None = ts()


class PatternCase(SQLModel, table=True):
    """A case the patterns counted: once per case (the primary key), with its grid cell."""

    __tablename__ = "pattern_case"
    __table_args__ = (sa.Index("ix_pattern_case_place", "category", "cell", "at"),
                      sa.Index("ix_pattern_case_at", "at"))
    case_id: str = Field(primary_key=True, max_length=40)
    category: str | None = Field(default=None, max_length=8)
    region: str = Field(max_length=12)
    cell: str | None = Field(default=None, max_length=32)   # "ix:iy" of the hotspot grid
    source: str = Field(max_length=16)
    caller: str | None = Field(default=None, max_length=64)  # the keyed hash, never the number
    at: datetime = ts()
