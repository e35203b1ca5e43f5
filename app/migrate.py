"""The schema of a center's database: Alembic revisions (`app/migrations/versions/`) run to head at start-up."""
from __future__ import annotations

import threading
from pathlib import Path

import sqlalchemy as sa
from alembic import command
from alembic.config import Config
from sqlmodel import SQLModel

import services.audit.adapters.tables  # noqa: F401  (each concern's own tables register themselves)
import services.dispatch.adapters.tables  # noqa: F401  (the sub-tasks of joint handling, migration 0005)
import services.feedback.adapters.tables  # noqa: F401
import services.gateway.adapters.tables  # noqa: F401
import services.intake.adapters.tables  # noqa: F401
import services.live.adapters.tables  # noqa: F401
import services.media.adapters.tables  # noqa: F401
import services.notification.adapters.tables  # noqa: F401
import services.supervision.adapters.tables  # noqa: F401
import services.warning.adapters.tables  # noqa: F401  (warnings and the case patterns, migration 0006)
import services.warning.tracks_tables  # noqa: F401  (vehicle tracks, migration 0007)
import shared.store.tables  # noqa: F401
from shared.store.db import is_postgres

#: what the models say the schema is: autogenerate and the tests compare the head revision with it
metadata = SQLModel.metadata
#: the schema of the last release before migrations (fb09d20): its databases have the tables, no alembic_version
BASELINE = "0001"
#: Alembic keeps the running migration's context in module globals: one migration at a time in a process
_one_at_a_time = threading.Lock()


def config(connection: sa.Connection | None = None) -> Config:
    """Alembic's configuration, in code: works from an installed package, no alembic.ini needed."""
    cfg = Config()
    cfg.set_main_option("script_location", str(Path(__file__).with_name("migrations")))
    cfg.attributes["connection"] = connection
    return cfg


def migrate(engine: sa.Engine) -> None:
    """Upgrade the center's database to the newest revision (in one transaction on PostgreSQL); a database of the
    release before migrations is stamped with the baseline first."""
    with _one_at_a_time, engine.begin() as conn:
        if is_postgres(engine):  # several processes of one center may start at once: one migrates at a time
            conn.execute(sa.text("SELECT pg_advisory_xact_lock(7020601)"))
        tables = sa.inspect(conn).get_table_names()
        if "case" in tables and "alembic_version" not in tables:
            command.stamp(config(conn), BASELINE)
        command.upgrade(config(conn), "head")
