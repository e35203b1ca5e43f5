"""The warning record (CONTRACTS.md §7): raised once per cause, inside whatever unit of work found it, with its
`warning_raised` event in the outbox and its row on the live feed in the same transaction.

`raise_warning` is the API every finder calls (the case patterns here, intake's sensor warnings, the vehicle
tracks): a new cause makes a new warning (returned); a known cause adds its cases to the warning already raised,
takes the newest evidence and title, and raises it again at a higher level if asked (returns None either way).

The event is addressed like the audit head: to the parent's key `{parent's path}.warning_raised` (the city, which
has no parent, to its own), where the parent's gateway keeps a copy and passes it on up (`keep_from_below`).
"""
from __future__ import annotations

import hashlib
import uuid
from collections.abc import Iterable
from datetime import UTC, datetime
from typing import Any

import structlog
from sqlalchemy.dialects import postgresql, sqlite
from sqlmodel import col, select

from services.live import api as live
from services.warning.adapters.tables import Warning
from shared.catalog import load_catalog
from shared.catalog.model import UnknownRegion
from shared.contracts import events as ce
from shared.contracts import payloads
from shared.messaging.relay import Pending
from shared.messaging.topology import routing_key
from shared.store.tables import Outbox
from shared.store.uow import UnitOfWork

log = structlog.get_logger("yiwang.warning")
EVENT = "warning_raised"
LEVELS = ("info", "yellow", "red")
LIGHT = {"info": "green", "yellow": "yellow", "red": "red"}
MAX_CASES = 200
_IDS = uuid.UUID("6c1f0c3e-9a57-4d7c-9d7e-2f3b7a0e5a12")


def warning_id(center: str, cause: str) -> str:
    """`W{center}-{10 hex}`: the same cause at the same center always gets the same id."""
    return f"W{center}-{hashlib.sha256(f'{center}|{cause}'.encode()).hexdigest()[:10]}"


def raise_warning(uow: UnitOfWork, *, kind: str, level: str, region: str, title: str, evidence: dict[str, Any],
                  cause: str, case_ids: Iterable[str] = ()) -> Warning | None:
    """Raise the warning of `cause` in this unit of work: the new Warning, or None when that cause already raised one
    (its cases, evidence and — if higher — level are updated; a higher level is published again)."""
    if level not in LEVELS:
        raise ValueError(f"level must be one of {', '.join(LEVELS)}, got {level!r}")
    now = uow.now()
    ids = list(dict.fromkeys(case_ids))[:MAX_CASES]
    wid = warning_id(uow.center, cause)
    insert = postgresql.insert if uow.engine.dialect.name == "postgresql" else sqlite.insert
    made = uow.session.execute(insert(Warning).values(
        id=wid, kind=kind, level=level, region=region, center=uow.center, at=now, title=title[:200],
        evidence=evidence, case_ids=ids, status="open", cause=cause, updated_at=now)
        .on_conflict_do_nothing().returning(col(Warning.id))).scalar() is not None
    q = select(Warning).where(Warning.cause == cause)
    if uow.engine.dialect.name == "postgresql":
        q = q.with_for_update()
    row = uow.session.exec(q.execution_options(populate_existing=True)).one()
    if made:
        _announce(uow, row, upgraded=False)
        log.info("warning raised", warning_id=row.id, kind=kind, level=level, region=region)
        return row
    row.case_ids = list(dict.fromkeys([*row.case_ids, *ids]))[:MAX_CASES]
    if evidence:  # the title says what the evidence says (a count, a duration): both the newest
        row.evidence, row.title = evidence, title[:200]
    row.updated_at = now
    upgraded = LEVELS.index(level) > LEVELS.index(row.level)
    if upgraded:
        row.level = level
    uow.add(row)
    if upgraded and row.status == "open":
        uow.session.flush()
        _announce(uow, row, upgraded=True)
        log.info("warning raised again at a higher level", warning_id=row.id, kind=kind, level=level)
    return None


def payload_of(row: Warning, upgraded: bool = False) -> dict[str, Any]:
    return payloads.WarningRaised(
        id=row.id, kind=row.kind, level=row.level, region=row.region, center=row.center, at=row.at, title=row.title,
        evidence=row.evidence, case_ids=row.case_ids, status=row.status, cause=row.cause,
        upgraded=upgraded).model_dump(mode="json")


def address_of(center: str) -> str:
    """Where a center's warnings go: its parent's key, or its own at the top of the chain."""
    try:
        parent = load_catalog().regions.parent(center)
    except UnknownRegion:
        parent = None
    return routing_key(parent or center, EVENT)


def _announce(uow: UnitOfWork, row: Warning, upgraded: bool) -> None:
    """The `warning_raised` event into the outbox and the row onto the live feed, in the caller's transaction."""
    data = payload_of(row, upgraded)
    event_id = str(uuid.uuid5(_IDS, f"{row.id}|{row.level}|{uow.center}"))
    publish(uow, row.id, row.region, data, event_id)
    feed(uow, row)


def publish(uow: UnitOfWork, subject: str, region: str, data: dict[str, Any], event_id: str) -> None:
    key = address_of(uow.center)
    body = ce.dumps(ce.build(EVENT, case_id=subject, region=region, center=uow.center, service="warning",
                             time=uow.now(), data=data, event_id=event_id))
    insert = postgresql.insert if uow.engine.dialect.name == "postgresql" else sqlite.insert
    made = uow.session.execute(insert(Outbox).values(
        event_id=event_id, case_id=subject, routing_key=key, body=body, traceparent=None,
        created_at=datetime.now(UTC)).on_conflict_do_nothing(index_elements=["event_id"])
        .returning(col(Outbox.id))).scalar() is not None
    if made:
        # published at once after the commit like the case events (the relay's sweep re-sends it otherwise)
        uow._pending.append(Pending(event_id, key, body, None))


def feed(uow: UnitOfWork, row: Warning) -> None:
    """The warning on the live feed (`event: warning`): the big screen's warnings list and the desk."""
    live.append(uow, [{
        "name": "warning", "case_id": row.task_case_id or (row.case_ids[0] if row.case_ids else None),
        "status": row.status, "light": LIGHT.get(row.level, "yellow"), "unit": None, "region": row.region,
        "center": row.center, "at": uow.now(),
        "data": {"id": row.id, "kind": row.kind, "level": row.level, "title": row.title, "status": row.status,
                 "case_ids": row.case_ids[:20], "task_case_id": row.task_case_id}}])
