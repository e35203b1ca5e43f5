"""Feedback: close verified cases, reopen for rework (重办), and evaluate units and regions (行政问效)."""
from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

import sqlalchemy as sa
from sqlmodel import col, select

from services.feedback.domain.indicators import SATISFIED, Entry, assignments, indicators, ranking
from shared import lifecycle
from shared.store.tables import Case, TimelineEntry

ACTOR = "system:feedback"
AWAITS_CITIZEN = ("hotline",)  # these close after the citizen's satisfaction visit (回访), not on verification


def close_verified(store, event) -> None:
    """A verified case with no citizen visit to wait for is closed (核查结案)."""
    if not event.payload.passed:
        return
    with store.uow() as uow:
        if not uow.first_time("feedback.close_verified", event.id):
            return
        case = uow.case(event.subject)
        answered = case.source not in AWAITS_CITIZEN or case.satisfaction in SATISFIED  # visited before verified
        if case.status == lifecycle.VERIFIED and answered and case.center == store.center:
            uow.apply(case, lifecycle.Close("verified on site; closed"), ACTOR)
        uow.commit()


def close(store, case_id, actor, note=None, guard=None):
    return store.act(case_id, lifecycle.Close(note), actor, guard)


def reopen(store, case_id, actor, reason, guard=None):
    return store.act(case_id, lifecycle.Reopen(reason), actor, guard)


def evaluate(store, start: datetime, end: datetime, by: str, within: Callable[[str], bool] | None = None) -> list[dict]:
    """Indicators over the assignments that began in [start, end). `within(region)` limits the cases."""
    with store.session() as session:
        return _evaluate(session, start, end, by, within)


def rank(store, start: datetime, end: datetime, by: str, within: Callable[[str], bool] | None = None) -> dict:
    """红黑榜: the best and worst units (or regions) by the composite score of the evaluation."""
    return ranking(evaluate(store, start, end, by, within), by)


def _evaluate(session, start: datetime, end: datetime, by: str, within: Callable[[str], bool] | None) -> list[dict]:
    started = (sa.select(col(TimelineEntry.case_id))
               .where(col(TimelineEntry.type).in_(("dispatched", "transferred")),
                      col(TimelineEntry.at) >= start, col(TimelineEntry.at) < end).distinct())
    cases = {c.id: c.region for c in session.exec(select(Case.id, Case.region).where(col(Case.id).in_(started)))}
    if within is not None:
        cases = {k: v for k, v in cases.items() if within(v)}
    entries: dict[str, list[Entry]] = {cid: [] for cid in cases}
    ids = list(cases)
    for chunk in range(0, len(ids), 1000):
        rows = session.exec(select(TimelineEntry).where(col(TimelineEntry.case_id).in_(ids[chunk:chunk + 1000]))
                            .order_by(col(TimelineEntry.case_id), col(TimelineEntry.at), col(TimelineEntry.id))).all()
        for r in rows:
            entries[r.case_id].append(Entry(r.case_id, r.at, r.type, r.unit, r.data or {}))
    rows = []
    for cid, es in entries.items():
        rows += [a for a in assignments(cid, cases[cid], es) if start <= a.started_at < end]
    return indicators(rows, by)
