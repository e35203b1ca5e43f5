"""warnings: the warning record raised once per cause, and the incremental case-pattern state (issue 12)

Tables of services/warning/adapters/tables.py: `warning` (unique `cause`), `warning_state` (per place or caller, JSON)
and `pattern_case` (the cases the patterns counted, with their grid cell).

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-24
"""
import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None

TIME = sa.DateTime(timezone=True)  # aware UTC times (shared.store.tables.UTCDateTime)


def upgrade() -> None:
    op.create_table(
        "warning",
        sa.Column("id", sa.String(40), nullable=False),
        sa.Column("kind", sa.String(24), nullable=False),
        sa.Column("level", sa.String(8), nullable=False),
        sa.Column("region", sa.String(12), nullable=False),
        sa.Column("center", sa.String(12), nullable=False),
        sa.Column("at", TIME, nullable=False),
        sa.Column("title", sa.String(200), nullable=False),
        sa.Column("evidence", sa.JSON(), nullable=False),
        sa.Column("case_ids", sa.JSON(), nullable=False),
        sa.Column("status", sa.String(12), nullable=False),
        sa.Column("cause", sa.String(200), nullable=False),
        sa.Column("task_case_id", sa.String(40), nullable=True),
        sa.Column("acted_by", sa.String(120), nullable=True),
        sa.Column("acted_at", TIME, nullable=True),
        sa.Column("reason", sa.String(500), nullable=True),
        sa.Column("updated_at", TIME, nullable=True),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("cause", name="uq_warning_cause"),
    )
    op.create_index("ix_warning_at", "warning", ["at"])
    op.create_index("ix_warning_region_status", "warning", ["region", "status"])
    op.create_table(
        "warning_state",
        sa.Column("key", sa.String(200), nullable=False),
        sa.Column("data", sa.JSON(), nullable=False),
        sa.Column("updated_at", TIME, nullable=True),
        sa.PrimaryKeyConstraint("key"),
    )
    op.create_table(
        "pattern_case",
        sa.Column("case_id", sa.String(40), nullable=False),
        sa.Column("category", sa.String(8), nullable=True),
        sa.Column("region", sa.String(12), nullable=False),
        sa.Column("cell", sa.String(32), nullable=True),
        sa.Column("source", sa.String(16), nullable=False),
        sa.Column("caller", sa.String(64), nullable=True),
        sa.Column("at", TIME, nullable=False),
        sa.PrimaryKeyConstraint("case_id"),
    )
    op.create_index("ix_pattern_case_place", "pattern_case", ["category", "cell", "at"])
    op.create_index("ix_pattern_case_at", "pattern_case", ["at"])


def downgrade() -> None:
    op.drop_index("ix_pattern_case_at", table_name="pattern_case")
    op.drop_index("ix_pattern_case_place", table_name="pattern_case")
    op.drop_table("pattern_case")
    op.drop_table("warning_state")
    op.drop_index("ix_warning_region_status", table_name="warning")
    op.drop_index("ix_warning_at", table_name="warning")
    op.drop_table("warning")
