"""joint: the sub-tasks of joint handling (联合处置) and the whistle (街道吹哨), issue 11 item 4

One row per case and unit (services/dispatch/adapters/tables.py `CaseTask`): the lead's and each assisting unit's
sub-task with its own sign and resolve deadlines and status. The case itself needs no new column: its
`assisting_units` already exists, and its status stays one of CONTRACTS.md §3's.

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-24
"""
import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None

TIME = sa.DateTime(timezone=True)  # aware UTC times (shared.store.tables.UTCDateTime)


def upgrade() -> None:
    op.create_table(
        "case_task",
        sa.Column("case_id", sa.String(40), nullable=False),
        sa.Column("unit", sa.String(64), nullable=False),
        sa.Column("role", sa.String(12), nullable=False),
        sa.Column("status", sa.String(12), nullable=False),
        sa.Column("center", sa.String(12), nullable=False),
        sa.Column("whistle", sa.Boolean(), nullable=False),
        sa.Column("started_at", TIME, nullable=True),
        sa.Column("sign_due", TIME, nullable=True),
        sa.Column("resolve_due", TIME, nullable=True),
        sa.Column("accepted_at", TIME, nullable=True),
        sa.Column("resolved_at", TIME, nullable=True),
        sa.Column("returned_at", TIME, nullable=True),
        sa.Column("updated_at", TIME, nullable=True),
        sa.PrimaryKeyConstraint("case_id", "unit"),
    )
    op.create_index("ix_case_task_unit_status", "case_task", ["unit", "status"])


def downgrade() -> None:
    op.drop_index("ix_case_task_unit_status", table_name="case_task")
    op.drop_table("case_task")
