"""Feedback's own tables: the progress owed to the 12345 platform, and the visits taken from it."""
from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

from shared.store.tables import ts


class HotlineUpdate(SQLModel, table=True):
    """Progress owed to the 12345 platform (CONTRACTS.md §4), written in the same transaction as the change that
    causes it and sent in order per order until the platform answers 2xx."""

    __tablename__ = "hotline_update"
    __table_args__ = (sa.UniqueConstraint("event_id", "order_no", name="uq_hotline_update_event"),
                      sa.Index("ix_hotline_update_unsent", "sent_at", "next_attempt_at"),
                      sa.Index("ix_hotline_update_order", "order_no", "id"))
    id: int | None = Field(default=None, primary_key=True)
    event_id: str = Field(max_length=36)
    order_no: str = Field(max_length=64)
    case_id: str = Field(max_length=40)
    status: str = Field(max_length=16)
    message: str
    unit: str | None = Field(default=None, max_length=64)
    at: datetime = ts()
    created_at: datetime = ts()
    next_attempt_at: datetime = ts()
    attempts: int = 0
    last_error: str | None = None
    sent_at: datetime | None = ts()


class HotlineVisit(SQLModel, table=True):
    """A 12345 visit result taken in: one per (order_no, visited_at), so a retried visit is applied once."""

    __tablename__ = "hotline_visit"
    order_no: str = Field(primary_key=True, max_length=64)
    visited_at: datetime = ts(primary_key=True)
    case_id: str = Field(max_length=40)
    received_at: datetime = ts()
