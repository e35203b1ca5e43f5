"""The case tally: how many cases a center stores per region, status, category and source, kept by the database
itself, so the board's counts and the case list's total cost the same at 10 k and at 1 M cases (QUALITY.md P5).

Triggers on `case` (migration 0009) append a +1/−1 row to `case_tally_delta` whenever a case is stored, removed or
moved to another key — appends only, so concurrent transactions never wait on a counter row. `fold` moves the deltas
into `case_tally` (every center process's maintenance loop does, shared/extensions/database.py); `read` adds what is
not folded yet, so it is exact at any moment. A case without a category is counted under NO_CATEGORY."""
from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass

import sqlalchemy as sa
from sqlmodel import Session, col

from shared.store.db import sqlite_writer
from shared.store.tables import CaseTally, CaseTallyDelta

NO_CATEGORY = ""


@dataclass(frozen=True)
class Count:
    region: str
    status: str
    category: str | None
    source: str
    n: int


def read(s: Session, regions: Collection[str] | None = None, statuses: Collection[str] = (),
         categories: Collection[str] = (), source: str | None = None) -> list[Count]:
    """The counts of the cases in `regions` (None: all), narrowed to `statuses`, `categories` and `source` if given."""
    parts = []
    for table in (CaseTally, CaseTallyDelta):
        q = sa.select(col(table.region), col(table.status), col(table.category), col(table.source), col(table.n))
        if regions is not None:
            q = q.where(col(table.region).in_(list(regions)))
        if statuses:
            q = q.where(col(table.status).in_(list(statuses)))
        if categories:
            q = q.where(col(table.category).in_(list(categories)))
        if source:
            q = q.where(col(table.source) == source)
        parts.append(q)
    both = sa.union_all(*parts).subquery()
    key = (both.c.region, both.c.status, both.c.category, both.c.source)
    total = sa.func.sum(both.c.n)
    rows = s.execute(sa.select(*key, total).group_by(*key).having(total != 0)).all()
    return [Count(r, st, c if c != NO_CATEGORY else None, so, int(n)) for r, st, c, so, n in rows]


def by(counts: list[Count], field: str) -> dict[str | None, int]:
    """The counts summed per value of one field (`status`, `category`, `source`, `region`)."""
    out: dict[str | None, int] = {}
    for c in counts:
        out[getattr(c, field)] = out.get(getattr(c, field), 0) + c.n
    return out


def fold(engine: sa.Engine) -> None:
    """Move the deltas into the counts, in one transaction (a reader sees them either side, never both or neither)."""
    with sqlite_writer(engine), engine.begin() as conn:
        if engine.dialect.name == "postgresql":
            conn.execute(sa.text(
                "WITH moved AS (DELETE FROM case_tally_delta RETURNING region, status, category, source, n) "
                "INSERT INTO case_tally (region, status, category, source, n) "
                "SELECT region, status, category, source, sum(n) FROM moved GROUP BY region, status, category, source "
                "ORDER BY region, status, category, source "  # one lock order: two folds at once never deadlock
                "ON CONFLICT (region, status, category, source) DO UPDATE SET n = case_tally.n + excluded.n"))
        else:  # one writer at a time: what the INSERT read is what the DELETE removes
            conn.execute(sa.text(
                "INSERT INTO case_tally (region, status, category, source, n) "
                "SELECT region, status, category, source, sum(n) FROM case_tally_delta "
                "GROUP BY region, status, category, source "
                "ON CONFLICT (region, status, category, source) DO UPDATE SET n = case_tally.n + excluded.n"))
            conn.execute(sa.text("DELETE FROM case_tally_delta"))
