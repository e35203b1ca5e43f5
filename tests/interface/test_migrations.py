"""The schema is Alembic's (app/migrations): a database of the release before migrations keeps every row and reaches
head, a fresh one migrates to exactly what the models say, centers starting together migrate once, SQLite too."""
import subprocess
import sys
from pathlib import Path

import sqlalchemy as sa
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlmodel import Session

from app.migrate import BASELINE, config, metadata, migrate
from shared.store import tally
from shared.store.db import ensure_database, make_engine

PREVIOUS_RELEASE = Path(__file__).parents[1] / "data" / "previous_release.sql"
HEAD = ScriptDirectory.from_config(config()).get_current_head()
#: the rows tests/data/previous_release.sql holds, per table: every table of that release has some
PREVIOUS_ROWS = {"action_key": 16, "browser_session": 2, "case": 8, "case_deadline": 8, "counter": 1,
                 "hotline_update": 8, "hotline_visit": 2, "idempotency_key": 6, "inbox": 50, "live_event": 57,
                 "media": 1, "media_use": 5, "notification": 9, "notification_read": 5, "outbox": 48, "reporter": 8,
                 "sensor": 2, "timeline": 48, "token": 12}
#: a center's start-up as far as the schema goes, in a process of its own: it migrates when told to
START = """
import sys
from app.migrate import migrate
from shared.store.db import make_engine
engine = make_engine(sys.argv[1], pool_size=1)
print("ready", flush=True)
sys.stdin.readline()
migrate(engine)
"""


def fresh(database_url: str, name: str) -> sa.Engine:
    url = database_url.replace("{region}", name)
    ensure_database(url)
    return make_engine(url, pool_size=2)


def version(engine: sa.Engine) -> list[str]:
    with engine.connect() as conn:
        return conn.execute(sa.text("SELECT version_num FROM alembic_version")).scalars().all()


def differences(engine: sa.Engine) -> list:
    """What autogenerate would write: the models against the database (empty when a revision covers every change)."""
    with engine.connect() as conn:
        return compare_metadata(MigrationContext.configure(conn, opts={"compare_type": True}), metadata)


def everything(engine: sa.Engine, tables: dict[str, tuple[list[str], list[str]]]) -> dict[str, list[tuple]]:
    """Every row of every table (table → its columns and its primary key), in the order of the key."""
    with engine.connect() as conn:
        return {t: [tuple(r) for r in conn.execute(sa.select(*map(sa.column, cols)).select_from(sa.table(t))
                                                   .order_by(*map(sa.column, key)))]
                for t, (cols, key) in tables.items()}


def load(engine: sa.Engine, dump: Path) -> None:
    """A plain pg_dump file, without psql's meta-commands (`\\restrict`)."""
    sql = "\n".join(line for line in dump.read_text().splitlines() if not line.startswith("\\"))
    raw = engine.raw_connection()
    try:
        with raw.cursor() as cur:
            cur.execute(sql)
        raw.commit()
    finally:
        raw.invalidate()  # the dump emptied its search_path: not a connection for the pool


def test_a_database_of_the_release_before_migrations_keeps_every_row_and_reaches_head(database_url):
    engine = fresh(database_url, "mig_previous")
    load(engine, PREVIOUS_RELEASE)
    inspector = sa.inspect(engine)
    tables = {t: ([c["name"] for c in inspector.get_columns(t)], inspector.get_pk_constraint(t)["constrained_columns"])
              for t in inspector.get_table_names()}
    assert set(tables) == set(PREVIOUS_ROWS)  # no alembic_version: that release did not know it
    before = everything(engine, tables)
    assert {t: len(rows) for t, rows in before.items()} == PREVIOUS_ROWS

    migrate(engine)

    assert version(engine) == [HEAD]
    assert everything(engine, tables) == before
    assert differences(engine) == []
    with engine.connect() as conn:
        case = conn.execute(sa.text('SELECT status, source, description FROM "case" WHERE id = :id'),
                            {"id": "320612001-20261124-000001"}).one()
        assert tuple(case) == ("closed", "grid", "人民路12号污水井盖破损，夜间危险")
        assert conn.execute(sa.text("SELECT name FROM reporter WHERE case_id = :id"),
                            {"id": "320612001-20261124-000001"}).scalar_one() == "张先生"
        assert conn.execute(sa.text("SELECT count(*) FROM token WHERE revoked_at IS NOT NULL")).scalar_one() == 1
        assert conn.execute(sa.text("SELECT nextval('case_number')")).scalar_one() == 9  # numbering goes on
        by_status = dict(conn.execute(sa.text('SELECT status, count(*) FROM "case" GROUP BY status')).all())
    with Session(engine) as s:  # the case tally (0009) starts from the cases already there
        assert tally.by(tally.read(s), "status") == by_status and sum(by_status.values()) == PREVIOUS_ROWS["case"]
    migrate(engine)  # a second start changes nothing
    assert version(engine) == [HEAD] and everything(engine, tables) == before
    engine.dispose()


def test_a_fresh_database_migrates_to_the_schema_the_models_describe(database_url):
    """Fails when a model changes without a revision: write one (docs/architecture.md, "Changing the schema")."""
    engine = fresh(database_url, "mig_fresh")
    migrate(engine)
    assert version(engine) == [HEAD]
    assert differences(engine) == []
    with engine.connect() as conn:
        assert conn.execute(sa.text("SELECT nextval('case_number')")).scalar_one() == 1
    engine.dispose()


def test_centers_starting_together_migrate_a_fresh_database_once(database_url):
    """Two processes of one center, started together (each migrates once both are ready), both come up."""
    engine = fresh(database_url, "mig_together")
    url = engine.url.render_as_string(hide_password=False)
    procs = [subprocess.Popen([sys.executable, "-c", START, url], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                              stderr=subprocess.PIPE, text=True, cwd=Path(__file__).parents[2]) for _ in range(2)]
    try:
        assert [p.stdout.readline() for p in procs] == ["ready\n"] * 2
        for p in procs:
            p.stdin.write("go\n")
            p.stdin.flush()
        results = [p.communicate(timeout=60) for p in procs]
    finally:
        for p in procs:
            p.kill()
    assert [(p.returncode, err) for p, (_, err) in zip(procs, results, strict=True)] == [(0, "")] * 2
    assert version(engine) == [HEAD]
    assert differences(engine) == []
    engine.dispose()


def test_a_sqlite_database_migrates_to_head_and_one_of_the_release_before_is_stamped_first(tmp_path):
    engine = make_engine(f"sqlite:///{tmp_path / 'center.db'}")
    migrate(engine)
    assert version(engine) == [HEAD]
    assert differences(engine) == []
    migrate(engine)
    assert version(engine) == [HEAD]
    engine.dispose()

    # the release before made the baseline's tables (the same DDL) and no alembic_version
    engine = make_engine(f"sqlite:///{tmp_path / 'previous.db'}")
    with engine.begin() as conn:
        command.upgrade(config(conn), BASELINE)
        conn.execute(sa.text("DROP TABLE alembic_version"))
        conn.execute(sa.text("INSERT INTO counter (name, value) VALUES ('case', 41)"))
    migrate(engine)
    assert version(engine) == [HEAD]
    assert differences(engine) == []
    with engine.connect() as conn:
        assert conn.execute(sa.text("SELECT value FROM counter WHERE name = 'case'")).scalar_one() == 41
    engine.dispose()
