"""The outbox relay: publishes what a committed transaction recorded, with confirms, and re-sends whatever
a crash or a broker outage left unsent. Order is per case: rows go out in outbox order, and a batch stops
at its first failure so a later event never overtakes an earlier one."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta, timezone

import sqlalchemy as sa
import structlog

from shared.messaging.publisher import Publisher
from shared.messaging.topology import EXCHANGE_NAME
from shared.store.tables import Inbox, Outbox

log = structlog.get_logger("yiwang.relay")


@dataclass(frozen=True)
class Pending:
    id: int
    routing_key: str
    body: str
    traceparent: str | None


def utcnow() -> datetime:
    return datetime.now(timezone.utc)


class OutboxRelay:
    def __init__(self, engine: sa.Engine, publisher: Publisher):
        self.engine = engine
        self.publisher = publisher

    def _send(self, rows: list[Pending]) -> list[int]:
        sent = []
        for row in rows:
            try:
                self.publisher.publish(row.body, exchange=EXCHANGE_NAME, routing_key=row.routing_key,
                                       headers={"traceparent": row.traceparent} if row.traceparent else {})
            except Exception as exc:
                log.warning("publish failed; the outbox keeps the event", routing_key=row.routing_key, error=str(exc))
                break
            sent.append(row.id)
        return sent

    def publish(self, rows: list[Pending]) -> int:
        """Right after a commit: send these rows and mark them sent."""
        sent = self._send(rows)
        if sent:
            with self.engine.begin() as conn:
                conn.execute(sa.update(Outbox).where(Outbox.id.in_(sent)).values(sent_at=utcnow()))
        return len(sent)

    def sweep(self, older_than: float = 2.0, batch: int = 500) -> int:
        """Send rows left unsent for longer than `older_than` seconds (after a crash or an outage)."""
        cutoff = utcnow() - timedelta(seconds=older_than)
        q = (sa.select(Outbox.id, Outbox.routing_key, Outbox.body, Outbox.traceparent)
             .where(Outbox.sent_at.is_(None), Outbox.created_at < cutoff).order_by(Outbox.id).limit(batch))
        if self.engine.dialect.name == "postgresql":
            q = q.with_for_update(skip_locked=True)
        with self.engine.begin() as conn:
            rows = [Pending(*r) for r in conn.execute(q)]
            sent = self._send(rows)
            if sent:
                conn.execute(sa.update(Outbox).where(Outbox.id.in_(sent)).values(sent_at=utcnow()))
        if sent:
            log.info("re-sent unsent events", count=len(sent))
        return len(sent)

    def purge(self, keep_sent: timedelta = timedelta(days=1), keep_inbox: timedelta = timedelta(days=7)) -> None:
        now = utcnow()
        with self.engine.begin() as conn:
            conn.execute(sa.delete(Outbox).where(Outbox.sent_at.is_not(None), Outbox.sent_at < now - keep_sent))
            conn.execute(sa.delete(Inbox).where(Inbox.processed_at < now - keep_inbox))
