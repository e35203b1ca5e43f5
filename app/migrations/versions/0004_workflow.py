"""workflow: returns under review, suspensions, voids and pre-dispatch review (issue 11 items 5-6)

The case carries its workflow overlays (shared/store/tables.py): a return waiting for the dispatching center's
review (`return_pending`, its reason code), 挂账/缓办 (`suspension`: requested | suspended, `suspended_until`) and
立案审核 (`registration_pending`). Supervision's deadline row remembers when its clocks were paused (`paused_at`) and
when the suspension ends by itself (`resume_at`). A `voided` case needs no column: it is a status.

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-24
"""
import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None

TIME = sa.DateTime(timezone=True)  # aware UTC times (shared.store.tables.UTCDateTime)


def upgrade() -> None:
    with op.batch_alter_table("case") as batch:
        batch.add_column(sa.Column("return_pending", sa.String(32), nullable=True))
        batch.add_column(sa.Column("suspension", sa.String(12), nullable=True))
        batch.add_column(sa.Column("suspended_until", TIME, nullable=True))
        batch.add_column(sa.Column("registration_pending", sa.Boolean(), nullable=False,
                                   server_default=sa.false()))
    with op.batch_alter_table("case") as batch:  # the default was only for the rows already there
        batch.alter_column("registration_pending", server_default=None)
    with op.batch_alter_table("case_deadline") as batch:
        batch.add_column(sa.Column("paused_at", TIME, nullable=True))
        batch.add_column(sa.Column("resume_at", TIME, nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("case_deadline") as batch:
        batch.drop_column("resume_at")
        batch.drop_column("paused_at")
    with op.batch_alter_table("case") as batch:
        batch.drop_column("registration_pending")
        batch.drop_column("suspended_until")
        batch.drop_column("suspension")
        batch.drop_column("return_pending")
