"""P5: the sweep, the evaluation, the duplicate lookup, the case list and the board at 10 k and at 1 M stored cases.

`python -m tests.perf.p5_bench [--sizes 10000,1000000]` (also run by `./taskw bench`; `--skip-p5` there). For each
size it creates a township center's database (`yw_bench_<pid>_p5_<size>`, migrated as `yiwang run` does), seeds it
(`seed`, below: PostgreSQL COPY, about a minute per million cases on the 2-core machine), times each operation in
this process against it (the median of 5 runs; the sweep once, as it changes what it finds), and drops it.

What a center holds after a year or two, the same at every size except for the history: the last 30 days hold
RECENT cases (a fifth of them still open, with their deadlines; SWEEP_DUE of those due for a check now), everything
older is closed history spread over the two years before. An operation that reads only what is current should
take the same time at both sizes (target: within 2×); one that reads the whole history grows with it.

  sweep        the supervision sweep: the cases due for a check (an indexed range scan), each refreshed
  evaluation   this month's indicators by unit (the assignments that began in it, with their timelines)
  duplicate    the 并单 lookup for a new report: open cases of its category nearby in the merge window
  list         the desk's case list: the first page, newest first, with the total
  list open    the same, of the cases in one open status
  board        the big screen's board: counts by status, category, source and light, points, overdue, trend
"""
from __future__ import annotations

import eventlet

eventlet.monkey_patch(psycopg=False)  # the services' code runs here as in a center, but the seed's COPY needs a
# plain (not green) PostgreSQL connection; the timings are of one caller at a time, so nothing waits on another

import argparse  # noqa: E402
import io  # noqa: E402
import json  # noqa: E402
import os  # noqa: E402
import random  # noqa: E402
import signal  # noqa: E402
import statistics  # noqa: E402
import sys  # noqa: E402
import time  # noqa: E402
import uuid  # noqa: E402
from collections.abc import Callable  # noqa: E402
from datetime import UTC, datetime, timedelta  # noqa: E402

import sqlalchemy as sa  # noqa: E402

HOST = "127.0.0.1"
PG_BASE = f"postgresql://postgres@{HOST}:5432"
TOWN = "320612001"  # 金沙街道
RECENT = 5000       # cases of the last 30 days, at every size
SWEEP_DUE = 100     # open cases due for a check when the sweep runs
UNITS = (f"{TOWN}.chengguan", f"{TOWN}.municipal")
CATEGORIES = ("0301", "0102", "0303", "1105", "0107", "0201", "0104")
SOURCES = ("grid", "grid", "hotline", "hotline", "hotline", "sensor", "desk")
CLOSED_STEPS = ("received", "triaged", "dispatched", "accepted", "resolved", "verified", "closed")
OPEN_STATUSES = ("dispatched", "accepted", "resolved")


# ---- seeding -------------------------------------------------------------------------------------------------
def _columns(conn, table: str) -> list[tuple[str, str, bool]]:
    """(name, type, required) of a table's columns: required = NOT NULL without a default."""
    rows = conn.execute(sa.text("SELECT column_name, data_type, is_nullable = 'NO' AND column_default IS NULL "
                                "FROM information_schema.columns WHERE table_name = :t ORDER BY ordinal_position"),
                        {"t": table}).all()
    return [(r[0], r[1], bool(r[2])) for r in rows]


def _zero(data_type: str) -> str:
    """The COPY text of an empty value of a type, for NOT NULL columns the seed does not set."""
    return {"integer": "0", "bigint": "0", "boolean": "f", "json": "[]", "jsonb": "[]",
            "double precision": "0"}.get(data_type, "")


def _esc(value) -> str:
    if value is None:
        return "\\N"
    if isinstance(value, bool):
        return "t" if value else "f"
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, (dict, list)):
        value = json.dumps(value, ensure_ascii=False)
    return str(value).replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n")


class _Copy:
    """Rows for one table, sent with COPY in chunks; columns the seed leaves out get their empty value."""

    def __init__(self, raw, table: str, columns: list[tuple[str, str, bool]], given: tuple[str, ...], chunk=50_000):
        self.raw, self.table, self.chunk = raw, table, chunk
        extra = [(n, t) for n, t, required in columns if required and n not in given]
        self.names = list(given) + [n for n, _ in extra]
        self.fill = [_zero(t) for _, t in extra]
        self.buffer: list[str] = []

    def add(self, *values) -> None:
        self.buffer.append("\t".join([*(_esc(v) for v in values), *self.fill]))
        if len(self.buffer) >= self.chunk:
            self.flush()

    def flush(self) -> None:
        if not self.buffer:
            return
        cols = ", ".join(f'"{n}"' for n in self.names)
        with self.raw.cursor() as cur:
            cur.copy_expert(f'COPY "{self.table}" ({cols}) FROM STDIN', io.StringIO("\n".join(self.buffer) + "\n"))
        self.buffer = []


def seed(engine: sa.Engine, total: int, now: datetime, rng: random.Random) -> dict[str, int]:
    """`total` cases of township TOWN as described in the module's docstring; returns the rows written per table."""
    from shared.store import tally

    with engine.connect() as conn:
        tables = {t: _columns(conn, t) for t in ("case", "timeline", "case_deadline")}
    raw = engine.raw_connection()
    try:
        cases = _Copy(raw, "case", tables["case"], (
            "id", "status", "source", "description", "category", "priority", "lon", "lat", "address", "region",
            "center", "unit", "created_at", "updated_at", "closed_at", "triage_rule", "assisting_units", "returned_by",
            "media", "deadline_caps", "reporters_count"))
        timeline = _Copy(raw, "timeline", tables["timeline"], (
            "event_id", "case_id", "at", "type", "center", "actor", "unit", "data"))
        deadlines = _Copy(raw, "case_deadline", tables["case_deadline"], (
            "case_id", "stage", "stage_started_at", "sign_due", "resolve_due", "light", "overdue", "warned",
            "next_check_at"))
        counts = {"case": 0, "timeline": 0, "case_deadline": 0}
        recent = min(RECENT, total)
        due = 0
        for n in range(total):
            is_recent = n >= total - recent  # the newest come last, as they were taken in
            if is_recent:
                created = now - timedelta(days=30) + (timedelta(days=30) - timedelta(hours=1)) * (n - (total - recent)) / recent
            else:
                created = now - timedelta(days=760) + timedelta(days=730) * n / max(1, total - recent)
            is_open = is_recent and rng.random() < 0.2
            status = rng.choice(OPEN_STATUSES) if is_open else "closed"
            steps = CLOSED_STEPS[:CLOSED_STEPS.index(status) + 1] if is_open else CLOSED_STEPS
            category, unit = rng.choice(CATEGORIES), rng.choice(UNITS)
            case_id = f"{TOWN}-{created:%Y%m%d}-{n:07d}"
            times = [created + timedelta(minutes=1 + k * rng.uniform(5, 240)) for k in range(len(steps))]
            times = [min(t, now - timedelta(seconds=len(times) - k)) for k, t in enumerate(times)]  # none to come
            cases.add(case_id, status, rng.choice(SOURCES), f"第{n}号：巡查发现的问题", category, "normal",
                      round(120.85 + rng.uniform(0, 0.15), 6), round(31.98 + rng.uniform(0, 0.12), 6),
                      f"金沙街道{n % 500}号", TOWN, TOWN, unit, created, times[-1],
                      None if is_open else times[-1], "seed", [], [], [], {}, 1)
            for step, at in zip(steps, times, strict=True):
                timeline.add(str(uuid.UUID(int=rng.getrandbits(128))), case_id, at, step, TOWN, "system:seed",
                             unit if step not in ("received", "triaged") else None, {})
            counts["case"] += 1
            counts["timeline"] += len(steps)
            if is_open:
                started = times[-1]
                check = now - timedelta(minutes=1) if due < SWEEP_DUE else now + timedelta(hours=rng.uniform(1, 48))
                due += check < now
                deadlines.add(case_id, "resolve", started, started + timedelta(days=1), started + timedelta(days=5),
                              "green", False, [], check)
                counts["case_deadline"] += 1
        for c in (cases, timeline, deadlines):
            c.flush()
        raw.commit()
    finally:
        raw.close()
    tally.fold(engine)  # the case tally's deltas the COPY's triggers appended, as a center's maintenance loop folds them
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        for t in ("case", "timeline", "case_deadline", "case_tally", "case_tally_delta"):  # as autovacuum would
            conn.execute(sa.text(f'VACUUM ANALYZE "{t}"'))
    return counts


# ---- timing --------------------------------------------------------------------------------------------------
def timed(run: Callable[[], object], repeat: int = 5) -> float:
    """The median wall time of `repeat` runs, in seconds."""
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        run()
        times.append(time.perf_counter() - t0)
    return statistics.median(times)


def measure(store, now: datetime) -> dict[str, float]:
    from services.feedback.handlers import evaluate
    from services.supervision import handlers as supervision_handlers
    from services.supervision.api import CaseQuery, board, find_cases
    from services.triage.handlers import find_duplicate
    from shared.catalog import load_catalog
    from shared.store.tables import Case

    catalog = load_catalog()
    month = now.replace(day=1, hour=0, minute=0, second=0, microsecond=0)
    probe = Case(id="probe", status="received", source="grid", description="probe", category="0301",
                 lon=120.9, lat=32.03, region=TOWN, center=TOWN)

    def duplicate():
        with store.uow() as uow:
            find_duplicate(uow, probe, catalog.category("0301"), now)

    return {
        "sweep": timed(lambda: supervision_handlers.sweep(store), repeat=1),
        "evaluation": timed(lambda: evaluate(store, month, now, "unit")),
        "duplicate": timed(duplicate),
        "list": timed(lambda: find_cases(store, CaseQuery(within=TOWN))),
        "list open": timed(lambda: find_cases(store, CaseQuery(within=TOWN, statuses=["dispatched"]))),
        "board": timed(lambda: board(store, TOWN, now)),
    }


def run_size(size: int, rng: random.Random) -> tuple[dict[str, int], float, dict[str, float]]:
    from app.composition import wire
    from app.runner import prepare
    from shared.clock import Clock
    from shared.config import Settings
    from shared.extensions.database import CenterStore
    from shared.store.db import make_engine

    settings = Settings(database_url=f"{PG_BASE}/yw_bench_{os.getpid()}_p5_{size}_{{region}}")
    wire(settings)
    url = prepare(TOWN, settings)
    engine = make_engine(url, pool_size=2)
    try:
        now = datetime.now(UTC)
        t0 = time.perf_counter()
        counts = seed(engine, size, now, rng)
        seeded = time.perf_counter() - t0
        store = CenterStore(engine, TOWN, "bench", Clock(), relay=None)  # the sweep's events stay in the outbox
        figures = measure(store, now)
        eventlet.sleep(0.5)  # the audit chain links what the sweep recorded (a greenlet) before the database goes
        return counts, seeded, figures
    finally:
        engine.dispose()
        _drop(url)


def _drop(url: str) -> None:
    name = url.rsplit("/", 1)[1]
    admin = sa.create_engine(f"{PG_BASE.replace('postgresql://', 'postgresql+psycopg2://')}/postgres",
                             isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


def main(argv=None) -> int:
    from rich.console import Console
    from rich.table import Table

    p = argparse.ArgumentParser(prog="p5_bench", description=__doc__.split("\n\n")[0])
    p.add_argument("--sizes", default="10000,1000000", help="stored cases, smallest first (default 10000,1000000)")
    p.add_argument("--seed", type=int, default=5)
    p.add_argument("--json", metavar="FILE", help="also write the figures (seconds by operation and size) to FILE")
    args = p.parse_args(argv)
    try:
        sizes = [int(s) for s in args.sizes.split(",")]
    except ValueError:
        p.error("--sizes: whole numbers separated by commas, e.g. 10000,1000000")
    if not sizes or min(sizes) < RECENT or max(sizes) > 5_000_000:
        p.error(f"--sizes: each between {RECENT} (the recent cases) and 5000000")
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(1))  # so that the database is dropped (run_size's finally)
    console = Console(highlight=False)
    results = {}
    for size in sizes:
        counts, seeded, figures = run_size(size, random.Random(args.seed))
        console.print(f"P5: {size:,} cases seeded in {seeded:.0f} s ({counts['timeline']:,} timeline entries, "
                      f"{counts['case_deadline']:,} open deadlines)")
        results[size] = figures
    table = Table(title=f"P5 — at {' and '.join(f'{s:,}' for s in sizes)} stored cases ({RECENT:,} of them in the "
                        f"last 30 days at every size): median ms (the sweep: one run, {SWEEP_DUE} due)")
    table.add_column("operation")
    for size in sizes:
        table.add_column(f"{size:,}", justify="right")
    table.add_column("ratio", justify="right")
    table.add_column("target ≤ 2×")
    for op in results[sizes[0]]:
        first, last = results[sizes[0]][op], results[sizes[-1]][op]
        ratio = last / first if first else None
        table.add_row(op, *(f"{1000 * results[s][op]:.1f}" for s in sizes), "—" if ratio is None else f"{ratio:.1f}×",
                      "" if ratio is None or len(sizes) < 2 else
                      ("[green]meets P5[/]" if ratio <= 2 else "[red]below P5[/]"))
    console.print(table)
    if args.json:
        with open(args.json, "w") as f:
            json.dump({str(size): figures for size, figures in results.items()}, f)
    return 0


if __name__ == "__main__":
    sys.exit(main())
