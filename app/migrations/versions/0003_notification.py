"""notification: delivery of notices over webhook and SMS, sent once across restarts (services/notification/)

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-24
"""
import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None

TIME = sa.DateTime(timezone=True)  # aware UTC times (shared.store.tables.UTCDateTime)


def upgrade() -> None:
    op.create_table(
        "notification_delivery",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("cause", sa.String(200), nullable=False),
        sa.Column("queue", sa.String(100), nullable=False),
        sa.Column("channel", sa.String(8), nullable=False),
        sa.Column("recipient", sa.String(64), nullable=False),
        sa.Column("address", sa.String(), nullable=False),
        sa.Column("kind", sa.String(24), nullable=False),
        sa.Column("case_id", sa.String(40), nullable=False),
        sa.Column("center", sa.String(12), nullable=False),
        sa.Column("payload", sa.JSON(), nullable=False),
        sa.Column("at", TIME, nullable=False),
        sa.Column("created_at", TIME, nullable=False),
        sa.Column("next_attempt_at", TIME, nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("last_error", sa.String(), nullable=True),
        sa.Column("sent_at", TIME, nullable=True),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("cause"),
        sa.Index("ix_notification_delivery_case_id", "case_id"),
        sa.Index("ix_notification_delivery_queue", "queue", "id"),
        sa.Index("ix_notification_delivery_unsent", "sent_at", "next_attempt_at"),
    )


def downgrade() -> None:
    op.drop_table("notification_delivery")
