"""The schema of a center's database: every concern's tables, created where missing, and the case number
sequence."""
from __future__ import annotations

import sqlalchemy as sa
from sqlmodel import SQLModel

import services.feedback.adapters.tables  # noqa: F401  (each concern's own tables register themselves)
import services.gateway.adapters.tables  # noqa: F401
import services.intake.adapters.tables  # noqa: F401
import services.live.adapters.tables  # noqa: F401
import services.media.adapters.tables  # noqa: F401
import services.notification.adapters.tables  # noqa: F401
import services.supervision.adapters.tables  # noqa: F401
import shared.store.tables  # noqa: F401
from shared.store.db import is_postgres


def migrate(engine: sa.Engine) -> None:
    """Create every table of every concern (idempotent) and the case number sequence."""
    if not is_postgres(engine):
        SQLModel.metadata.create_all(engine)
        return
    with engine.begin() as conn:  # several processes of one center may start at once: one migrates at a time
        conn.execute(sa.text("SELECT pg_advisory_xact_lock(7020601)"))
        SQLModel.metadata.create_all(conn)
        conn.execute(sa.text("CREATE SEQUENCE IF NOT EXISTS case_number"))
