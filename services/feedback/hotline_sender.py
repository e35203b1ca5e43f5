"""Delivers `hotline_update` rows to the 12345 platform (`POST {YIWANG_HOTLINE_URL}/orders/{order_no}/updates`),
signed, in order per order, until the platform answers 2xx.

- Order: only the oldest unsent update of an order (by `at`, then id) is ever in flight; the next waits for it.
- Claims: a row is claimed by moving its `next_attempt_at` a lease ahead (compare-and-set), so several processes
  can send without sending one update twice at once, and no transaction is held open during the HTTP call.
- Retries: a few quick ones in place (tenacity: exponential backoff with jitter, `Retry-After` honoured), then the
  row waits for its next round — persisted, so a restart of the sender loses nothing — with a growing, jittered
  delay (at most `MAX_DELAY`), or exactly the platform's `Retry-After`.
- A platform in trouble: the first delivery of a round that fails for the platform's sake (unreachable, 5xx, 429)
  ends the round (the other orders wait for the next one), so a platform that hangs costs one round of timeouts,
  not one per order, and a shutdown is not held up.
- Duplicates: a crash between the platform's 2xx and the sent-mark resends the update after the lease; the
  `Idempotency-Key` header (unique per update) lets the platform drop it.
"""
from __future__ import annotations

import json
import random
import threading
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime, timedelta
from email.utils import parsedate_to_datetime

import httpx
import sqlalchemy as sa
import structlog
from sqlmodel import col
from tenacity import Retrying, retry_if_exception, stop_after_attempt, wait_random_exponential

from services.feedback.adapters.tables import HotlineUpdate
from shared.clock import CHINA
from shared.contracts.signing import sign

log = structlog.get_logger("yiwang.hotline")
LEASE = timedelta(seconds=60)
MAX_DELAY = 600.0          # seconds between rounds, at most
QUICK_TRIES = 3


class Refused(Exception):
    """The platform did not answer 2xx."""

    def __init__(self, status: int, retry_after: float | None, text: str):
        self.status, self.retry_after = status, retry_after
        super().__init__(f"HTTP {status}: {text[:200]}")


def _transient(exc: BaseException) -> bool:
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


class _WaitRetryAfter:
    """tenacity wait: the platform's Retry-After when it gave one (capped for quick tries), else jittered backoff."""

    def __init__(self, fallback, cap: float):
        self.fallback, self.cap = fallback, cap

    def __call__(self, state) -> float:
        exc = state.outcome.exception() if state.outcome else None
        if isinstance(exc, Refused) and exc.retry_after is not None:
            return min(exc.retry_after, self.cap)
        return self.fallback(state)


def body_of(row: HotlineUpdate) -> dict:
    body = {"order_no": row.order_no, "case_id": row.case_id, "status": row.status, "message": row.message,
            "at": row.at.astimezone(CHINA).isoformat()}
    if row.unit:
        body["unit"] = row.unit
    return body


class HotlineSender:
    def __init__(self, store, url: str, secret: str, timeout: float = 10.0, batch: int = 100, parallel: int = 8,
                 quick_wait_max: float = 4.0):
        self.store, self.url, self.secret = store, url.rstrip("/"), secret
        self.timeout, self.batch, self.parallel, self.quick_wait_max = timeout, batch, parallel, quick_wait_max

    def run_once(self) -> int:
        """Send what is due: the head update of each order. Returns how many were delivered."""
        now = self.store.now()
        earlier = sa.alias(sa.inspect(HotlineUpdate).local_table)
        blocked = sa.exists().where(earlier.c.order_no == HotlineUpdate.order_no, earlier.c.sent_at.is_(None),
                                    sa.or_(earlier.c.at < HotlineUpdate.at,
                                           sa.and_(earlier.c.at == HotlineUpdate.at, earlier.c.id < HotlineUpdate.id)))
        with self.store.session() as s:
            heads = s.execute(sa.select(col(HotlineUpdate.id), col(HotlineUpdate.next_attempt_at)).where(
                col(HotlineUpdate.sent_at).is_(None), col(HotlineUpdate.next_attempt_at) <= now, ~blocked)
                .order_by(col(HotlineUpdate.next_attempt_at)).limit(self.batch)).all()
        if not heads:
            return 0
        trouble = threading.Event()  # once one delivery fails, the rest of the round waits for the next one
        with httpx.Client(timeout=self.timeout) as client, ThreadPoolExecutor(self.parallel) as pool:
            return sum(pool.map(lambda h: 0 if trouble.is_set() else
                                self._deliver(client, h.id, h.next_attempt_at, trouble), heads))

    def _claim(self, row_id: int, seen_due: datetime) -> HotlineUpdate | None:
        with self.store.uow() as uow:
            claimed = uow.session.execute(sa.update(HotlineUpdate).where(
                col(HotlineUpdate.id) == row_id, col(HotlineUpdate.sent_at).is_(None),
                col(HotlineUpdate.next_attempt_at) == seen_due).values(next_attempt_at=uow.now() + LEASE)).rowcount
            row = uow.session.get(HotlineUpdate, row_id) if claimed else None
            uow.commit()
            return row

    def _deliver(self, client: httpx.Client, row_id: int, seen_due: datetime, trouble: threading.Event) -> int:
        row = self._claim(row_id, seen_due)
        if row is None:
            return 0  # another sender took it
        raw = json.dumps(body_of(row), ensure_ascii=False).encode()
        try:
            for attempt in Retrying(stop=stop_after_attempt(QUICK_TRIES), reraise=True,
                                    retry=retry_if_exception(_transient),
                                    wait=_WaitRetryAfter(wait_random_exponential(multiplier=0.5, max=self.quick_wait_max),
                                                         cap=self.quick_wait_max)):
                with attempt:
                    self._post(client, row, raw)
        except (httpx.HTTPError, Refused) as exc:
            if _transient(exc):  # the platform is down, overloaded or throttling: not this order's own refusal
                trouble.set()
            self._later(row, exc)
            return 0
        with self.store.uow() as uow:
            uow.session.execute(sa.update(HotlineUpdate).where(col(HotlineUpdate.id) == row.id).values(
                sent_at=uow.now(), attempts=HotlineUpdate.attempts + 1, last_error=None))
            uow.commit()
        log.info("12345 update delivered", case_id=row.case_id, order_no=row.order_no, status=row.status)
        return 1

    def _post(self, client: httpx.Client, row: HotlineUpdate, raw: bytes) -> None:
        headers = {"Content-Type": "application/json", "Idempotency-Key": f"{row.event_id}/{row.order_no}",
                   **sign(raw, self.secret)}  # real time, as the platform checks it
        r = client.post(f"{self.url}/orders/{row.order_no}/updates", content=raw, headers=headers)
        if not 200 <= r.status_code < 300:
            raise Refused(r.status_code, retry_after(r.headers.get("Retry-After"), self.store.now()), r.text)

    def _later(self, row: HotlineUpdate, exc: Exception) -> None:
        """Not delivered this round: wait the platform's Retry-After, or a jittered exponential delay."""
        attempts = row.attempts + 1
        delay = exc.retry_after if isinstance(exc, Refused) and exc.retry_after is not None else \
            min(MAX_DELAY, 2.0 ** min(attempts, 10)) * random.uniform(0.5, 1.0)
        with self.store.uow() as uow:
            uow.session.execute(sa.update(HotlineUpdate).where(col(HotlineUpdate.id) == row.id).values(
                attempts=attempts, last_error=str(exc)[:500], next_attempt_at=uow.now() + timedelta(seconds=delay)))
            uow.commit()
        log.warning("12345 update not delivered; will retry", case_id=row.case_id, order_no=row.order_no,
                    attempts=attempts, retry_in_seconds=round(delay, 1), error=str(exc)[:200])
