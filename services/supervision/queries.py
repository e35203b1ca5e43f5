"""Supervision's read model (实时追溯): the cases of a region's subtree as this center sees them — its own and the
copies it keeps of the cases below — with their deadlines and lights; one case with its timeline and reporters;
the situation board. Queries only: callers present what they get."""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

import sqlalchemy as sa
from sqlmodel import Session, col, func, select

from services.supervision.adapters.tables import CaseDeadline
from shared import lifecycle
from shared.catalog import load_catalog
from shared.clock import CHINA
from shared.extensions.database import CenterStore
from shared.store import tally
from shared.store.tables import Case, Reporter, TimelineEntry
from shared.store.uow import NotFound

WARNING_TYPES = ("due_soon", "overdue", "supervised")
POINTS = 3000     # open cases on the map, at most
TREND_DAYS = 30


@dataclass(frozen=True)
class Deadlines:
    """A case's current stage, its deadlines, light and whether it is overdue."""

    stage: str | None
    sign: datetime | None
    resolve: datetime | None
    verify: datetime | None
    feedback: datetime | None
    light: str
    overdue: bool

    @classmethod
    def of(cls, row: CaseDeadline) -> Deadlines:
        return cls(row.stage, row.sign_due, row.resolve_due, row.verify_due, row.feedback_due, row.light,
                   bool(row.overdue))


@dataclass(frozen=True)
class CaseRow:
    case: Case
    deadlines: Deadlines | None
    last_note: str | None = None  # the last note a person wrote (not the system), when asked for


@dataclass(frozen=True)
class CasePage:
    items: list[CaseRow]
    page: int
    page_size: int
    total: int | None


@dataclass(frozen=True)
class CaseDetail:
    case: Case
    deadlines: Deadlines | None
    timeline: list[TimelineEntry]   # oldest first, as it happened
    reporters: list[Reporter]


@dataclass(frozen=True)
class CaseQuery:
    """Which cases to list. `within`: the caller's region, whose subtree bounds everything; `region` narrows it
    to a region of that subtree. Times bound `created_at`: `created_from` ≤ t, t < `created_before`,
    t ≤ `created_until`."""

    within: str
    ids: Sequence[str] = ()
    statuses: Sequence[str] = ()
    categories: Sequence[str] = ()
    unit: str | None = None
    source: str | None = None
    region: str | None = None
    light: str | None = None
    overdue: bool | None = None
    created_from: datetime | None = None
    created_before: datetime | None = None
    created_until: datetime | None = None
    page: int = 1
    page_size: int = 20
    count: bool = True        # also count every match (the list's `total`)
    with_notes: bool = False  # also read each case's last note written by a person


def scope_regions(within: str) -> list[str] | None:
    """The regions of `within`'s subtree (None for the root: every region)."""
    regions = load_catalog().regions
    return None if within == regions.root else list(regions.subtree(within))


def in_scope(within: str) -> list[Any]:
    """The conditions that keep a query inside `within`'s subtree (nothing for the root)."""
    regions = scope_regions(within)
    return [] if regions is None else [col(Case.region).in_(regions)]


def _where(q: CaseQuery) -> list[Any]:
    conditions = in_scope(q.within)
    if q.region:
        conditions.append(col(Case.region).in_(load_catalog().regions.subtree(q.region)))
    for column, values in ((col(Case.id), q.ids), (col(Case.status), q.statuses), (col(Case.category), q.categories)):
        if values:
            conditions.append(column.in_(list(values)))
    if q.unit:  # the unit holding the case, or assisting in it (联合处置: its sub-task)
        conditions.append(sa.or_(col(Case.unit) == q.unit, sa.cast(col(Case.assisting_units), sa.Text)
                                 .contains(f'"{q.unit}"', autoescape=True)))
    if q.source:
        conditions.append(col(Case.source) == q.source)
    if q.light or q.overdue is not None:
        lit = sa.select(col(CaseDeadline.case_id))
        if q.light:
            lit = lit.where(col(CaseDeadline.light) == q.light)
        if q.overdue is not None:
            lit = lit.where(col(CaseDeadline.overdue) == q.overdue)
        conditions.append(col(Case.id).in_(lit))
    for op, at in ((col(Case.created_at).__ge__, q.created_from), (col(Case.created_at).__lt__, q.created_before),
                   (col(Case.created_at).__le__, q.created_until)):
        if at is not None:
            conditions.append(op(at))
    return conditions


def find_cases(store: CenterStore, q: CaseQuery) -> CasePage:
    """The matching cases, newest first, one page of them."""
    where = _where(q)
    with store.session() as s:
        total = _total(s, q, where) if q.count else None
        cases = list(s.exec(select(Case).where(*where).order_by(col(Case.created_at).desc(), col(Case.id).desc())
                            .offset((q.page - 1) * q.page_size).limit(q.page_size)).all())
        ids = [c.id for c in cases]
        deadlines = _deadlines(s, ids)
        notes = _last_notes(s, ids) if q.with_notes else {}
    return CasePage([CaseRow(c, deadlines.get(c.id), notes.get(c.id)) for c in cases], q.page, q.page_size, total)


def _total(s: Session, q: CaseQuery, where: list[Any]) -> int:
    """How many cases match: from the case tally when only its keys filter (the same cost at any size of history),
    otherwise counted."""
    if q.ids or q.unit or q.light or q.overdue is not None or q.created_from or q.created_before or q.created_until:
        return s.exec(select(func.count()).select_from(Case).where(*where)).one()
    regions = scope_regions(q.within)
    if q.region:
        narrowed = load_catalog().regions.subtree(q.region)
        regions = list(narrowed) if regions is None else [r for r in regions if r in set(narrowed)]
    return sum(c.n for c in tally.read(s, regions, q.statuses, q.categories, q.source))


def visible_case(s: Session, case_id: str, within: str) -> Case:
    """The case, if `within`'s subtree holds it; otherwise it does not exist for the caller."""
    case = s.get(Case, case_id)
    if case is None or not load_catalog().regions.holds(within, case.region):
        raise NotFound("case", case_id)
    return case


def case_detail(store: CenterStore, case_id: str, within: str) -> CaseDetail:
    with store.session() as s:
        case = visible_case(s, case_id, within)
        timeline = list(s.exec(select(TimelineEntry).where(TimelineEntry.case_id == case.id)
                               .order_by(col(TimelineEntry.at), col(TimelineEntry.id))).all())
        reporters = list(s.exec(select(Reporter).where(Reporter.case_id == case.id).order_by(col(Reporter.id))).all())
        row = s.get(CaseDeadline, case.id)
    return CaseDetail(case, Deadlines.of(row) if row else None, timeline, reporters)


QUEUE_SIZE = 100


def queue(store: CenterStore, center: str, within: str) -> dict[str, list[CaseRow]]:
    """What needs this center's desk now, among the open cases it owns in `within`'s subtree: 新案件 not yet signed
    for, 退回 returned and routed again, 上报 come up from a center below, 超期 overdue, 延期申请 waiting for a
    decision, 退单审核 returns waiting for this center's review (`return_reviews`), 挂账申请 suspension requests
    waiting for a decision (`suspension_requests`), 立案审核 cases waiting for approval before dispatch
    (`registrations`); and 提级督办 (`supervising`): the open cases of centers below whose supervision was raised to this
    center (a 提级 step of an escalation chain, or a 提级督办 by hand)."""
    mine = [col(Case.center) == center, col(Case.status).in_(tuple(lifecycle.OPEN)), *in_scope(within)]
    came_up = sa.exists().where(col(TimelineEntry.case_id) == Case.id, col(TimelineEntry.type) == "escalated",
                                col(TimelineEntry.center) != center)
    late = sa.exists().where(col(CaseDeadline.case_id) == Case.id, col(CaseDeadline.overdue).is_(True))
    groups: dict[str, list[Any]] = {"new": [col(Case.status).in_((lifecycle.RECEIVED, lifecycle.TRIAGED, lifecycle.DISPATCHED))],
              "returned": [col(Case.return_count) > 0,
                           col(Case.status).in_((lifecycle.TRIAGED, lifecycle.DISPATCHED))],
              "escalated": [came_up], "overdue": [late], "extension_requests": [col(Case.extension_pending).is_(True)],
              "return_reviews": [col(Case.return_pending).is_not(None)],
              "suspension_requests": [col(Case.suspension) == lifecycle.SUSPENSION_REQUESTED],
              "registrations": [col(Case.registration_pending).is_(True)]}
    with store.session() as s:
        found = {name: list(s.exec(select(Case).where(*mine, *where).order_by(col(Case.updated_at).desc())
                                   .limit(QUEUE_SIZE)).all()) for name, where in groups.items()}
        raised_here = sa.exists().where(col(TimelineEntry.case_id) == Case.id, col(TimelineEntry.type) == "supervised",
                                        TimelineEntry.data["supervisor"].as_string() == center)
        found["supervising"] = list(s.exec(select(Case).where(
            col(Case.center) != center, col(Case.status).in_(tuple(lifecycle.OPEN)), *in_scope(within), raised_here)
            .order_by(col(Case.updated_at).desc()).limit(QUEUE_SIZE)).all())
        deadlines = _deadlines(s, sorted({c.id for cases in found.values() for c in cases}))
    return {name: [CaseRow(c, deadlines.get(c.id)) for c in cases] for name, cases in found.items()}


def board(store: CenterStore, within: str, now: datetime) -> dict[str, Any]:
    """The situation: counts by status, category, source and light; the open cases on the map; the overdue cases;
    the latest supervision warnings; the last 30 days."""
    scope = in_scope(within)
    with store.session() as s:
        counts = tally.read(s, scope_regions(within))  # kept by the database: not a scan of the whole history
        return {"by_status": tally.by(counts, "status"), "by_category": tally.by(counts, "category"),
                "by_source": tally.by(counts, "source"), "by_light": _open_lights(s, scope),
                "points": _points(s, scope), "overdue": _overdue(s, scope), "warnings": _warnings(s, scope),
                "trend": _trend(s, scope, now)}


def _open_lights(s: Session, scope: list[Any]) -> dict[str, int]:
    return dict(s.exec(select(CaseDeadline.light, func.count()).join(Case, col(Case.id) == CaseDeadline.case_id)
                       .where(*scope, col(Case.status).in_(tuple(lifecycle.OPEN)))
                       .group_by(CaseDeadline.light)).all())


def _points(s: Session, scope: list[Any]) -> list[dict[str, Any]]:
    """Open cases with a location, for the map (the newest `POINTS`)."""
    rows = s.execute(sa.select(col(Case.id), col(Case.lon), col(Case.lat), col(Case.status), col(Case.category),
                               col(Case.region), col(CaseDeadline.light))
                     .outerjoin(CaseDeadline, col(Case.id) == CaseDeadline.case_id)
                     .where(*scope, col(Case.status).in_(tuple(lifecycle.OPEN)), col(Case.lon).is_not(None))
                     .order_by(col(Case.created_at).desc()).limit(POINTS)).all()
    return [{"id": i, "lon": lon, "lat": lat, "status": st, "category": cat, "region": reg, "light": light or "green"}
            for i, lon, lat, st, cat, reg, light in rows]


def _overdue(s: Session, scope: list[Any]) -> list[dict[str, Any]]:
    rows = s.exec(select(Case, CaseDeadline).join(CaseDeadline, col(Case.id) == CaseDeadline.case_id)
                  .where(*scope, col(CaseDeadline.overdue).is_(True), col(Case.status).in_(tuple(lifecycle.OPEN)))
                  .order_by(col(Case.created_at)).limit(50)).all()
    return [{"id": c.id, "unit": c.unit, "region": c.region, "category": c.category, "stage": d.stage,
             "due": d.due(d.stage)} for c, d in rows]


def _warnings(s: Session, scope: list[Any]) -> list[dict[str, Any]]:
    rows = s.exec(select(TimelineEntry).join(Case, col(Case.id) == TimelineEntry.case_id)
                  .where(*scope, col(TimelineEntry.type).in_(WARNING_TYPES))
                  .order_by(col(TimelineEntry.id).desc()).limit(20)).all()
    return [{"case_id": w.case_id, "type": w.type, "at": w.at, "unit": w.unit, "center": w.center,
             "stage": (w.data or {}).get("stage"), "level": (w.data or {}).get("level"), "note": w.note}
            for w in rows]


def _trend(s: Session, scope: list[Any], now: datetime) -> list[dict[str, Any]]:
    """Cases received and closed on each of the last `TREND_DAYS` days (China time), oldest first."""
    first = (now.astimezone(CHINA) - timedelta(days=TREND_DAYS - 1)).replace(hour=0, minute=0, second=0,
                                                                           microsecond=0)
    days = {(first + timedelta(days=n)).date().isoformat(): {"received": 0, "closed": 0} for n in range(TREND_DAYS)}
    for column, name in ((Case.created_at, "received"), (Case.closed_at, "closed")):
        day = _china_day(s, column)
        for d, n in s.exec(select(day, func.count()).where(*scope, col(column) >= first).group_by(day)).all():
            if str(d) in days:
                days[str(d)][name] = n
    return [{"date": d, **v} for d, v in days.items()]


def _china_day(s: Session, column: Any) -> Any:
    """The China-time calendar day of a UTC time column, as 'YYYY-MM-DD'."""
    if s.get_bind().dialect.name == "postgresql":
        return func.to_char(func.timezone("Asia/Shanghai", column), "YYYY-MM-DD")
    return func.date(column, "+8 hours")


def lights_of(s: Session, case_ids: list[str]) -> dict[str, str]:
    """The light of each case that has one (cases without deadlines are green)."""
    if not case_ids:
        return {}
    return dict(s.exec(select(CaseDeadline.case_id, CaseDeadline.light)
                       .where(col(CaseDeadline.case_id).in_(case_ids))).all())


def _deadlines(s: Session, case_ids: list[str]) -> dict[str, Deadlines]:
    if not case_ids:
        return {}
    rows = s.exec(select(CaseDeadline).where(col(CaseDeadline.case_id).in_(case_ids)))
    return {r.case_id: Deadlines.of(r) for r in rows}


def _last_notes(s: Session, case_ids: list[str]) -> dict[str, str | None]:
    """Each case's last note written by a person (not the routing rules or timers)."""
    if not case_ids:
        return {}
    last = (select(func.max(TimelineEntry.id))
            .where(col(TimelineEntry.case_id).in_(case_ids), col(TimelineEntry.note).is_not(None),
                   col(TimelineEntry.actor).not_like("system:%"))
            .group_by(TimelineEntry.case_id))
    return dict(s.exec(select(col(TimelineEntry.case_id), col(TimelineEntry.note))
                       .where(col(TimelineEntry.id).in_(last))).all())
