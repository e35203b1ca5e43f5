"""Routing replay over a center's database (`yiwang routing replay`): reads its past cases and changes nothing."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from sqlmodel import col, select

from services.triage.domain.replay import PastRouting, Replayed, Step, first_routing, replay
from services.triage.domain.routing import RoutingError, load_routing_table
from shared.catalog import load_catalog
from shared.store.tables import Case, TimelineEntry


@dataclass(frozen=True)
class ReplayReport:
    center: str
    start: datetime
    end: datetime
    replayed: tuple[Replayed, ...]

    @property
    def changed(self) -> list[Replayed]:
        return [r for r in self.replayed if r.differs]


def load_rules(path: str | Path):
    """A routing table file, checked against the catalog; raises RoutingError naming what is wrong."""
    table = load_routing_table(Path(path))
    table.validate(load_catalog())
    return table


def replay_center(session_factory, center: str, rules_path: str | Path, start: datetime, end: datetime) -> ReplayReport:
    """The cases `center` first routed in [start, end), routed again under the rules in `rules_path`. Read only."""
    try:
        rules = load_rules(rules_path)
    except RoutingError as e:
        raise RoutingError(f"routing rules {rules_path}: {e}") from None
    catalog = load_catalog()
    with session_factory() as session:
        routed = (select(TimelineEntry.case_id)
                  .where(col(TimelineEntry.type).in_(("triaged", "routed")), TimelineEntry.center == center,
                         col(TimelineEntry.at) >= start, col(TimelineEntry.at) < end).distinct())
        cases = {cid: (source, region) for cid, source, region in
                 session.exec(select(Case.id, Case.source, Case.region).where(col(Case.id).in_(routed)))}
        steps: dict[str, list[Step]] = {cid: [] for cid in cases}
        ids = sorted(cases)
        for i in range(0, len(ids), 1000):
            for t in session.exec(select(TimelineEntry).where(col(TimelineEntry.case_id).in_(ids[i:i + 1000]))
                                  .order_by(col(TimelineEntry.case_id), col(TimelineEntry.at),
                                            col(TimelineEntry.id))):
                steps[t.case_id].append(Step(t.at, t.type, t.center, t.unit, t.data or {}))
        session.rollback()
    past: list[PastRouting] = []
    for cid in ids:
        p = first_routing(cid, *cases[cid], center, steps[cid])
        if p is not None and start <= p.at < end and p.request.category in catalog.categories:
            past.append(p)
    past.sort(key=lambda p: (p.at, p.case_id))
    return ReplayReport(center, start, end, tuple(replay(past, catalog, rules)))
