"""What people do with warnings: read them (`GET /api/v1/warnings`), turn one into a proactive task (未诉先办) or
dismiss it with a reason (`POST /api/v1/warnings/{id}/act`); and what a parent does with its children's
(`keep_from_below`)."""
from __future__ import annotations

import re
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any

import sqlalchemy as sa
import structlog
from sqlalchemy.dialects import postgresql, sqlite
from sqlmodel import col, select

from services.audit import api as audit
from services.warning.adapters.tables import Warning
from services.warning.records import _IDS, LEVELS, feed, payload_of, publish
from shared.catalog import load_catalog
from shared.contracts import payloads
from shared.store.tables import Case
from shared.store.uow import NotFound

if TYPE_CHECKING:
    from services.intake import api as intake

log = structlog.get_logger("yiwang.warning")
STATUSES = ("open", "tasked", "dismissed")
ID = re.compile(r"W\d{6,12}-[0-9a-f]{10}")  # records.warning_id
ACTIONS = ("task", "dismiss")


class WarningConflict(Exception):
    """The warning is not open (already tasked or dismissed), or another center owns it (HTTP 409)."""

    def __init__(self, warning_id: str, status: str, message: str):
        self.warning_id, self.status = warning_id, status
        super().__init__(message)


class BadAction(ValueError):
    """The action or its fields are not valid (HTTP 422)."""


@dataclass(frozen=True)
class WarningPage:
    items: list[dict[str, Any]]
    page: int
    page_size: int
    total: int


def public(row: Warning, cases: dict[str, dict[str, Any]] | None = None) -> dict[str, Any]:
    """A warning as the API shows it (CONTRACTS.md §7), with its cases as this center knows them."""
    return {"id": row.id, "kind": row.kind, "level": row.level, "region": row.region, "center": row.center,
            "at": row.at.isoformat(), "title": row.title, "evidence": row.evidence, "case_ids": row.case_ids,
            "status": row.status, "task_case_id": row.task_case_id, "acted_by": row.acted_by,
            "acted_at": row.acted_at.isoformat() if row.acted_at else None, "reason": row.reason,
            "cases": [cases[c] for c in row.case_ids if cases and c in cases]}


def _cases(session, ids: list[str]) -> dict[str, dict[str, Any]]:
    if not ids:
        return {}
    rows = session.execute(sa.select(col(Case.id), col(Case.status), col(Case.category), col(Case.region),
                                     col(Case.source), col(Case.created_at)).where(col(Case.id).in_(ids))).all()
    return {r[0]: {"id": r[0], "status": r[1], "category": r[2], "region": r[3], "source": r[4],
                   "created_at": r[5].isoformat() if r[5] else None} for r in rows}


def find(store, *, within: str, kind: str | None = None, status: str | None = None, level: str | None = None,
         region: str | None = None, page: int = 1, page_size: int = 20) -> WarningPage:
    """The warnings of `within`'s subtree (optionally of `region`'s), newest first, with their cases."""
    regions = load_catalog().regions
    scope = regions.subtree(region or within)
    where: list[Any] = [col(Warning.region).in_(scope)]
    if kind:
        where.append(col(Warning.kind) == kind)
    if status:
        where.append(col(Warning.status) == status)
    if level:
        where.append(col(Warning.level) == level)
    with store.session() as s:
        total = s.exec(select(sa.func.count()).select_from(Warning).where(*where)).one()
        rows = s.exec(select(Warning).where(*where).order_by(col(Warning.at).desc(), col(Warning.id))
                      .offset((page - 1) * page_size).limit(page_size)).all()
        cases = _cases(s, sorted({c for r in rows for c in r.case_ids}))
        return WarningPage([public(r, cases) for r in rows], page, page_size, total)


def _seen(s, warning_id: str, sees: Callable[[str], bool]) -> Warning:
    """The warning, if it exists and the caller sees its region; else NotFound (the same for both)."""
    if not ID.fullmatch(warning_id):
        raise NotFound("warning", warning_id[:40])
    row = s.get(Warning, warning_id)
    if row is None or not sees(row.region):
        raise NotFound("warning", warning_id)
    return row


def get(store, warning_id: str, sees: Callable[[str], bool]) -> dict[str, Any]:
    with store.session() as s:
        row = _seen(s, warning_id, sees)
        return public(row, _cases(s, row.case_ids))


def act(store, warning_id: str, action: str | None, *, actor: str, sees: Callable[[str], bool],
        reason: str | None = None, note: str | None = None) -> dict[str, Any]:
    """`task`: open a proactive case (未诉先办, source `proactive`) through intake, so triage routes and dispatch
    dispatches it like any case, and mark the warning tasked with it — in one transaction. `dismiss`: close the
    warning with a reason. Raises NotFound (unknown or outside `sees`), WarningConflict (not open, or raised by
    another center: it is acted on there), BadAction."""
    with store.session() as s:
        row = _seen(s, warning_id, sees)
        if row.center != store.center:
            raise WarningConflict(row.id, row.status, f"warning {row.id} was raised by center {row.center}; "
                                                      "it is acted on there")
        if row.status != "open":
            raise WarningConflict(row.id, row.status, f"warning {row.id} is already {row.status}")
        snapshot = public(row)
    if action not in ACTIONS:
        raise BadAction(f"action must be one of {', '.join(ACTIONS)}")
    if action == "dismiss":
        if not reason or not reason.strip():
            raise BadAction("a dismissal needs a reason")
        with store.uow() as uow:
            w = _locked(uow, warning_id)
            _settle(uow, w, "dismissed", actor, reason.strip())
            uow.commit()
        log.info("warning dismissed", warning_id=warning_id, actor=actor)
    else:
        def claim(uow, case):
            w = _locked(uow, warning_id)
            _settle(uow, w, "tasked", actor, reason, case.id)

        from services.intake import api as intake  # here: intake's alerts raise warnings through this package

        new = _proactive(snapshot, note or reason)
        accepted = intake.take_in(store, new, actor, uow_hook=claim)
        log.info("warning tasked", warning_id=warning_id, case_id=accepted.case_id, actor=actor)
    return get(store, warning_id, sees)


def _locked(uow, warning_id: str) -> Warning:
    q = select(Warning).where(Warning.id == warning_id)
    if uow.engine.dialect.name == "postgresql":
        q = q.with_for_update()
    w = uow.session.exec(q.execution_options(populate_existing=True)).one()
    if w.status != "open":  # another dispatcher acted first
        raise WarningConflict(w.id, w.status, f"warning {w.id} is already {w.status}")
    return w


def _settle(uow, w: Warning, status: str, actor: str, reason: str | None, case_id: str | None = None) -> None:
    now = uow.now()
    w.status, w.acted_by, w.acted_at, w.reason, w.updated_at = status, actor, now, reason, now
    w.task_case_id = case_id
    uow.add(w)
    uow.session.flush()
    feed(uow, w)
    audit.record(uow.session, center=uow.center, actor=actor, action=f"warning.{status}", at=now, reason=reason,
                 subject={"warning_id": w.id, "kind": w.kind, "case_id": case_id})


def _proactive(w: dict[str, Any], note: str | None) -> intake.NewCase:
    """The proactive case of a warning. It names the area, not a point (the hotspot's box is in the description and on
    the warning): a point would make triage merge it (并单) into one of the complaints it is meant to get ahead of."""
    from services.intake import api as intake

    ev = w["evidence"]
    category = ev.get("category")
    try:
        place = load_catalog().regions.name(w["region"])
    except LookupError:
        place = w["region"]
    where = ""
    if ev.get("center"):
        where = f"；片区中心 {ev['center'][0]:.5f},{ev['center'][1]:.5f}，范围约 {2 * float(ev.get('cell_m', 500)):.0f} 米见方"
    text = f"未诉先办：{w['title']}（预警 {w['id']}，{place}{where}）"
    if note:
        text += f"。{note}"
    return intake.NewCase(source="proactive", description=text[:1000], region=w["region"], category=category,
                          priority="high" if w["level"] == "red" else "normal",
                          address=f"{place}（预警片区）", facts={"warning_id": w["id"]})


def keep_from_below(store, event: Any) -> bool:
    """At a parent: keep a copy of a warning raised below (or raised again higher), show it on the live feed, and pass
    it on to this center's own parent. A warning from outside this center's subtree is ignored."""
    data = event.payload
    if not isinstance(data, payloads.WarningRaised) or data.center == store.center or event.center == store.center:
        return False  # this center's own (raised here, or a copy it passed on up itself)
    regions = load_catalog().regions
    if data.center not in regions or not regions.is_within(data.center, store.center) \
            or event.center not in regions or not regions.is_within(event.center, store.center):
        log.warning("ignored a warning from outside this center's subtree", center=event.center, warning_id=data.id)
        return False
    def write(uow):
        insert = postgresql.insert if uow.engine.dialect.name == "postgresql" else sqlite.insert
        values = {"id": data.id, "kind": data.kind, "level": data.level, "region": data.region,
                  "center": data.center, "at": data.at, "title": data.title, "evidence": data.evidence,
                  "case_ids": data.case_ids, "status": data.status, "cause": f"{data.center}|{data.cause}",
                  "updated_at": uow.now()}
        uow.session.execute(insert(Warning).values(**values).on_conflict_do_update(
            index_elements=["id"], set_={k: values[k] for k in ("level", "title", "evidence", "case_ids", "status",
                                                                 "updated_at")}))
        row = uow.session.exec(select(Warning).where(Warning.id == data.id)
                               .execution_options(populate_existing=True)).one()
        if LEVELS.index(row.level) < LEVELS.index(data.level):
            row.level = data.level
        feed(uow, row)
        publish(uow, row.id, row.region, payload_of(row, data.upgraded),
                str(uuid.uuid5(_IDS, f"{event.id}|{store.center}")))
        return True
    return bool(store.once("warning.keep_from_below", event, write))


def since(store, start: datetime, end: datetime, scope: list[str]) -> list[Warning]:
    """The warnings raised in [start, end) in these regions (the report)."""
    with store.session() as s:
        return list(s.exec(select(Warning).where(col(Warning.at) >= start, col(Warning.at) < end,
                                                 col(Warning.region).in_(scope)).order_by(col(Warning.at))).all())
