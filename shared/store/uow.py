"""The unit of work every handler uses: one transaction in which the case changes, its timeline grows, the
events go into the outbox and the consumed event id goes into the inbox. After the commit the relay
publishes the new outbox rows at once (the sweeper re-sends them if that fails).

Cross-cutting reactions (the 12345 updates owed when a case changes; later notifications and the audit chain)
subscribe to what a unit of work records with `react(...)`; they run inside its transaction, just before the
commit, so what they write commits or rolls back with the change. The store itself calls out to no concern."""
from __future__ import annotations

from collections.abc import Callable
from contextlib import AbstractContextManager
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, cast

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import CursorResult
from sqlmodel import Session, col, select

from shared import lifecycle, observability
from shared.clock import Clock
from shared.contracts import events as ce
from shared.contracts import payloads
from shared.messaging.relay import OutboxRelay, Pending
from shared.messaging.topology import routing_key
from shared.store.db import sqlite_writer
from shared.store.tables import Case, Counter, Inbox, Outbox, TimelineEntry, apply_snapshot, snapshot


@dataclass(frozen=True)
class Recorded:
    """An event a unit of work recorded on a case: this center's own, or a copy of another center's (`copied`)."""

    case: Case
    event_id: str
    type: str
    at: datetime
    data: dict[str, Any]
    copied: bool


Reaction = Callable[["UnitOfWork", list[Recorded]], None]
Guard = Callable[[Case, str], None]  # guard(case, action): refuses (raises) before an action changes anything
_reactions: list[Reaction] = []


def react(reaction: Reaction) -> None:
    """Subscribe `reaction(uow, recorded)` to every unit of work that records events (idempotent). The composition
    root subscribes the reactions (app/composition.py)."""
    if reaction not in _reactions:
        _reactions.append(reaction)


class NotFound(LookupError):
    permanent = True  # events are published after their commit, so within a center a missing case will not appear
    # on a retry; a case handed over from another center is adopted by triage, and other handlers expect that

    def __init__(self, what: str, ident: str):
        self.what, self.ident = what, ident
        super().__init__(f"{what} {ident} not found")


HAND_OVERS = ("routed", "escalated")  # these carry the timeline so far: the receiving center adopts the case


def entry_of(event) -> dict:
    """The timeline entry of an event, exactly as its own center recorded it."""
    d = event.data
    return {"event_id": event.id, "case_id": event.subject, "at": event.time, "type": event.name,
            "center": event.center, "actor": d.get("actor", "unknown"), "unit": d.get("unit") or d["case"].get("unit"),
            "note": d.get("reason") or d.get("note"),
            "data": {k: v for k, v in d.items()
                     if k not in ("reason", "note", "case", "actor", "timeline") and v not in (None, [], "")}}


class UnitOfWork:
    def __init__(self, engine: sa.Engine, *, center: str, service: str, clock: Clock,
                 relay: OutboxRelay | None = None):
        self.engine, self.center, self.service, self.clock, self.relay = engine, center, service, clock, relay
        self._sqlite = engine.dialect.name == "sqlite"
        self._writer: AbstractContextManager[None] | None = None
        self._session: Session | None = None
        self._pending: list[Pending] = []
        self._recorded: list[Recorded] = []

    def __enter__(self) -> "UnitOfWork":
        self._writer = sqlite_writer(self.engine)
        self._writer.__enter__()
        self._session = Session(self.engine, expire_on_commit=False)
        self._pending, self._recorded = [], []
        return self

    def __exit__(self, *exc) -> None:
        try:
            self.session.rollback()  # no-op after commit
            self.session.close()
        finally:
            if self._writer is not None:
                self._writer.__exit__(None, None, None)

    @property
    def session(self) -> Session:
        """The session of the open unit of work (set by `with`)."""
        if self._session is None:
            raise RuntimeError("the unit of work is not open: use it in a `with` block")
        return self._session

    def now(self) -> datetime:
        return self.clock.now()

    # ---- reading -----------------------------------------------------------------------------
    def case(self, case_id: str, lock: bool = True) -> Case:
        q = select(Case).where(Case.id == case_id)
        if lock and not self._sqlite:
            q = q.with_for_update()
        row = self.session.exec(q).first()
        if row is None:
            raise NotFound("case", case_id)
        return row

    def timeline_of(self, case_id: str) -> list[dict]:
        rows = self.session.execute(sa.select(TimelineEntry).where(col(TimelineEntry.case_id) == case_id)
                                    .order_by(col(TimelineEntry.at), col(TimelineEntry.id))).scalars()
        return [{"event_id": t.event_id, "case_id": t.case_id, "at": t.at.isoformat(), "type": t.type,
                 "center": t.center, "actor": t.actor, "unit": t.unit, "note": t.note, "data": t.data} for t in rows]

    def add_timeline(self, entries: list[dict]) -> None:
        """Copy timeline entries from another center; entries already here (same event id) are skipped."""
        if not entries:
            return
        dialect_insert = postgresql.insert if not self._sqlite else sqlite.insert
        rows = [dict(e, at=datetime.fromisoformat(e["at"]) if isinstance(e["at"], str) else e["at"]) for e in entries]
        self.session.execute(dialect_insert(TimelineEntry).on_conflict_do_nothing(index_elements=["event_id"]), rows)

    def take_entry(self, event, case: Case) -> None:
        """Record another center's event on a case this center owns (an ancestor's 督办, the city's 回访): its
        timeline entry here, and the reactions told of it."""
        self.add_timeline([entry_of(event)])
        self._recorded.append(Recorded(case, event.id, event.name, event.time, event.data, copied=True))

    def copy_from(self, event) -> Case:
        """Keep a copy of another center's case from one of its events: the case as the event carries it (unless
        this copy is already newer) and the event's timeline entry (plus the timeline a hand-over carries)."""
        payload = event.payload
        snap = payload.case
        case = self.session.get(Case, event.subject, with_for_update=not self._sqlite)
        authoritative = event.center == snap.center or event.name in HAND_OVERS  # the owner speaks, or hands over
        if case is None or (authoritative and (case.updated_at is None or snap.updated_at is None
                                               or snap.updated_at >= case.updated_at)):
            case = apply_snapshot(case, snap)
            self.session.add(case)
            self.session.flush()
        carried = payload.timeline if isinstance(payload, payloads.HandOver) else []
        self.add_timeline([t.model_dump() for t in carried] + [entry_of(event)])
        self._recorded.append(Recorded(case, event.id, event.name, event.time, event.data, copied=True))
        return case

    # ---- writing -----------------------------------------------------------------------------
    def first_time(self, consumer: str, event_id: str) -> bool:
        """Record that `consumer` processes `event_id`; False when it already did (skip it)."""
        dialect_insert = postgresql.insert if not self._sqlite else sqlite.insert
        stmt = dialect_insert(Inbox).values(consumer=consumer, event_id=event_id,
                                            processed_at=datetime.now(UTC)).on_conflict_do_nothing()
        # DML through a session returns a CursorResult, which its signature cannot promise (it says Result)
        return cast(CursorResult[Any], self.session.execute(stmt)).rowcount == 1

    def next_case_id(self) -> str:
        """`{center}-{yyyymmdd}-{n:06d}`: unique without coordination (the center's own counter)."""
        if self._sqlite:
            self.session.execute(sa.text("INSERT OR IGNORE INTO counter (name, value) VALUES ('case', 0)"))
            n = self.session.execute(sa.update(Counter).where(col(Counter.name) == "case")
                                     .values(value=Counter.value + 1).returning(col(Counter.value))).scalar_one()
        else:
            n = self.session.execute(sa.text("SELECT nextval('case_number')")).scalar_one()
        return f"{self.center}-{self.now():%Y%m%d}-{n:06d}"

    def add(self, row) -> None:
        self.session.add(row)

    def apply(self, case: Case, command, actor: str) -> list[lifecycle.Event]:
        """Run a lifecycle command on the case and record what happened; raises and changes nothing
        when the command is illegal."""
        state, events = lifecycle.apply(case.state(), command)
        case.take(state)
        now = self.now()
        if state.status == lifecycle.CLOSED:
            case.closed_at = now
        elif any(e.type == "reopened" for e in events):
            case.closed_at = None
        self.record(case, events, actor)
        return events

    def record(self, case: Case, events: list[lifecycle.Event], actor: str) -> list[dict]:
        """Append the events to the case's timeline and to the outbox (plain inserts, no ORM objects)."""
        out: list[dict[str, Any]] = []
        timeline: list[dict[str, Any]] = []
        outbox: list[dict[str, Any]] = []
        now = self.now()
        case.updated_at = now
        self.session.add(case)
        for event in events:
            data = dict(event.data)
            data["case"] = snapshot(case)
            data["actor"] = actor
            if event.type in HAND_OVERS:
                data["timeline"] = self.timeline_of(case.id) + [dict(t, at=t["at"].isoformat()) for t in timeline]
            payloads.parse(event.type, data)  # a payload that does not fit its model is a bug: refuse it here
            key = routing_key(case.center, event.type)
            traceparent = observability.publish_context(ce.event_type(event.type), key, case.traceparent)
            cloud = ce.build(event.type, case_id=case.id, region=case.region, center=self.center,
                             service=self.service, time=now, data=data, traceparent=traceparent)
            timeline.append({
                "event_id": cloud["id"], "case_id": case.id, "at": now, "type": event.type, "center": self.center,
                "actor": actor, "unit": data.get("unit") or case.unit, "note": data.get("reason") or data.get("note"),
                "data": {k: v for k, v in event.data.items() if k not in ("reason", "note") and v not in (None, [], "")}})
            pending = Pending(cloud["id"], key, ce.dumps(cloud), traceparent)
            outbox.append({"event_id": pending.event_id, "case_id": case.id, "routing_key": key, "body": pending.body,
                           "traceparent": traceparent, "created_at": datetime.now(UTC)})
            self._pending.append(pending)
            out.append(cloud)
            self._recorded.append(Recorded(case, cloud["id"], event.type, now, data, copied=False))
        if events:
            self.session.flush()  # the case row first, then its events
            self.session.execute(sa.insert(TimelineEntry), timeline)
            self.session.execute(sa.insert(Outbox), outbox)
        return out

    def commit(self) -> None:
        recorded, self._recorded = self._recorded, []
        if recorded:
            for reaction in _reactions:
                reaction(self, recorded)
        pending, self._pending = self._pending, []
        self.session.commit()
        if pending and self.relay is not None:
            self.relay.publish(pending)
