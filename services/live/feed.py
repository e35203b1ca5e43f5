"""The live feed of a center (CONTRACTS.md §6): what its screens are told, in order.

- Written: `record_changes` is a unit-of-work reaction, so every case event this center records — its own and the
  copies it keeps of the cases below — adds a row in the transaction of the change; notifications and warnings add
  theirs the same way (`append`). Nothing is written that did not commit.
- Numbered: `sequence` gives the committed rows without a number the next numbers of the center's counter, in the
  order they became visible. Any gateway process may run it: they take turns under a lock, so numbers increase per
  center across processes, and a row that committed late gets a later number rather than a gap in the past.
- Read: `since(seq)` returns the numbered rows after `seq`; a stream resumes from its `Last-Event-ID` that way for
  the last hour (`WINDOW`); older rows are purged.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql, sqlite
from sqlmodel import col, select

from services.live.adapters.tables import LiveEvent
from services.supervision.api import lights_of
from shared.extensions.database import CenterStore
from shared.store.tables import Counter
from shared.store.uow import Recorded, UnitOfWork

WINDOW = timedelta(hours=1)
COUNTER = "live_seq"
SEQUENCE_LOCK = 7020603   # PostgreSQL advisory lock class: one numbering at a time per center
BATCH = 1000
LIGHT_OF_EVENT = {"due_soon": "yellow", "overdue": "red"}


@dataclass(frozen=True)
class Change:
    """One numbered row of the feed, as a stream sends it."""

    seq: int
    name: str
    case_id: str | None
    status: str | None
    light: str | None
    unit: str | None
    region: str
    center: str
    at: datetime
    audience: dict[str, Any] | None
    data: dict[str, Any] | None


def record_changes(uow: UnitOfWork, recorded: list[Recorded]) -> None:
    """The reaction: one row per recorded case event, with the case as the event left it."""
    lights = lights_of(uow.session, sorted({r.case.id for r in recorded}))
    append(uow, [{"name": r.type, "case_id": r.case.id, "status": r.case.status, "unit": r.case.unit,
                  "light": LIGHT_OF_EVENT.get(r.type) or lights.get(r.case.id, "green"),
                  "region": r.case.region, "center": r.case.center, "at": r.at} for r in recorded])


def append(uow: UnitOfWork, rows: list[dict[str, Any]]) -> None:
    """Add rows to the feed inside the caller's transaction (numbered once it commits)."""
    if rows:
        uow.session.execute(sa.insert(LiveEvent), rows)


def sequence(store: CenterStore) -> int:
    """Number the committed rows that have no number yet; returns how many."""
    with store.uow() as uow:
        if not _unnumbered(uow, 1):
            return 0
        if uow.engine.dialect.name == "postgresql":
            uow.session.execute(sa.text("SELECT pg_advisory_xact_lock(:k)"), {"k": SEQUENCE_LOCK})
        todo = _unnumbered(uow, BATCH)  # again, under the lock: another process may have numbered them
        if not todo:
            return 0
        last = _take_numbers(uow, len(todo))
        uow.session.execute(sa.update(LiveEvent),  # bulk UPDATE by primary key
                            [{"id": row_id, "seq": last - len(todo) + n} for n, row_id in enumerate(todo, 1)])
        uow.commit()
        return len(todo)


def since(store: CenterStore, seq: int, until: int | None = None, limit: int = BATCH) -> list[Change]:
    """The numbered rows after `seq` (up to `until`), in order."""
    q = select(LiveEvent).where(col(LiveEvent.seq) > seq)
    if until is not None:
        q = q.where(col(LiveEvent.seq) <= until)
    with store.session() as s:
        rows = s.exec(q.order_by(col(LiveEvent.seq)).limit(limit)).all()
    return [_change(r) for r in rows]


def latest(store: CenterStore) -> int:
    """The highest number given so far (0 before the first)."""
    with store.session() as s:
        return s.exec(select(sa.func.coalesce(sa.func.max(LiveEvent.seq), 0))).one()


def purge(store: CenterStore, now: datetime) -> int:
    """Forget numbered rows older than the resume window."""
    with store.uow() as uow:
        gone = uow.session.execute(sa.delete(LiveEvent).where(col(LiveEvent.at) < now - WINDOW,
                                                              col(LiveEvent.seq).is_not(None)))
        uow.commit()
        return int(getattr(gone, "rowcount", 0) or 0)


def _unnumbered(uow: UnitOfWork, limit: int) -> list[int]:
    return [i for i in uow.session.exec(select(LiveEvent.id).where(col(LiveEvent.seq).is_(None))
                                        .order_by(col(LiveEvent.id)).limit(limit)).all() if i is not None]


def _take_numbers(uow: UnitOfWork, n: int) -> int:
    """Advance the center's feed counter by `n`; returns the last number taken."""
    insert = postgresql.insert if uow.engine.dialect.name == "postgresql" else sqlite.insert
    uow.session.execute(insert(Counter).values(name=COUNTER, value=0).on_conflict_do_nothing())
    return int(uow.session.execute(sa.update(Counter).where(col(Counter.name) == COUNTER)
                                   .values(value=Counter.value + n).returning(col(Counter.value))).scalar_one())


def _change(r: LiveEvent) -> Change:
    assert r.seq is not None
    return Change(r.seq, r.name, r.case_id, r.status, r.light, r.unit, r.region, r.center, r.at, r.audience, r.data)
