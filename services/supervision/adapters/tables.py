"""Supervision's own table: the deadlines and light of every open case, with `next_check_at` indexed so
the sweep touches only cases whose light is about to change."""
from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

from shared.store.tables import ts


class CaseDeadline(SQLModel, table=True):
    __tablename__ = "case_deadline"
    case_id: str = Field(primary_key=True, max_length=40)
    stage: str | None = Field(default=None, max_length=12)        # sign | resolve | verify | feedback
    stage_started_at: datetime | None = ts()
    sign_due: datetime | None = ts()
    resolve_due: datetime | None = ts()
    verify_due: datetime | None = ts()
    feedback_due: datetime | None = ts()
    light: str = Field(default="green", max_length=8)
    overdue: bool = False
    warned: list[str] = Field(default_factory=list, sa_type=sa.JSON)  # e.g. ["sign:due_soon", "sign:overdue"]
    pending_extension: dict | None = Field(default=None, sa_type=sa.JSON)
    paused_at: datetime | None = ts()    # 挂账/缓办: the clocks paused since (migration 0004)
    resume_at: datetime | None = ts()    # when the suspension ends by itself
    next_check_at: datetime | None = ts(index=True)

    def due(self, stage: str | None) -> datetime | None:
        return getattr(self, f"{stage}_due") if stage else None
