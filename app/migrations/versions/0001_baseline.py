"""baseline: the schema of the last release before migrations (fb09d20), as its create_all made it

Revision ID: 0001
Revises:
Create Date: 2026-11-24

A database that release made has these tables and no alembic_version: `app.migrate.migrate` stamps it with this
revision instead of running it. So this revision must stay exactly that schema; change the schema in a new one.
"""
import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None

TIME = sa.DateTime(timezone=True)  # aware UTC times (shared.store.tables.UTCDateTime)


def upgrade() -> None:
    op.create_table(
        "action_key",
        sa.Column("scope", sa.String(80), nullable=False),
        sa.Column("key", sa.String(128), nullable=False),
        sa.Column("case_id", sa.String(40), nullable=False),
        sa.Column("created_at", TIME, nullable=False),
        sa.PrimaryKeyConstraint("scope", "key"),
        sa.Index("ix_action_key_created_at", "created_at"),
    )
    op.create_table(
        "browser_session",
        sa.Column("id", sa.String(64), nullable=False),
        sa.Column("token_id", sa.Integer(), nullable=True),
        sa.Column("role", sa.String(16), nullable=False),
        sa.Column("region", sa.String(12), nullable=False),
        sa.Column("unit", sa.String(64), nullable=True),
        sa.Column("name", sa.String(80), nullable=False),
        sa.Column("csrf", sa.String(64), nullable=False),
        sa.Column("created_at", TIME, nullable=False),
        sa.Column("expires_at", TIME, nullable=False),
        sa.Column("ended_at", TIME, nullable=True),
        sa.PrimaryKeyConstraint("id"),
        sa.Index("ix_browser_session_token_id", "token_id"),
    )
    op.create_table(
        "case",
        sa.Column("id", sa.String(40), nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("source", sa.String(16), nullable=False),
        sa.Column("external_ref", sa.String(64), nullable=True),
        sa.Column("description", sa.String(), nullable=False),
        sa.Column("category", sa.String(16), nullable=True),
        sa.Column("priority", sa.String(8), nullable=False),
        sa.Column("lon", sa.Float(), nullable=True),
        sa.Column("lat", sa.Float(), nullable=True),
        sa.Column("address", sa.String(), nullable=True),
        sa.Column("region", sa.String(12), nullable=False),
        sa.Column("center", sa.String(12), nullable=False),
        sa.Column("unit", sa.String(64), nullable=True),
        sa.Column("assisting_units", sa.JSON(), nullable=False),
        sa.Column("return_count", sa.Integer(), nullable=False),
        sa.Column("rework_count", sa.Integer(), nullable=False),
        sa.Column("supervision_level", sa.Integer(), nullable=False),
        sa.Column("extension_count", sa.Integer(), nullable=False),
        sa.Column("extension_pending", sa.Boolean(), nullable=False),
        sa.Column("merged_into", sa.String(40), nullable=True),
        sa.Column("reporters_count", sa.Integer(), nullable=False),
        sa.Column("satisfaction", sa.String(), nullable=True),
        sa.Column("returned_by", sa.JSON(), nullable=False),
        sa.Column("media", sa.JSON(), nullable=False),
        sa.Column("team", sa.String(64), nullable=True),
        sa.Column("group_key", sa.String(120), nullable=True),
        sa.Column("alert_count", sa.Integer(), nullable=False),
        sa.Column("deadline_caps", sa.JSON(), nullable=False),
        sa.Column("occurred_at", TIME, nullable=True),
        sa.Column("created_at", TIME, nullable=False),
        sa.Column("updated_at", TIME, nullable=False),
        sa.Column("closed_at", TIME, nullable=True),
        sa.Column("triage_rule", sa.String(64), nullable=True),
        sa.Column("traceparent", sa.String(64), nullable=True),
        sa.PrimaryKeyConstraint("id"),
        sa.Index("ix_case_category", "category"),
        sa.Index("ix_case_category_created", "category", "created_at"),
        sa.Index("ix_case_center_status", "center", "status"),
        sa.Index("ix_case_created", "created_at"),
        sa.Index("ix_case_group_key", "group_key"),
        sa.Index("ix_case_region_created", "region", "created_at"),
        sa.Index("ix_case_team_status", "team", "status"),
        sa.Index("ix_case_unit_status", "unit", "status"),
    )
    op.create_table(
        "case_deadline",
        sa.Column("case_id", sa.String(40), nullable=False),
        sa.Column("stage", sa.String(12), nullable=True),
        sa.Column("stage_started_at", TIME, nullable=True),
        sa.Column("sign_due", TIME, nullable=True),
        sa.Column("resolve_due", TIME, nullable=True),
        sa.Column("verify_due", TIME, nullable=True),
        sa.Column("feedback_due", TIME, nullable=True),
        sa.Column("light", sa.String(8), nullable=False),
        sa.Column("overdue", sa.Boolean(), nullable=False),
        sa.Column("warned", sa.JSON(), nullable=False),
        sa.Column("pending_extension", sa.JSON(), nullable=True),
        sa.Column("next_check_at", TIME, nullable=True),
        sa.PrimaryKeyConstraint("case_id"),
        sa.Index("ix_case_deadline_next_check_at", "next_check_at"),
    )
    op.create_table(
        "counter",
        sa.Column("name", sa.String(32), nullable=False),
        sa.Column("value", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("name"),
    )
    op.create_table(
        "hotline_update",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("event_id", sa.String(36), nullable=False),
        sa.Column("order_no", sa.String(64), nullable=False),
        sa.Column("case_id", sa.String(40), nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("message", sa.String(), nullable=False),
        sa.Column("unit", sa.String(64), nullable=True),
        sa.Column("at", TIME, nullable=False),
        sa.Column("created_at", TIME, nullable=False),
        sa.Column("next_attempt_at", TIME, nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("last_error", sa.String(), nullable=True),
        sa.Column("sent_at", TIME, nullable=True),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("event_id", "order_no", name="uq_hotline_update_event"),
        sa.Index("ix_hotline_update_order", "order_no", "id"),
        sa.Index("ix_hotline_update_unsent", "sent_at", "next_attempt_at"),
    )
    op.create_table(
        "hotline_visit",
        sa.Column("order_no", sa.String(64), nullable=False),
        sa.Column("visited_at", TIME, nullable=False),
        sa.Column("case_id", sa.String(40), nullable=False),
        sa.Column("received_at", TIME, nullable=False),
        sa.PrimaryKeyConstraint("order_no", "visited_at"),
    )
    op.create_table(
        "idempotency_key",
        sa.Column("scope", sa.String(80), nullable=False),
        sa.Column("key", sa.String(128), nullable=False),
        sa.Column("request_hash", sa.String(64), nullable=False),
        sa.Column("case_id", sa.String(40), nullable=False),
        sa.Column("created_at", TIME, nullable=False),
        sa.PrimaryKeyConstraint("scope", "key"),
    )
    op.create_table(
        "inbox",
        sa.Column("consumer", sa.String(80), nullable=False),
        sa.Column("event_id", sa.String(36), nullable=False),
        sa.Column("processed_at", TIME, nullable=False),
        sa.PrimaryKeyConstraint("consumer", "event_id"),
    )
    op.create_table(
        "live_event",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("seq", sa.Integer(), nullable=True),
        sa.Column("name", sa.String(32), nullable=False),
        sa.Column("case_id", sa.String(40), nullable=True),
        sa.Column("status", sa.String(16), nullable=True),
        sa.Column("light", sa.String(8), nullable=True),
        sa.Column("unit", sa.String(64), nullable=True),
        sa.Column("region", sa.String(12), nullable=False),
        sa.Column("center", sa.String(12), nullable=False),
        sa.Column("at", TIME, nullable=False),
        sa.Column("audience", sa.JSON(), nullable=True),
        sa.Column("data", sa.JSON(), nullable=True),
        sa.PrimaryKeyConstraint("id"),
        sa.Index("ix_live_event_at", "at"),
        sa.Index("ix_live_event_seq", "seq", unique=True),
    )
    op.create_table(
        "media",
        sa.Column("id", sa.String(48), nullable=False),
        sa.Column("sha256", sa.String(64), nullable=False),
        sa.Column("content_type", sa.String(32), nullable=False),
        sa.Column("size", sa.Integer(), nullable=False),
        sa.Column("taken_at", TIME, nullable=True),
        sa.Column("lon", sa.Float(), nullable=True),
        sa.Column("lat", sa.Float(), nullable=True),
        sa.Column("uploader", sa.String(80), nullable=False),
        sa.Column("created_at", TIME, nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.Index("ix_media_sha256", "sha256"),
    )
    op.create_table(
        "media_use",
        sa.Column("media_id", sa.String(48), nullable=False),
        sa.Column("case_id", sa.String(40), nullable=False),
        sa.PrimaryKeyConstraint("media_id", "case_id"),
        sa.Index("ix_media_use_case_id", "case_id"),
    )
    op.create_table(
        "notification",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("cause", sa.String(120), nullable=False),
        sa.Column("kind", sa.String(24), nullable=False),
        sa.Column("case_id", sa.String(40), nullable=False),
        sa.Column("center", sa.String(12), nullable=False),
        sa.Column("region", sa.String(12), nullable=False),
        sa.Column("role", sa.String(16), nullable=False),
        sa.Column("unit", sa.String(64), nullable=True),
        sa.Column("title", sa.String(120), nullable=False),
        sa.Column("body", sa.String(), nullable=False),
        sa.Column("at", TIME, nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("cause"),
        sa.Index("ix_notification_audience", "role", "unit", "id"),
        sa.Index("ix_notification_case_id", "case_id"),
    )
    op.create_table(
        "notification_read",
        sa.Column("notification_id", sa.Integer(), nullable=False),
        sa.Column("reader", sa.String(80), nullable=False),
        sa.Column("read_at", TIME, nullable=False),
        sa.PrimaryKeyConstraint("notification_id", "reader"),
    )
    op.create_table(
        "outbox",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("event_id", sa.String(36), nullable=False),
        sa.Column("case_id", sa.String(40), nullable=False),
        sa.Column("routing_key", sa.String(200), nullable=False),
        sa.Column("body", sa.String(), nullable=False),
        sa.Column("traceparent", sa.String(64), nullable=True),
        sa.Column("created_at", TIME, nullable=False),
        sa.Column("sent_at", TIME, nullable=True),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("event_id"),
        sa.Index("ix_outbox_unsent", "sent_at", "id"),
    )
    op.create_table(
        "reporter",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("case_id", sa.String(40), nullable=False),
        sa.Column("reported_case_id", sa.String(40), nullable=False),
        sa.Column("source", sa.String(16), nullable=False),
        sa.Column("external_ref", sa.String(64), nullable=True),
        sa.Column("channel", sa.String(16), nullable=True),
        sa.Column("name", sa.String(40), nullable=True),
        sa.Column("phone_sealed", sa.String(), nullable=True),
        sa.Column("created_at", TIME, nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("source", "external_ref", name="uq_reporter_external_ref"),
        sa.Index("ix_reporter_case_id", "case_id"),
    )
    op.create_table(
        "sensor",
        sa.Column("sensor_id", sa.String(64), nullable=False),
        sa.Column("kind", sa.String(40), nullable=False),
        sa.Column("lon", sa.Float(), nullable=False),
        sa.Column("lat", sa.Float(), nullable=False),
        sa.Column("address", sa.String(), nullable=True),
        sa.Column("last_seen_at", TIME, nullable=False),
        sa.Column("next_due_at", TIME, nullable=True),
        sa.Column("offline_case_id", sa.String(40), nullable=True),
        sa.PrimaryKeyConstraint("sensor_id"),
        sa.Index("ix_sensor_next_due_at", "next_due_at"),
    )
    op.create_table(
        "timeline",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("event_id", sa.String(36), nullable=False),
        sa.Column("case_id", sa.String(40), nullable=False),
        sa.Column("at", TIME, nullable=False),
        sa.Column("type", sa.String(32), nullable=False),
        sa.Column("center", sa.String(12), nullable=False),
        sa.Column("actor", sa.String(80), nullable=False),
        sa.Column("unit", sa.String(64), nullable=True),
        sa.Column("note", sa.String(), nullable=True),
        sa.Column("data", sa.JSON(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("event_id"),
        sa.Index("ix_timeline_case_id", "case_id"),
        sa.Index("ix_timeline_type_at", "type", "at"),
    )
    op.create_table(
        "token",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("token_hash", sa.String(64), nullable=False),
        sa.Column("role", sa.String(16), nullable=False),
        sa.Column("region", sa.String(12), nullable=False),
        sa.Column("unit", sa.String(64), nullable=True),
        sa.Column("name", sa.String(80), nullable=False),
        sa.Column("created_at", TIME, nullable=False),
        sa.Column("revoked_at", TIME, nullable=True),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("token_hash"),
    )

    if op.get_bind().dialect.name == "postgresql":  # case numbers (SQLite counts them in `counter`)
        op.execute(sa.schema.CreateSequence(sa.Sequence("case_number")))


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute(sa.schema.DropSequence(sa.Sequence("case_number")))
    for table in ("action_key", "browser_session", "case", "case_deadline", "counter", "hotline_update",
                  "hotline_visit", "idempotency_key", "inbox", "live_event", "media", "media_use", "notification",
                  "notification_read", "outbox", "reporter", "sensor", "timeline", "token"):
        op.drop_table(table)
