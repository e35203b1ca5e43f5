"""Notifications (in-app): made by a unit-of-work reaction at the center that owns the case, in the transaction of the
change, once per cause (a redelivered event, a retried handler or a restart makes none twice), and pushed to the
live feed; read per user (`GET /api/v1/notifications`), marked read one by one. The same reaction owes the webhook and SMS deliveries of the change (channels.py)."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql, sqlite
from sqlmodel import col, select

from services.live.api import append
from services.notification.adapters.tables import Notification, NotificationRead
from services.notification.channels import owe
from services.notification.domain.rules import DISPATCHER, HANDLER, Change, notices
from shared.catalog import load_catalog
from shared.extensions.database import CenterStore
from shared.store.tables import Case
from shared.store.uow import Recorded, UnitOfWork

PAGE = 50


@dataclass(frozen=True)
class Reader:
    """Who reads: a unit's handler, or a center's dispatcher (admins read as dispatchers)."""

    key: str                          # `token:{id}` or the bootstrap admin's name
    role: str
    unit: str | None
    region: str                       # the reader's region: its subtree is what it sees

    def sees(self, region: str) -> bool:
        return load_catalog().regions.holds(self.region, region)


@dataclass(frozen=True)
class Item:
    id: int
    kind: str
    title: str
    body: str
    case_id: str
    at: datetime
    read: bool


def notify(uow: UnitOfWork, recorded: list[Recorded]) -> None:
    """The reaction: the notifications the recorded changes mean, for the cases this center owns."""
    for r in recorded:
        if r.case.center != uow.center:
            continue
        change = Change(r.type, r.case.id, r.case.unit, r.case.source, handed_here=r.copied and
                        r.type in ("routed", "escalated"), data=r.data)
        said = notices(change, _what(r.case))
        for notice in said:
            _add(uow, r, notice)
        owe(uow, r, change, said)  # and on the outside channels, to whom the rosters name (channels.py)


def _add(uow: UnitOfWork, r: Recorded, notice) -> None:  # noqa: ANN001
    insert = postgresql.insert if uow.engine.dialect.name == "postgresql" else sqlite.insert
    unit = r.case.unit if notice.role == HANDLER else None
    made = uow.session.execute(insert(Notification).values(
        cause=f"{notice.kind}:{r.event_id}:{notice.role}", kind=notice.kind, case_id=r.case.id, center=uow.center,
        region=r.case.region, role=notice.role, unit=unit, title=notice.title, body=notice.body, at=r.at)
        .on_conflict_do_nothing().returning(col(Notification.id))).scalar()
    if made is not None:  # new: tell the screens that are open
        append(uow, [{"name": "notification", "case_id": r.case.id, "region": r.case.region, "center": uow.center,
                      "unit": unit, "at": r.at, "audience": {"role": notice.role, "unit": unit},
                      "data": {"id": made, "kind": notice.kind, "title": notice.title, "body": notice.body}}])


def _what(case: Case) -> str:
    catalog = load_catalog()
    category = catalog.categories.get(case.category) if case.category else None
    name = category.name if category else "案件"
    return f"{name}（{case.address}）" if case.address else name


def for_reader(store: CenterStore, reader: Reader, unread_only: bool = False, limit: int = PAGE) -> tuple[list[Item], int]:
    """The reader's latest notifications, newest first, and how many of those are unread."""
    with store.session() as s:
        q = select(Notification, NotificationRead.read_at).outerjoin(NotificationRead, sa.and_(
            col(NotificationRead.notification_id) == Notification.id, col(NotificationRead.reader) == reader.key))
        if reader.role == HANDLER:
            q = q.where(col(Notification.role) == HANDLER, col(Notification.unit) == reader.unit)
        else:
            q = q.where(col(Notification.role) == DISPATCHER)
        regions = load_catalog().regions
        if reader.region != regions.root:
            q = q.where(col(Notification.region).in_(regions.subtree(reader.region)))
        rows = s.exec(q.order_by(col(Notification.id).desc()).limit(limit)).all()
    items = [Item(n.id or 0, n.kind, n.title, n.body, n.case_id, n.at, read_at is not None) for n, read_at in rows]
    return [i for i in items if not (unread_only and i.read)], sum(1 for i in items if not i.read)


def mark_read(store: CenterStore, notification_id: int, reader: Reader) -> bool:
    """Mark one of the reader's notifications read; False when it is not theirs (or does not exist)."""
    with store.uow() as uow:
        n = uow.session.get(Notification, notification_id)
        mine = n is not None and reader.sees(n.region) and (
            (n.role == HANDLER and reader.role == HANDLER and n.unit == reader.unit)
            or (n.role == DISPATCHER and reader.role != HANDLER))
        if mine:
            insert = postgresql.insert if uow.engine.dialect.name == "postgresql" else sqlite.insert
            uow.session.execute(insert(NotificationRead).values(notification_id=notification_id, reader=reader.key,
                                                                read_at=uow.now()).on_conflict_do_nothing())
            uow.commit()
        return mine
