"""Ordered delivery of outbound rows over HTTP: the one pattern behind the 12345 sender
(services/feedback/hotline_sender.py, `hotline_update` rows) and the webhook/SMS sender
(services/notification/channels.py, `notification_delivery` rows). A row is sent as one signed `POST` of JSON
until the receiver answers 2xx; then it is marked sent.

The table: `id`, a queue column (the rows that must arrive in order: `order_no`, `queue`), `at` (the order within
a queue), `sent_at`, `next_attempt_at`, `attempts`, `last_error`. A subclass of `OrderedSender` names the table
and the queue column and says what to send for a row (`request`), which rows may go now (`eligible`), which
receiver a row goes to (`trouble_key`) and what to log (`log_fields`, `delivered_fields`).

- Order: per queue only the oldest unsent row (by `at`, then id) is ever in flight; the next waits for it.
- Claims: a row is claimed by moving its `next_attempt_at` a lease ahead (compare-and-set), so several processes
  can send without sending one row twice at once, and no transaction is held open during the HTTP call.
- Retries: a few quick ones in place (tenacity: exponential backoff with jitter, `Retry-After` honoured), then the
  row waits for its next round — persisted, so a restart of the sender loses nothing — with a growing, jittered
  delay (at most `MAX_DELAY`), or exactly the receiver's `Retry-After`.
- A receiver in trouble: the first delivery of a round that fails for the receiver's sake (unreachable, 408, 429,
  5xx) ends the round for that receiver (its other queues wait for the next one), so a receiver that hangs costs
  one round of timeouts, not one per queue, and a shutdown is not held up.
- Duplicates: a crash between the receiver's 2xx and the sent-mark resends the row after the lease; the
  `Idempotency-Key` header (unique per row, given by `request`) lets the receiver drop it.
- Signing: the body is signed (shared.contracts.signing) at each attempt, with the time of that attempt, as
  receivers check it; a row sent unsigned says so with `secret=None`.
"""
from __future__ import annotations

import random
import threading
from collections.abc import Hashable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from email.utils import parsedate_to_datetime
from typing import Any, Generic, Protocol, TypeVar

import httpx
import sqlalchemy as sa
from tenacity import Retrying, retry_if_exception, stop_after_attempt, wait_random_exponential

from shared.contracts.signing import sign

LEASE = timedelta(seconds=60)
MAX_DELAY = 600.0          # seconds between rounds, at most
QUICK_TRIES = 3


class Refused(Exception):
    """The receiver did not answer 2xx."""

    def __init__(self, status: int, retry_after: float | None, text: str):
        self.status, self.retry_after = status, retry_after
        super().__init__(f"HTTP {status}: {text[:200]}")


class Undeliverable(Exception):
    """Nothing to send to (raised by `request`): the row waits for its next round like a refused one."""


def transient(exc: BaseException) -> bool:
    """A failure for the receiver's sake (unreachable, timeout, throttling, 5xx), not this row's own refusal."""
    return isinstance(exc, httpx.TransportError) or (isinstance(exc, Refused) and (exc.status in (408, 429)
                                                                                 or exc.status >= 500))


def retry_after(value: str | None, now: datetime) -> float | None:
    """Seconds from a `Retry-After` header (delta-seconds or an HTTP date)."""
    if not value:
        return None
    try:
        return max(0.0, float(value))
    except ValueError:
        pass
    try:
        return max(0.0, (parsedate_to_datetime(value) - now).total_seconds())
    except (TypeError, ValueError):
        return None


class WaitRetryAfter:
    """tenacity wait: the receiver's Retry-After when it gave one (capped for quick tries), else the fallback."""

    def __init__(self, fallback: Any, cap: float):
        self.fallback, self.cap = fallback, cap

    def __call__(self, state: Any) -> float:
        exc = state.outcome.exception() if state.outcome else None
        if isinstance(exc, Refused) and exc.retry_after is not None:
            return min(exc.retry_after, self.cap)
        return float(self.fallback(state))


@dataclass
class Post:
    """What to send for one row: `body` is posted to `url` with `headers` (JSON unless they say otherwise), signed
    with `secret` at each attempt unless it is None."""
    url: str
    body: bytes
    headers: dict[str, str] = field(default_factory=dict)
    secret: str | None = None


class Row(Protocol):
    """What the sender reads of a row it claimed (the table has the other columns named in the module docstring)."""

    @property
    def id(self) -> int | None: ...

    @property
    def attempts(self) -> int: ...


R = TypeVar("R", bound=Row)


class OrderedSender(Generic[R]):
    """Sends the due rows of one center's database: the head of each queue, a few in parallel."""

    table: type[R]
    queue_column: str
    log: Any                                   # a structlog logger
    delivered_event = "delivered"
    retry_event = "not delivered; will retry"

    def __init__(self, store: Any, *, timeout: float = 10.0, batch: int = 100, parallel: int = 8,
                 quick_wait_max: float = 4.0):
        self.store = store
        self.timeout, self.batch, self.parallel, self.quick_wait_max = timeout, batch, parallel, quick_wait_max

    # ---- what a subclass says -------------------------------------------------------------------------------
    def request(self, row: R) -> Post:
        """The POST that delivers `row` (may raise `Undeliverable`)."""
        raise NotImplementedError

    def eligible(self) -> list[Any] | None:
        """Extra conditions on the rows that may go this round (None: nothing may go, the round is skipped)."""
        return []

    head_columns: tuple[str, ...] = ()         # columns of a head row that `trouble_key` reads

    def trouble_key(self, head: Any) -> Hashable:
        """Which receiver a head row goes to: one failing for its own sake ends the round for its key only."""
        return None

    def log_fields(self, row: R) -> dict[str, Any]:
        """What names a row in both log lines (never a phone number or a token)."""
        return {}

    def delivered_fields(self, row: R) -> dict[str, Any]:
        """What the "delivered" line adds."""
        return {}

    def refusal_text(self, response: httpx.Response) -> str:
        """What of a non-2xx answer goes into `last_error` and the log (its body, unless it may echo personal data)."""
        return response.text

    # ---- the pattern ----------------------------------------------------------------------------------------
    def run_once(self) -> int:
        """Send what is due: the head row of each queue. Returns how many were delivered."""
        extra = self.eligible()
        if extra is None:
            return 0
        now = self.store.now()
        t: Any = self.table
        queue = self.queue_column
        earlier = sa.alias(sa.inspect(t).local_table)
        blocked = sa.exists().where(earlier.c[queue] == getattr(t, queue), earlier.c.sent_at.is_(None),
                                    sa.or_(earlier.c.at < t.at, sa.and_(earlier.c.at == t.at, earlier.c.id < t.id)))
        with self.store.session() as s:
            heads = s.execute(sa.select(t.id, t.next_attempt_at, *(getattr(t, c) for c in self.head_columns)).where(
                t.sent_at.is_(None), t.next_attempt_at <= now, *extra, ~blocked)
                .order_by(t.next_attempt_at).limit(self.batch)).all()
        if not heads:
            return 0
        # once one delivery to a receiver fails, the rest of the round for that receiver waits for the next one
        trouble = {key: threading.Event() for key in {self.trouble_key(h) for h in heads}}
        with httpx.Client(timeout=self.timeout) as client, ThreadPoolExecutor(self.parallel) as pool:
            return sum(pool.map(lambda h: 0 if trouble[self.trouble_key(h)].is_set() else
                                self._deliver(client, h.id, h.next_attempt_at, trouble[self.trouble_key(h)]), heads))

    def _claim(self, row_id: int, seen_due: datetime) -> R | None:
        t: Any = self.table
        with self.store.uow() as uow:
            claimed = uow.session.execute(sa.update(t).where(
                t.id == row_id, t.sent_at.is_(None), t.next_attempt_at == seen_due)
                .values(next_attempt_at=uow.now() + LEASE)).rowcount
            row = uow.session.get(t, row_id) if claimed else None
            uow.commit()
            return row

    def _deliver(self, client: httpx.Client, row_id: int, seen_due: datetime, trouble: threading.Event) -> int:
        row = self._claim(row_id, seen_due)
        if row is None:
            return 0  # another sender took it
        try:
            post = self.request(row)
            for attempt in Retrying(stop=stop_after_attempt(QUICK_TRIES), reraise=True,
                                    retry=retry_if_exception(transient),
                                    wait=WaitRetryAfter(wait_random_exponential(multiplier=0.5, max=self.quick_wait_max),
                                                        cap=self.quick_wait_max)):
                with attempt:
                    self._post(client, post)
        except (httpx.HTTPError, Refused, Undeliverable) as exc:
            if transient(exc):  # the receiver is down, overloaded or throttling: not this row's own refusal
                trouble.set()
            self._later(row, exc)
            return 0
        t: Any = self.table
        with self.store.uow() as uow:
            uow.session.execute(sa.update(t).where(t.id == row.id).values(
                sent_at=uow.now(), attempts=t.attempts + 1, last_error=None))
            uow.commit()
        self.log.info(self.delivered_event, **self.log_fields(row), **self.delivered_fields(row))
        return 1

    def _post(self, client: httpx.Client, post: Post) -> None:
        headers = {"Content-Type": "application/json", **post.headers,
                   **(sign(post.body, post.secret) if post.secret is not None else {})}  # real time, as receivers check it
        r = client.post(post.url, content=post.body, headers=headers)
        if not 200 <= r.status_code < 300:
            raise Refused(r.status_code, retry_after(r.headers.get("Retry-After"), self.store.now()),
                          self.refusal_text(r))

    def _later(self, row: R, exc: Exception) -> None:
        """Not delivered this round: wait the receiver's Retry-After, or a jittered exponential delay."""
        t: Any = self.table
        attempts = row.attempts + 1
        delay = exc.retry_after if isinstance(exc, Refused) and exc.retry_after is not None else \
            min(MAX_DELAY, 2.0 ** min(attempts, 10)) * random.uniform(0.5, 1.0)
        with self.store.uow() as uow:
            uow.session.execute(sa.update(t).where(t.id == row.id).values(
                attempts=attempts, last_error=str(exc)[:500], next_attempt_at=uow.now() + timedelta(seconds=delay)))
            uow.commit()
        self.log.warning(self.retry_event, **self.log_fields(row), attempts=attempts,
                         retry_in_seconds=round(delay, 1), error=str(exc)[:200])
