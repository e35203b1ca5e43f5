"""Dispatch's own table: the sub-tasks of joint handling (联合处置, 街道吹哨) of the cases this center owns — one row
per case and unit, the lead's and each assisting unit's, with its own deadlines and status (migration 0005). The rows
are the owner's record of the fold of the case's timeline (shared/lifecycle/tasks.py), rewritten in the transaction of
every event that changes them; a center following the case computes the same sub-tasks from its copy of the
timeline."""
from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

from shared.store.tables import ts


class CaseTask(SQLModel, table=True):
    __tablename__ = "case_task"
    __table_args__ = (sa.Index("ix_case_task_unit_status", "unit", "status"),)
    case_id: str = Field(primary_key=True, max_length=40)
    unit: str = Field(primary_key=True, max_length=64)
    role: str = Field(max_length=12)                  # lead | assisting
    status: str = Field(max_length=12)                # dispatched | accepted | resolved | returned | ended
    center: str = Field(max_length=12)                # the center that owns the case
    whistle: bool = False                             # summoned by a township's whistle (街道吹哨)
    started_at: datetime | None = ts()
    sign_due: datetime | None = ts()
    resolve_due: datetime | None = ts()
    accepted_at: datetime | None = ts()
    resolved_at: datetime | None = ts()
    returned_at: datetime | None = ts()
    updated_at: datetime | None = ts()
