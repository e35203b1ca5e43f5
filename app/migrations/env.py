"""Alembic's environment for a center's database, configured in code (`app.migrate.config`).

At start-up `app.migrate.migrate` hands in its connection (already in a transaction, under the advisory lock on
PostgreSQL). From the command line (`alembic -x url=... upgrade head | revision --autogenerate`, with the repo's
alembic.ini) the database comes from `-x url=`."""
from __future__ import annotations

from typing import Any, Literal

import sqlalchemy as sa
from alembic import context
from alembic.autogenerate.api import AutogenContext

from app.migrate import metadata
from shared.store.db import make_engine


def plain_types(kind: str, obj: Any, autogen_context: AutogenContext) -> str | Literal[False]:
    """Autogenerate writes the models' own column types (sqlmodel's AutoString, UTCDateTime) as the sqlalchemy type
    they stand for, so a revision imports nothing from the code base."""
    if kind == "type" and isinstance(obj, sa.types.TypeDecorator):
        return f"sa.{obj.impl_instance!r}"
    return False


def run(connection: sa.Connection) -> None:
    context.configure(connection=connection, target_metadata=metadata,
                      render_as_batch=True,  # SQLite alters a table by copying it
                      compare_type=True, render_item=plain_types)
    with context.begin_transaction():
        context.run_migrations()


connection = context.config.attributes.get("connection")
if connection is not None:
    run(connection)
elif context.is_offline_mode():
    raise SystemExit("offline (--sql) migrations are not set up: run them against a database (-x url=...)")
else:
    url = context.get_x_argument(as_dictionary=True).get("url")
    if not url:
        raise SystemExit("say which database: alembic -x url=postgresql://postgres@localhost/yiwang_schema ...")
    engine = make_engine(url, pool_size=1)
    try:
        with engine.begin() as conn:
            run(conn)
    finally:
        engine.dispose()
