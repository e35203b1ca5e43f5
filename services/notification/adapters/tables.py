"""Notification's own tables: what was said to whom (once per cause), and who has read it."""
from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

from shared.store.tables import ts


class Notification(SQLModel, table=True):
    __tablename__ = "notification"
    __table_args__ = (sa.Index("ix_notification_audience", "role", "unit", "id"),)
    id: int | None = Field(default=None, primary_key=True)
    cause: str = Field(max_length=120, unique=True)   # `{kind}:{event id}:{role}`: one notification per cause
    kind: str = Field(max_length=24)                  # new_task | rework | supervise | due_soon | overdue | ...
    case_id: str = Field(max_length=40, index=True)
    center: str = Field(max_length=12)
    region: str = Field(max_length=12)
    role: str = Field(max_length=16)                  # handler (of `unit`) | dispatcher (of the center)
    unit: str | None = Field(default=None, max_length=64)
    title: str = Field(max_length=120)
    body: str
    at: datetime = ts()


class NotificationRead(SQLModel, table=True):
    __tablename__ = "notification_read"
    notification_id: int = Field(primary_key=True)
    reader: str = Field(primary_key=True, max_length=80)  # `token:{id}`, or the bootstrap admin
    read_at: datetime = ts()
