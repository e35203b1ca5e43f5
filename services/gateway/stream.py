"""`GET /api/v1/stream` (CONTRACTS.md §6): server-sent events of what changes in the caller's scope.

One hub per gateway process numbers the center's live feed and reads what is new every `POLL` seconds — one query
for all the process's streams, never one per client — and offers each row to the streams whose caller may see it.
A stream that reconnects with `Last-Event-ID` first gets what it missed from the feed (the last hour), then the
live rows; a comment every `KEEPALIVE` seconds keeps proxies open. A stream too slow to keep up is closed; it
reconnects with its last id and loses nothing.
"""
from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime

import eventlet
import structlog
from eventlet.queue import Empty, Full, LightQueue
from nameko.extensions import DependencyProvider

from services.gateway.auth import Caller
from services.live import api as live
from shared.clock import CHINA, Clock
from shared.extensions.database import CenterStore, engine_for
from shared.extensions.settings import settings_of

log = structlog.get_logger("yiwang.stream")
POLL = 0.2                # seconds between two reads of the feed
KEEPALIVE = 15.0          # seconds between two keep-alive comments
QUEUE_MAX = 5000          # rows a stream may lag behind before it is closed (it resumes from its last id)
PURGE_EVERY = 300         # polls between two purges of rows older than the resume window
DROPPED = None            # what a closed stream's queue receives


@dataclass(eq=False)
class Subscriber:
    caller: Caller
    queue: LightQueue = field(default_factory=lambda: LightQueue(QUEUE_MAX))

    def wants(self, change: live.Change) -> bool:
        """What the caller may see, within its region's subtree only: its notifications; a handler, the events of
        its unit's cases; every other staff role, every event."""
        if not self.caller.sees(change.region):
            return False  # never a case outside the token's region, whatever the unit
        if change.name == "notification":
            audience = change.audience or {}
            if audience.get("role") == "handler":
                return self.caller.role == "handler" and audience.get("unit") == self.caller.unit
            return self.caller.role in ("dispatcher", "admin")
        if self.caller.role == "handler":
            return change.unit is not None and change.unit == self.caller.unit
        return True


class Hub:
    def __init__(self, store: CenterStore):
        self.store = store
        self.subscribers: set[Subscriber] = set()
        self.last = 0
        self.running = False
        self._loop: eventlet.greenthread.GreenThread | None = None

    def start(self) -> None:
        self.last = live.latest(self.store)
        self.running = True
        self._loop = eventlet.spawn(self._run)

    def stop(self) -> None:
        self.running = False
        for sub in list(self.subscribers):
            self._drop(sub)
        if self._loop is not None:
            self._loop.kill()

    def subscribe(self, caller: Caller) -> Subscriber:
        sub = Subscriber(caller)
        self.subscribers.add(sub)
        return sub

    def unsubscribe(self, sub: Subscriber) -> None:
        self.subscribers.discard(sub)

    def step(self) -> int:
        """Number what committed, read what is new, offer it to the streams; returns how many rows."""
        live.sequence(self.store)
        changes = live.since(self.store, self.last)
        for change in changes:
            for sub in list(self.subscribers):
                if sub.wants(change):
                    self._offer(sub, change)
            self.last = change.seq
        return len(changes)

    def _run(self) -> None:
        polls = 0
        while self.running:
            eventlet.sleep(POLL)
            try:
                while self.step() == live.BATCH:  # a full batch: read on at once
                    pass
                polls += 1
                if polls % PURGE_EVERY == 0:
                    live.purge(self.store, self.store.now())
            except Exception as exc:  # noqa: BLE001 - the database is away: try again at the next poll
                log.warning("live feed poll failed", error=str(exc)[:200])

    def _offer(self, sub: Subscriber, change: live.Change) -> None:
        try:
            sub.queue.put_nowait(change)
        except Full:
            log.warning("a stream fell behind; closing it (it resumes from its last id)", caller=sub.caller.actor)
            self._drop(sub)

    def _drop(self, sub: Subscriber) -> None:
        self.subscribers.discard(sub)
        while True:  # make room for the end mark
            try:
                sub.queue.put_nowait(DROPPED)
                return
            except Full:
                sub.queue.get_nowait()


def event_text(change: live.Change) -> str:
    """One server-sent event: `id`, `event` and `data` (never a phone number: rows carry none)."""
    if change.name in ("notification", "warning"):  # their own fields: a notice's kind and text, a warning's title,
        # kind, level and cases (services/warning)
        data = {**(change.data or {}), "case_id": change.case_id, "region": change.region, "at": _iso(change.at)}
    else:
        data = {"case_id": change.case_id, "type": change.name, "status": change.status, "light": change.light,
                "unit": change.unit, "region": change.region, "center": change.center, "at": _iso(change.at)}
    return f"id: {change.seq}\nevent: {change.name}\ndata: {json.dumps(data, ensure_ascii=False)}\n\n"


def events(hub: Hub, caller: Caller, last_id: int | None) -> Iterator[bytes]:
    """The body of one stream: what was missed since `last_id` (if given), then what happens. Bytes: the server
    frames each chunk by its length in bytes, which a str of Chinese text would get wrong."""
    sub = hub.subscribe(caller)
    sent = last_id if last_id is not None else hub.last
    try:
        yield b"retry: 2000\n: connected\n\n"
        if last_id is not None:
            for change in _missed(hub, sub, last_id):
                sent = change.seq
                yield event_text(change).encode()
        while True:
            try:
                change = sub.queue.get(timeout=KEEPALIVE)
            except Empty:
                yield b": keep-alive\n\n"
                continue
            if change is DROPPED:
                return
            if change.seq > sent:
                sent = change.seq
                yield event_text(change).encode()
    finally:
        hub.unsubscribe(sub)


def _missed(hub: Hub, sub: Subscriber, last_id: int) -> Iterator[live.Change]:
    """The feed's rows after `last_id` up to where the hub has read (the queue holds what comes after)."""
    upto, after = hub.last, last_id
    while after < upto:
        batch = live.since(hub.store, after, until=upto)
        if not batch:
            return
        for change in batch:
            if sub.wants(change):
                yield change
        after = batch[-1].seq


def _iso(dt: datetime) -> str:
    return dt.astimezone(CHINA).isoformat()


class LiveStream(DependencyProvider):
    """The gateway's hub: started with the gateway, stopped with it (which ends its streams)."""

    def setup(self) -> None:
        settings = settings_of(self.container.config)
        center = self.container.config["YIWANG_CENTER"]
        engine = engine_for(settings.database_for(center), pool_size=settings.max_workers + 2)
        self.hub = Hub(CenterStore(engine, center, "gateway", Clock(settings.clock_file), relay=None))

    def start(self) -> None:
        self.hub.start()

    def stop(self) -> None:
        self.hub.stop()

    def kill(self) -> None:
        self.hub.stop()

    def get_dependency(self, worker_ctx) -> Hub:  # noqa: ANN001
        return self.hub
