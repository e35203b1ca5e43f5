"""Feedback: close verified cases, reopen for rework (重办), and evaluate units and regions (行政问效)."""
from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

import sqlalchemy as sa
from sqlmodel import col, select

from services.feedback.domain.indicators import SATISFIED, CaseRecord, Entry, choose, load_versions, ranking
from services.feedback.domain.indicators import evaluate as evaluate_cases
from shared import lifecycle
from shared.catalog import load_catalog
from shared.clock import CHINA
from shared.store.tables import Case, TimelineEntry

ACTOR = "system:feedback"
AWAITS_CITIZEN = ("hotline",)  # these close after the citizen's satisfaction visit (回访), not on verification


def close_verified(store, event) -> None:
    """A verified case with no citizen visit to wait for is closed (核查结案)."""
    if not event.payload.passed:
        return
    def write(uow):
        case = uow.case(event.subject)
        answered = case.source not in AWAITS_CITIZEN or case.satisfaction in SATISFIED  # visited before verified
        if case.status == lifecycle.VERIFIED and answered and case.center == store.center:
            uow.apply(case, lifecycle.Close("verified on site; closed"), ACTOR)
    store.once("feedback.close_verified", event, write)


def close(store, case_id, actor, note=None, guard=None):
    return store.act(case_id, lifecycle.Close(note), actor, guard)


def reopen(store, case_id, actor, reason, guard=None):
    return store.act(case_id, lifecycle.Reopen(reason), actor, guard)


def indicator_versions() -> dict:
    """Every version of the indicators (services/feedback/data/indicators), oldest first."""
    return {name: rules.as_dict() for name, rules in load_versions().items()}


def evaluate(store, start: datetime, end: datetime, by: str, within: Callable[[str], bool] | None = None,
             version: str | None = None) -> dict:
    """Every indicator of the version named (default: the one in force on the period's first day) over the
    assignments that began in [start, end), as the timelines stood at `end`; `within(region)` limits the cases and
    the regions rows roll up to. By region, a row counts the cases of its region and of every region below it.
    Raises UnknownVersion."""
    rules = choose(load_versions(), version, start.astimezone(CHINA).date())
    catalog = load_catalog()
    regions = catalog.regions

    def rollup(region: str) -> tuple[str, ...]:
        path = regions.path(region) if region in regions else (region,)
        return tuple(r for r in path if (r not in regions or regions.holds(store.center, r))
                     and (within is None or within(r)))

    def desk(center: str) -> str | None:
        unit = catalog.unit_for(center, catalog.command_kind) if center in regions else None
        return unit.code if unit is not None else None

    with store.session() as session:
        cases = _cases(session, start, end, within)
    result = evaluate_cases(cases, rules, start, end, by, rollup=rollup, desk=desk)
    if by == "region":
        for row in result["rows"]:
            row["tier"] = regions.tier(row["region"]) if row["region"] in regions else None
    return {"version": rules.version, "effective_from": rules.effective_from.isoformat(),
            "indicators": [i.as_dict() for i in rules.indicators], **result}


def rank(store, start: datetime, end: datetime, by: str, within: Callable[[str], bool] | None = None,
         version: str | None = None, scope: str | None = None, tier: str | None = None) -> dict:
    """红黑榜: the best and worst units (or regions) by the composite score of the evaluation. By region, peers are
    ranked: the regions of `tier`, by default the tier just below `scope` (a county ranks its townships)."""
    ev = evaluate(store, start, end, by, within, version)
    rows = ev["rows"]
    if by == "region":
        regions = load_catalog().regions
        if tier is None and scope is not None and scope in regions:
            below = [c.tier for c in regions.children(scope)]
            tier = below[0] if below else regions.tier(scope)
        if tier is not None:
            rows = [r for r in rows if r.get("tier") == tier]
    rules = choose(load_versions(), ev["version"], start.date())
    return {**ranking(rows, by, rules), **({"tier": tier} if by == "region" else {})}


def _cases(session, start: datetime, end: datetime, within: Callable[[str], bool] | None) -> list[CaseRecord]:
    """The cases handed to a unit in [start, end), with their timelines up to `end`."""
    started = (sa.select(col(TimelineEntry.case_id))
               .where(col(TimelineEntry.type).in_(("dispatched", "transferred")),
                      col(TimelineEntry.at) >= start, col(TimelineEntry.at) < end).distinct())
    cases = {c.id: c.region for c in session.exec(select(Case.id, Case.region).where(col(Case.id).in_(started)))}
    if within is not None:
        cases = {k: v for k, v in cases.items() if within(v)}
    entries: dict[str, list[Entry]] = {cid: [] for cid in cases}
    ids = sorted(cases)
    for chunk in range(0, len(ids), 1000):
        rows = session.exec(select(TimelineEntry).where(col(TimelineEntry.case_id).in_(ids[chunk:chunk + 1000]),
                                                        col(TimelineEntry.at) < end)
                            .order_by(col(TimelineEntry.case_id), col(TimelineEntry.at), col(TimelineEntry.id))).all()
        for r in rows:
            entries[r.case_id].append(Entry(r.case_id, r.at, r.type, r.unit, r.data or {}, r.center))
    return [CaseRecord(cid, cases[cid], entries[cid]) for cid in ids]
