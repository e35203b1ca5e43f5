"""tracks: vehicle positions and stays kept per vehicle (issue 12)

Three tables of services/warning/tracks_tables.py: `track_vehicle` (one row per tracked vehicle, locked while a
batch of it is taken), `track_position` (its recent positions, keyed by vehicle and time so a resent point is
ignored; pruned to a retention window behind the vehicle's latest point) and `track_cause` (the warnings raised
per vehicle, kind and episode, so each is raised once).

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-24
"""
import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None

TIME = sa.DateTime(timezone=True)  # aware UTC times (shared.store.tables.UTCDateTime)


def upgrade() -> None:
    op.create_table(
        "track_vehicle",
        sa.Column("vehicle_id", sa.String(64), nullable=False),
        sa.Column("plate", sa.String(16), nullable=True),
        sa.Column("vehicle_class", sa.String(16), nullable=False),
        sa.Column("latest_at", TIME, nullable=False),
        sa.Column("updated_at", TIME, nullable=False),
        sa.PrimaryKeyConstraint("vehicle_id"),
    )
    op.create_table(
        "track_position",
        sa.Column("vehicle_id", sa.String(64), nullable=False),
        sa.Column("at", TIME, nullable=False),
        sa.Column("lon", sa.Float(), nullable=False),
        sa.Column("lat", sa.Float(), nullable=False),
        sa.Column("speed_kmh", sa.Float(), nullable=True),
        sa.PrimaryKeyConstraint("vehicle_id", "at"),
    )
    op.create_table(
        "track_cause",
        sa.Column("vehicle_id", sa.String(64), nullable=False),
        sa.Column("kind", sa.String(20), nullable=False),
        sa.Column("start_at", TIME, nullable=False),
        sa.Column("end_at", TIME, nullable=False),
        sa.Column("level", sa.String(8), nullable=False),
        sa.Column("case_id", sa.String(40), nullable=True),
        sa.Column("warning_id", sa.String(64), nullable=True),
        sa.Column("raised_at", TIME, nullable=False),
        sa.PrimaryKeyConstraint("vehicle_id", "kind", "start_at"),
    )


def downgrade() -> None:
    op.drop_table("track_cause")
    op.drop_table("track_position")
    op.drop_table("track_vehicle")
