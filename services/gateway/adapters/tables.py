"""The gateway's own table: bearer tokens, stored hashed."""
from __future__ import annotations

from datetime import datetime

from sqlmodel import Field, SQLModel

from shared.store.tables import ts


class Token(SQLModel, table=True):
    __tablename__ = "token"
    id: int | None = Field(default=None, primary_key=True)
    token_hash: str = Field(max_length=64, unique=True)
    role: str = Field(max_length=16)
    region: str = Field(max_length=12)
    unit: str | None = Field(default=None, max_length=64)
    name: str = Field(max_length=80)
    created_at: datetime = ts()
    revoked_at: datetime | None = ts()
