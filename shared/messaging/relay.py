"""The outbox relay: publishes what a committed transaction recorded, with confirms, and re-sends whatever
a crash or a broker outage left unsent.

- Right after a commit, the new rows are published in a greenlet of their own (the caller does not wait for
  the broker) in outbox order; a batch stops at its first failure so a later event never overtakes an
  earlier one of the same transaction.
- Published rows are marked sent in batches (one UPDATE for many events). A crash before the mark only
  means the event is sent again: consumers skip it by its id (inbox).
- The sweeper re-sends rows left unsent longer than `grace` seconds, in outbox order.
- Every publish is mandatory and carries the publishing center (`yiwang-from`): what no queue takes goes to
  this center's unroutable queue (topology.py). Before the first event addressed to another center on this
  broker, that center's queues are declared, so a hand-over waits for a center that is not running."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import eventlet
import sqlalchemy as sa
import structlog
from eventlet.queue import LightQueue
from sqlmodel import col

from shared.catalog import load_catalog
from shared.messaging import topology
from shared.messaging.publisher import Publisher
from shared.store.db import sqlite_writer
from shared.store.tables import Inbox, Outbox

log = structlog.get_logger("yiwang.relay")


@dataclass(frozen=True)
class Pending:
    event_id: str
    routing_key: str
    body: str
    traceparent: str | None


def utcnow() -> datetime:
    return datetime.now(UTC)


class Destinations:
    """The centers below this one that this process has made sure exist on its broker; declares such a center's
    queues before the first event handed down to it. In a federated deployment each center's queues live on its own broker (the
    federation link carries the event there), so nothing is declared here."""

    def __init__(self, center: str, retry_delays: tuple[float, ...], federated: bool = False):
        self.center, self.retry_delays, self.federated = center, retry_delays, federated
        self._ready = {center}  # its own queues are declared at start-up (app/runner.py)

    def prepare(self, publisher: Publisher, routing_key: str) -> None:
        center = topology.center_of_key(routing_key)
        if self.federated or center in self._ready or not load_catalog().regions.holds(self.center, center):
            return  # only the centers below this one: a parent runs before its children (and its broker user
            # may not touch their queues); what nobody takes goes to the unroutable queue
        with publisher.connection() as conn:
            topology.declare_center(conn, center, self.retry_delays)
        log.info("declared the queues of a center before handing it events", center=center)
        self._ready.add(center)


class OutboxRelay:
    def __init__(self, engine: sa.Engine, publisher: Publisher, destinations: Destinations,
                 batch_interval: float = 0.05):
        self.engine = engine
        self.publisher = publisher
        self.destinations = destinations
        self.batch_interval = batch_interval
        self._sent: LightQueue = LightQueue()
        self._marker = None

    def _send(self, rows: list[Pending]) -> list[str]:
        sent = []
        for row in rows:
            headers = {topology.FROM_HEADER: self.destinations.center}
            if row.traceparent:
                headers["traceparent"] = row.traceparent
            try:
                self.destinations.prepare(self.publisher, row.routing_key)
                self.publisher.publish(row.body, exchange=topology.EXCHANGE_NAME, routing_key=row.routing_key,
                                       headers=headers, mandatory=True, user_id=self.publisher.user)
            except Exception as exc:
                log.warning("publish failed; the outbox keeps the event", routing_key=row.routing_key, error=str(exc))
                break
            sent.append(row.event_id)
        return sent

    def publish(self, rows: list[Pending]) -> None:
        """Right after a commit: send these rows in the background; they are marked sent in a batch."""
        eventlet.spawn_n(self._publish_now, rows)

    def _publish_now(self, rows: list[Pending]) -> None:
        for event_id in self._send(rows):
            self._sent.put(event_id)
        if self._marker is None:
            self._marker = eventlet.spawn(self._mark_loop)

    def _mark_loop(self) -> None:
        while True:
            ids = [self._sent.get()]
            eventlet.sleep(self.batch_interval)
            while not self._sent.empty() and len(ids) < 1000:
                ids.append(self._sent.get_nowait())
            try:
                self._mark(ids)
            except Exception as exc:  # the database is away: the sweeper will send these again later
                log.warning("could not mark events sent", count=len(ids), error=str(exc))

    def _mark(self, event_ids: list[str], conn=None) -> None:
        stmt = sa.update(Outbox).where(col(Outbox.event_id).in_(event_ids)).values(sent_at=utcnow())
        if conn is not None:
            conn.execute(stmt)
            return
        with sqlite_writer(self.engine), self.engine.begin() as c:
            c.execute(stmt)

    def sweep(self, grace: float = 10.0, batch: int = 500) -> int:
        """Send rows left unsent for longer than `grace` seconds (after a crash or an outage)."""
        cutoff = utcnow() - timedelta(seconds=grace)
        q = (sa.select(col(Outbox.event_id), col(Outbox.routing_key), col(Outbox.body), col(Outbox.traceparent))
             .where(col(Outbox.sent_at).is_(None), col(Outbox.created_at) < cutoff).order_by(col(Outbox.id))
             .limit(batch))
        if self.engine.dialect.name == "postgresql":
            q = q.with_for_update(skip_locked=True)
        with self.engine.begin() as conn:  # not the SQLite writer's turn: a publish may take seconds
            rows = [Pending(*r) for r in conn.execute(q)]
            sent = self._send(rows)
            if sent:
                self._mark(sent, conn)
        if sent:
            log.info("re-sent unsent events", count=len(sent))
        return len(sent)

    def backlog(self) -> int:
        """Events committed but not yet confirmed by the broker (for the metrics)."""
        with self.engine.connect() as conn:
            return conn.execute(sa.select(sa.func.count()).select_from(Outbox)
                                .where(col(Outbox.sent_at).is_(None))).scalar_one()

    def purge(self, keep_sent: timedelta = timedelta(days=1), keep_inbox: timedelta = timedelta(days=7)) -> None:
        now = utcnow()
        with sqlite_writer(self.engine), self.engine.begin() as conn:
            conn.execute(sa.delete(Outbox).where(col(Outbox.sent_at).is_not(None),
                                                 col(Outbox.sent_at) < now - keep_sent))
            conn.execute(sa.delete(Inbox).where(col(Inbox.processed_at) < now - keep_inbox))
