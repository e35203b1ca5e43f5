"""Notification's own tables: what was said to whom (once per cause), who has read it, and what is owed on the
outside channels (webhook, SMS)."""
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


class NotificationDelivery(SQLModel, table=True):
    """A notice owed to one person on one outside channel (webhook, SMS): written in the transaction of the change
    that causes it (once per cause), sent in order per recipient and channel until the gateway answers 2xx."""

    __tablename__ = "notification_delivery"
    __table_args__ = (sa.Index("ix_notification_delivery_unsent", "sent_at", "next_attempt_at"),
                      sa.Index("ix_notification_delivery_queue", "queue", "id"))
    id: int | None = Field(default=None, primary_key=True)
    cause: str = Field(max_length=200, unique=True)   # `{kind}:{event id}:{person}:{channel}`: one per cause
    queue: str = Field(max_length=100)                # `{channel}:{person}`: what is sent in order
    channel: str = Field(max_length=8)                # webhook | sms
    recipient: str = Field(max_length=64)             # the person's id in the rosters
    address: str                                      # the webhook (path or URL), or the phone number sealed
    kind: str = Field(max_length=24)
    case_id: str = Field(max_length=40, index=True)
    center: str = Field(max_length=12)
    payload: dict = Field(default_factory=dict, sa_type=sa.JSON)  # what is said: title, body, level … (no phone)
    at: datetime = ts()
    created_at: datetime = ts()
    next_attempt_at: datetime = ts()
    attempts: int = 0
    last_error: str | None = None
    sent_at: datetime | None = ts()
