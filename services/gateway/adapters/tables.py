"""The gateway's own tables: bearer tokens (stored hashed) and the screens' sign-in sessions."""
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


class BrowserSession(SQLModel, table=True):
    """A screen's sign-in (POST /api/v1/sessions): the cookie carries a secret whose hash is the id. It ends at
    `expires_at`, at sign-out, or when its token is revoked."""

    __tablename__ = "browser_session"
    id: str = Field(primary_key=True, max_length=64)
    token_id: int | None = Field(default=None, index=True)   # None: signed in with the bootstrap admin token
    role: str = Field(max_length=16)
    region: str = Field(max_length=12)
    unit: str | None = Field(default=None, max_length=64)
    name: str = Field(max_length=80)
    csrf: str = Field(max_length=64)
    created_at: datetime = ts()
    expires_at: datetime = ts()
    ended_at: datetime | None = ts()


class ActionKey(SQLModel, table=True):
    """The `Idempotency-Key` of a case action that was done: its retry answers the case instead of a 409."""

    __tablename__ = "action_key"
    scope: str = Field(primary_key=True, max_length=80)   # the caller (`token:{id}`)
    key: str = Field(primary_key=True, max_length=128)
    case_id: str = Field(max_length=40)
    created_at: datetime = ts(index=True)
