"""The audit chain's own tables.

- `audit_entry`: one row per action, written in the transaction of the action (`seq`, `prev_hash` and `hash` empty),
  linked into the chain after it commits (`seq` numbers the chain from 1; `hash` = sha256(prev_hash + canonical
  entry), services/audit/domain/chain.py). Rows are never updated once linked, nor deleted.
- `audit_witness`: at a parent center, the chain heads its children published (one row per distinct head), the
  evidence `yiwang audit verify` holds a child's chain to.
"""
from __future__ import annotations

from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

from shared.store.tables import ts


class AuditEntry(SQLModel, table=True):
    __tablename__ = "audit_entry"
    __table_args__ = (
        sa.Index("ix_audit_entry_seq", "seq", unique=True),
        sa.Index("ix_audit_entry_unlinked", "id", postgresql_where=sa.text("seq IS NULL"),
                 sqlite_where=sa.text("seq IS NULL")),
        sa.Index("ix_audit_entry_at", "at"),
    )
    id: int | None = Field(default=None, primary_key=True)
    seq: int | None = None                                   # position in the chain, set when linked
    prev_hash: str | None = Field(default=None, max_length=64)
    hash: str | None = Field(default=None, max_length=64)
    center: str = Field(max_length=12)
    at: datetime = ts()                                      # when the action happened
    actor: str = Field(sa_type=sa.Text)
    reason: str | None = Field(default=None, sa_type=sa.Text)
    action: str = Field(max_length=48)                       # case.<event> | token.created | token.revoked | rules.changed
    subject: dict[str, Any] = Field(default_factory=dict, sa_type=sa.JSON)  # case_id, event_id | the token's facts
    written_at: datetime = ts()                              # wall-clock time of the write (unlinked for long: a finding)


class AuditWitness(SQLModel, table=True):
    __tablename__ = "audit_witness"
    __table_args__ = (sa.UniqueConstraint("center", "seq", "hash", name="uq_audit_witness_head"),)
    id: int | None = Field(default=None, primary_key=True)
    center: str = Field(max_length=12, index=True)           # the child center whose head this is
    seq: int
    hash: str = Field(max_length=64)
    at: datetime | None = ts()                               # when the head entry's action happened
    first_seen_at: datetime = ts()
    last_seen_at: datetime = ts()
