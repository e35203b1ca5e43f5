"""A center in memory for the handlers' unit tests: the real unit of work on an in-memory SQLite database, no relay
and no broker. `Bus` hands the events the handlers wrote to their outbox to the next handler, as the chain would."""
from __future__ import annotations

from collections.abc import Callable

import sqlalchemy as sa
from sqlalchemy.pool import StaticPool
from sqlmodel import Session, select

from app.migrate import migrate
from shared.clock import Clock
from shared.contracts.events import CloudEvent
from shared.extensions.database import CenterStore
from shared.store.tables import Case, Outbox, TimelineEntry


def memory_store(center: str, clock: Clock | None = None) -> CenterStore:
    engine = sa.create_engine("sqlite://", poolclass=StaticPool, connect_args={"check_same_thread": False})
    migrate(engine)
    return CenterStore(engine, center, "test", clock or Clock(), relay=None)


class Bus:
    """The events of the store's outbox, delivered in order to the handler that consumes them."""

    def __init__(self, store: CenterStore):
        self.store = store
        self.delivered: set[str] = set()

    def events(self, name: str, case_id: str | None = None) -> list[CloudEvent]:
        with Session(self.store.engine) as s:
            rows = s.exec(select(Outbox).order_by(Outbox.id)).all()
        events = [CloudEvent.model_validate_json(r.body) for r in rows]
        return [e for e in events if e.name == name and (case_id is None or e.subject == case_id)]

    def deliver(self, name: str, handler: Callable[..., None], *args: object) -> int:
        """Hand every `name` event not yet given to this handler to it; returns how many."""
        n = 0
        for event in self.events(name):
            key = f"{getattr(handler, '__name__', handler)}:{event.id}"
            if key not in self.delivered:
                self.delivered.add(key)
                handler(self.store, event, *args)
                n += 1
        return n


def case(store: CenterStore, case_id: str) -> Case:
    with Session(store.engine) as s:
        row = s.get(Case, case_id)
        assert row is not None, f"no case {case_id}"
        return row


def timeline(store: CenterStore, case_id: str) -> list[str]:
    with Session(store.engine) as s:
        return [t.type for t in s.exec(select(TimelineEntry).where(TimelineEntry.case_id == case_id)
                                       .order_by(TimelineEntry.id))]
