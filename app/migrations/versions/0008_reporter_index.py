"""reporter: an index on the case a report first made (`reported_case_id`)

The repeat-caller pattern looks up the reporter of every new case by it, and a split (拆单) brings a case's own
reporters back by it; without the index each was a scan of every reporter the center ever took, growing with its
history (found by the benchmark, issue 13).

Revision ID: 0008
Revises: 0007
Create Date: 2026-11-25
"""
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index("ix_reporter_reported_case_id", "reporter", ["reported_case_id"])


def downgrade() -> None:
    op.drop_index("ix_reporter_reported_case_id", table_name="reporter")
