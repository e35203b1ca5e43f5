"""audit: the audit chain's entries and the heads witnessed from child centers (services/audit/)

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-24
"""
import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

TIME = sa.DateTime(timezone=True)  # aware UTC times (shared.store.tables.UTCDateTime)


def upgrade() -> None:
    op.create_table(
        "audit_entry",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("seq", sa.Integer(), nullable=True),
        sa.Column("prev_hash", sa.String(64), nullable=True),
        sa.Column("hash", sa.String(64), nullable=True),
        sa.Column("center", sa.String(12), nullable=False),
        sa.Column("at", TIME, nullable=False),
        sa.Column("actor", sa.Text(), nullable=False),
        sa.Column("reason", sa.Text(), nullable=True),
        sa.Column("action", sa.String(48), nullable=False),
        sa.Column("subject", sa.JSON(), nullable=False),
        sa.Column("written_at", TIME, nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.Index("ix_audit_entry_seq", "seq", unique=True),
        sa.Index("ix_audit_entry_unlinked", "id", postgresql_where=sa.text("seq IS NULL"),
                 sqlite_where=sa.text("seq IS NULL")),
        sa.Index("ix_audit_entry_at", "at"),
    )
    op.create_table(
        "audit_witness",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("center", sa.String(12), nullable=False),
        sa.Column("seq", sa.Integer(), nullable=False),
        sa.Column("hash", sa.String(64), nullable=False),
        sa.Column("at", TIME, nullable=True),
        sa.Column("first_seen_at", TIME, nullable=False),
        sa.Column("last_seen_at", TIME, nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("center", "seq", "hash", name="uq_audit_witness_head"),
        sa.Index("ix_audit_witness_center", "center"),
    )


def downgrade() -> None:
    op.drop_table("audit_witness")
    op.drop_table("audit_entry")
