"""The outside channels (webhook, SMS): what a change owes to whom, written as `notification_delivery` rows in the
transaction of the change (the unit-of-work reaction, through `notices.notify`), and the sender that drains them.

- Who: the duty rosters (domain/rosters.py) resolve an escalation step's `notify` list, or the new-task rule, to
  people at the time of the change; each person is told on each named channel they have an address for (a webhook,
  a phone). In-app notices are the `notification` rows (notices.py), as before.
- Once: a delivery's `cause` (`{kind}:{event id}:{person}:{channel}`) is unique, so a redelivered event, a retried
  handler or a restart writes none twice; the sender marks it sent after the gateway's 2xx, and sends an
  `Idempotency-Key` (the delivery's id and cause) so a gateway drops the one resend a crash between its 2xx and the
  mark can cause.
- Order: per queue (`{channel}:{person}`) only the oldest unsent delivery is in flight; the next waits for it.
- Claims, retries (tenacity in place, `Retry-After` honoured, then persisted rounds with a growing jittered delay)
  and a gateway in trouble ending its channel's round: the ordered-delivery pattern of shared/delivery.py, shared
  with the 12345 sender (services/feedback/hotline_sender.py).
- Webhook: `POST` JSON to the person's webhook (a path under YIWANG_WEBHOOK_URL, or an absolute URL), signed with
  YIWANG_WEBHOOK_SECRET like the 12345 platform's calls (`X-Yiwang-Timestamp`, `X-Yiwang-Signature: sha256=<HMAC
  of "<timestamp>.<body>">`). SMS: `POST` JSON `{id, to, text}` to YIWANG_SMS_URL (signed the same way with
  YIWANG_SMS_SECRET when set). The phone number is kept sealed (shared.protect) and is never logged: log lines name
  the recipient's roster id.
"""
from __future__ import annotations

import json
from dataclasses import dataclass
from typing import cast
from urllib.parse import urljoin

import httpx
import structlog
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import CursorResult
from sqlmodel import col

from services.notification.adapters.tables import NotificationDelivery
from services.notification.domain.rosters import Person, Rosters, load_rosters
from services.notification.domain.rules import Change, Notice, telling
from shared import protect
from shared.calendar import default_calendar
from shared.catalog import load_catalog
from shared.clock import CHINA
from shared.delivery import OrderedSender, Post, Undeliverable
from shared.store.uow import Recorded, UnitOfWork

OUTSIDE = ("webhook", "sms")
SMS_PREFIX = "【一网统管】"


@dataclass
class _Channels:
    webhook: bool = False
    sms: bool = False
    rosters_file: str | None = None


_channels = _Channels()


def use_channels(webhook: bool, sms: bool, rosters_file: str | None = None) -> None:
    """Which outside channels this process writes deliveries for (those configured: a webhook base URL and secret,
    an SMS gateway), and the rosters file (None: the packaged one). The composition root calls it at start-up; a
    channel that is not configured is skipped (its notices stay in-app), rather than piling up undelivered."""
    load_rosters(rosters_file)  # a bad file stops the start, not the first notice
    _channels.webhook, _channels.sms, _channels.rosters_file = webhook, sms, rosters_file


def rosters() -> Rosters:
    return load_rosters(_channels.rosters_file)


def owe(uow: UnitOfWork, r: Recorded, change: Change, said: list[Notice]) -> int:
    """Write the deliveries one recorded change owes on the outside channels; returns how many are new."""
    book = rosters()
    tell = telling(change, (book.new_task.notify, book.new_task.channels(r.case.priority)))
    channels = [c for c in OUTSIDE if tell is not None and c in tell.channel and getattr(_channels, c)]
    if tell is None or not channels:
        return 0
    catalog = load_catalog()
    people = book.recipients(tell.notify, r.at, default_calendar(), center=uow.center, unit=r.case.unit,
                             parent=catalog.regions.parent(uow.center))
    notice = next((n for n in said if n.kind == tell.kind), None)
    title = notice.title if notice else tell.kind
    body = notice.body if notice else f"案件 {r.case.id}"
    insert = postgresql.insert if uow.engine.dialect.name == "postgresql" else sqlite.insert
    made = 0
    for person in people:
        for channel in channels:
            address = _address(person, channel)
            if address is None:
                continue
            payload = {"kind": tell.kind, "title": title, "body": body, "case_id": r.case.id, "center": uow.center,
                       "region": r.case.region, "unit": r.case.unit, "at": r.at.astimezone(CHINA).isoformat(),
                       "recipient": {"id": person.id, "name": person.name, "role": person.role}}
            if tell.kind == "supervise":
                payload |= {"level": r.data.get("step"), "stage": r.data.get("stage")}
            made += cast(CursorResult, uow.session.execute(insert(NotificationDelivery).values(
                cause=f"{tell.kind}:{r.event_id}:{person.id}:{channel}"[:200], queue=f"{channel}:{person.id}"[:100],
                channel=channel, recipient=person.id, address=address, kind=tell.kind, case_id=r.case.id,
                center=uow.center, payload=payload, at=r.at, created_at=uow.now(), next_attempt_at=uow.now(),
                attempts=0).on_conflict_do_nothing())).rowcount or 0
    return made


def _address(person: Person, channel: str) -> str | None:
    if channel == "webhook":
        return person.webhook
    return protect.seal(person.phone) if person.phone else None


# ---- the sender: the ordered-delivery pattern of shared/delivery.py, one trouble flag per channel -------------
def sms_text(payload: dict) -> str:
    return f"{SMS_PREFIX}{payload.get('title', '')}。{payload.get('body', '')}"


class DeliverySender(OrderedSender[NotificationDelivery]):
    """Sends the due deliveries of one center's database: the head of each queue, a few in parallel."""

    table, queue_column, head_columns = NotificationDelivery, "queue", ("channel",)
    log = structlog.get_logger("yiwang.notification")
    delivered_event, retry_event = "notice delivered", "notice not delivered; will retry"

    def __init__(self, store, *, webhook_url: str | None = None, webhook_secret: str | None = None,
                 sms_url: str | None = None, sms_secret: str | None = None, timeout: float = 10.0, batch: int = 100,
                 parallel: int = 8, quick_wait_max: float = 4.0):
        super().__init__(store, timeout=timeout, batch=batch, parallel=parallel, quick_wait_max=quick_wait_max)
        self.webhook_url, self.webhook_secret = webhook_url, webhook_secret
        self.sms_url, self.sms_secret = sms_url, sms_secret

    @classmethod
    def from_settings(cls, store, settings) -> "DeliverySender":
        return cls(store, webhook_url=settings.webhook_url, webhook_secret=settings.webhook_secret,
                   sms_url=settings.sms_url, sms_secret=settings.sms_secret)

    def _ready(self) -> list[str]:
        return [c for c, ok in (("webhook", bool(self.webhook_secret)), ("sms", bool(self.sms_url))) if ok]

    def eligible(self) -> list | None:
        ready = self._ready()
        return [col(NotificationDelivery.channel).in_(ready)] if ready else None

    def trouble_key(self, head) -> str:
        return head.channel  # a gateway in trouble ends its channel's round

    def request(self, row: NotificationDelivery) -> Post:
        key = f"{row.center}/{row.id}"
        headers = {"Idempotency-Key": f"{key}/{row.cause}"}
        if row.channel == "webhook":
            if row.address.startswith(("http://", "https://")):
                url = row.address
            elif self.webhook_url:
                url = urljoin(self.webhook_url.rstrip("/") + "/", row.address.lstrip("/"))
            else:
                raise Undeliverable(f"webhook {row.address} is a path and YIWANG_WEBHOOK_URL is not set")
            return Post(url, json.dumps({"id": key, **row.payload}, ensure_ascii=False).encode(), headers,
                        self.webhook_secret or None)
        phone = protect.unseal(row.address)
        if not phone:
            raise Undeliverable("the phone number cannot be unsealed (YIWANG_DATA_KEY changed?)")
        body = {"id": key, "to": phone, "text": sms_text(row.payload), "case_id": row.case_id}
        return Post(str(self.sms_url), json.dumps(body, ensure_ascii=False).encode(), headers, self.sms_secret or None)

    def refusal_text(self, response: httpx.Response) -> str:
        return ""  # the body may echo a number

    def log_fields(self, row: NotificationDelivery) -> dict:
        return {"case_id": row.case_id, "channel": row.channel, "recipient": row.recipient}  # never the phone

    def delivered_fields(self, row: NotificationDelivery) -> dict:
        return {"kind": row.kind, "delivery": row.id}
