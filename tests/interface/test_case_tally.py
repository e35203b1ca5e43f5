"""The case tally (shared/store/tally.py, migration 0009): the database keeps how many cases there are per region,
status, category and source, exact before and after a fold, through moves and deletions, on PostgreSQL and SQLite,
and with folds and writers running at once."""
import random
import threading
from collections import Counter
from datetime import UTC, datetime

import pytest
import sqlalchemy as sa
from sqlmodel import Session

from app.migrate import migrate
from shared.store import tally
from shared.store.db import ensure_database, make_engine
from shared.store.tables import Case

REGIONS = ("320612001", "320612002")
STATUSES = ("received", "triaged", "dispatched", "closed")
CATEGORIES = ("0101", "0402", None)
SOURCES = ("grid", "hotline")


@pytest.fixture(params=["postgresql", "sqlite"])
def engine(request, database_url, tmp_path, unique):
    if request.param == "postgresql":
        url = database_url.replace("{region}", f"tally_{unique}")
        ensure_database(url)
    else:
        url = f"sqlite:///{tmp_path / 'center.db'}"
    engine = make_engine(url, pool_size=4)
    migrate(engine)
    yield engine
    engine.dispose()


def case(n: int, rng: random.Random) -> Case:
    now = datetime.now(UTC)
    return Case(id=f"c-{n:06d}", status=rng.choice(STATUSES), source=rng.choice(SOURCES), description="-",
                category=rng.choice(CATEGORIES), region=rng.choice(REGIONS), center=REGIONS[0], created_at=now,
                updated_at=now)


def counted(engine) -> Counter:
    """The truth: the cases counted one by one."""
    with engine.connect() as conn:
        rows = conn.execute(sa.text('SELECT region, status, category, source, count(*) FROM "case" '
                                    "GROUP BY region, status, category, source")).all()
    return Counter({(r, st, c, so): n for r, st, c, so, n in rows})


def tallied(engine, **narrow) -> Counter:
    with Session(engine) as s:
        return Counter({(c.region, c.status, c.category, c.source): c.n for c in tally.read(s, **narrow)})


def test_the_tally_counts_inserts_moves_and_deletions_before_and_after_a_fold(engine):
    rng = random.Random(7)
    with Session(engine) as s:
        s.add_all(case(n, rng) for n in range(300))
        s.commit()
    assert tallied(engine) == counted(engine) and sum(counted(engine).values()) == 300
    tally.fold(engine)
    with engine.connect() as conn:
        assert conn.execute(sa.text("SELECT count(*) FROM case_tally_delta")).scalar_one() == 0
    assert tallied(engine) == counted(engine)

    with Session(engine) as s:  # cases move between statuses, categories and regions; some are removed
        for c in s.exec(sa.select(Case).order_by(Case.id)).scalars().all()[:120]:
            c.status, c.category, c.region = rng.choice(STATUSES), rng.choice(CATEGORIES), rng.choice(REGIONS)
            c.description = "changed"  # a change outside the tally's keys adds nothing
            s.add(c)
        s.execute(sa.delete(Case).where(Case.id.in_([f"c-{n:06d}" for n in range(250, 300)])))
        s.commit()
    assert tallied(engine) == counted(engine) and sum(counted(engine).values()) == 250
    tally.fold(engine)
    tally.fold(engine)  # nothing left to fold: changes nothing
    assert tallied(engine) == counted(engine)

    truth = counted(engine)
    narrowed = tallied(engine, regions=[REGIONS[1]], statuses=["received", "closed"], categories=["0402"],
                       source="grid")
    assert narrowed == Counter({k: n for k, n in truth.items()
                                if k[0] == REGIONS[1] and k[1] in ("received", "closed") and k[2] == "0402"
                                and k[3] == "grid"})
    assert tallied(engine, regions=[]) == Counter()
    with Session(engine) as s:
        by_category = tally.by(tally.read(s), "category")
    assert by_category == {
        c: sum(n for k, n in truth.items() if k[2] == c) for c in CATEGORIES if any(k[2] == c for k in truth)}


def test_folds_running_while_cases_are_written_lose_no_count(engine):
    """Writers and two folders at once (threads, each with its own connections): the tally stays exact."""
    if engine.dialect.name == "sqlite":
        pytest.skip("SQLite has one writer at a time: its fold cannot overlap a write")
    errors: list[BaseException] = []
    done = threading.Event()

    def write(first: int):
        rng = random.Random(first)
        try:
            for n in range(first, first + 200):
                with Session(engine) as s:
                    s.add(case(n, rng))
                    s.commit()
                    if n % 3 == 0:
                        c = s.get(Case, f"c-{n - 1:06d}")
                        if c is not None:
                            c.status = rng.choice(STATUSES)
                            s.add(c)
                            s.commit()
        except BaseException as exc:  # noqa: BLE001 - reported below
            errors.append(exc)

    def fold():
        try:
            while not done.is_set():
                tally.fold(engine)
        except BaseException as exc:  # noqa: BLE001 - reported below
            errors.append(exc)

    writers = [threading.Thread(target=write, args=(k * 1000,)) for k in range(2)]
    folders = [threading.Thread(target=fold) for _ in range(2)]
    for t in writers + folders:
        t.start()
    for t in writers:
        t.join(120)
    done.set()
    for t in folders:
        t.join(60)
    assert errors == []
    assert sum(counted(engine).values()) == 400
    assert tallied(engine) == counted(engine)
    tally.fold(engine)
    assert tallied(engine) == counted(engine)
