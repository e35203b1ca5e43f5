"""Engines, start-up checks and the schema of a center's database."""
from __future__ import annotations

import os
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import sqlalchemy as sa
from sqlalchemy.engine import make_url

_sqlite_writer = threading.RLock()  # green under eventlet: one SQLite writer per process at a time


@contextmanager
def sqlite_writer(engine: sa.Engine) -> Iterator[None]:
    """Hold this process's one SQLite writer turn (nothing on PostgreSQL) while writing. Without it a second writer
    would wait for SQLite's lock inside the driver, blocking the eventlet hub, so the first could never finish."""
    if engine.dialect.name != "sqlite":
        yield
        return
    with _sqlite_writer:
        yield


class DatabaseUnavailable(RuntimeError):
    """The database cannot be reached; the message says how to start it."""


def make_engine(url: str, pool_size: int = 10) -> sa.Engine:
    u = make_url(url)
    if u.drivername.startswith("sqlite"):
        if u.database and u.database != ":memory:":
            Path(u.database).parent.mkdir(parents=True, exist_ok=True)
        engine = sa.create_engine(url, connect_args={"check_same_thread": False, "timeout": 30})

        @sa.event.listens_for(engine, "connect")
        def _pragmas(dbapi_conn, _):  # noqa: ANN001
            cur = dbapi_conn.cursor()
            cur.execute("PRAGMA journal_mode=WAL")
            cur.execute("PRAGMA busy_timeout=30000")
            cur.close()
        return engine
    if u.drivername == "postgresql":
        u = u.set(drivername="postgresql+psycopg2")
    return sa.create_engine(
        # no pre-ping (a round trip per checkout): a dropped connection fails its statement, SQLAlchemy then
        # invalidates the pool, and the failed handler is retried
        u, pool_size=pool_size, max_overflow=pool_size, pool_recycle=1800,
        connect_args={"connect_timeout": 5, "options": "-c statement_timeout=15000 -c lock_timeout=10000",
                      "application_name": os.environ.get("YIWANG_PROCESS_NAME", "yiwang")})


def is_postgres(engine: sa.Engine) -> bool:
    return engine.dialect.name == "postgresql"


def ensure_database(url: str) -> None:
    """Create the center's PostgreSQL database if it does not exist yet (one database per center)."""
    u = make_url(url)
    if u.drivername.startswith("sqlite"):
        return
    engine = make_engine(url, pool_size=1)
    try:
        with engine.connect() as conn:
            conn.execute(sa.text("SELECT 1"))
        return
    except sa.exc.OperationalError as exc:
        if "does not exist" not in str(exc):
            raise DatabaseUnavailable(_explain(u, exc)) from None
    finally:
        engine.dispose()
    admin = make_engine(u.set(database="postgres").render_as_string(hide_password=False), pool_size=1)
    try:
        with admin.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            exists = conn.execute(sa.text("SELECT 1 FROM pg_database WHERE datname = :n"), {"n": u.database}).first()
            if not exists:
                conn.execute(sa.text(f'CREATE DATABASE "{u.database}"'))
    except (sa.exc.IntegrityError, sa.exc.ProgrammingError) as exc:
        if "already exists" not in str(exc) and "duplicate key" not in str(exc):
            raise  # another process of this center created it at the same moment: fine
    except sa.exc.OperationalError as exc:
        raise DatabaseUnavailable(_explain(u, exc)) from None
    finally:
        admin.dispose()


def check(engine: sa.Engine) -> None:
    try:
        with engine.connect() as conn:
            conn.execute(sa.text("SELECT 1"))
    except sa.exc.OperationalError as exc:
        raise DatabaseUnavailable(_explain(engine.url, exc)) from None


def _explain(u, exc) -> str:
    first = str(getattr(exc, "orig", exc)).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
    if u.drivername.startswith("postgresql"):
        return (f"cannot reach PostgreSQL at {u.host or 'localhost'}:{u.port or 5432} ({first}); start it "
                f"(e.g. `pg_ctlcluster 15 main start`) or set YIWANG_DATABASE_URL")
    return f"cannot open the SQLite database {u.database} ({first}); check YIWANG_DATABASE_URL"

