"""Helpers for interface and integration tests: run real nameko services in this process against the
test vhost and a fresh center database, watch the chain, and wait for conditions."""
from __future__ import annotations

import itertools
import json
import time
import uuid
from contextlib import contextmanager
from datetime import UTC, datetime

from kombu import Connection, Queue
from nameko.runners import ServiceRunner
from sqlmodel import Session, select

from app.composition import container_config, service_class
from app.runner import prepare
from shared.clock import Clock
from shared.config import Settings
from shared.extensions.database import CenterStore, engine_for
from shared.messaging.publisher import Publisher
from shared.messaging.relay import Destinations, OutboxRelay
from shared.messaging.topology import CHAIN, routing_key
from shared.store.tables import Case, TimelineEntry

RETRY_DELAYS = (0.2, 0.4)
_places = itertools.count()


def somewhere(lon: float = 120.85, lat: float = 31.98, **extra) -> dict:
    """A location no other call returns, 300 m or more from the others: reports of one category at one spot
    would be merged (并单) into one case, so tests that need separate cases put them apart."""
    n = next(_places)
    return {"lon": round(lon + (n % 50) * 0.0032, 6), "lat": round(lat + (n // 50 % 50) * 0.0032, 6), **extra}


def settings(amqp_uri: str, database_url: str, **extra) -> Settings:
    """Settings for services run in this process: short retries and sweeps."""
    values = {"retry_delays": RETRY_DELAYS, "sweep_seconds": 0.5, "relay_seconds": 0.5, "max_workers": 4,
              "rate_limit_token": "off", "rate_limit_address": "off", **extra}  # loads, not abuse
    return Settings(amqp_uri=amqp_uri, database_url=database_url, **values)


def center_config(s: Settings, center: str) -> dict:
    return container_config(center, s)


@contextmanager
def running(classes, config):
    runner = ServiceRunner(config)
    for cls in classes:
        runner.add_service(cls if not isinstance(cls, str) else service_class(cls))
    runner.start()
    try:
        yield runner
    finally:
        runner.stop()


def store_for(s: Settings, center: str, clock: Clock | None = None) -> CenterStore:
    url = s.database_for(center)
    engine = engine_for(url, pool_size=4)
    return CenterStore(engine, center, "test", clock or Clock(), OutboxRelay(engine, Publisher(s.amqp_uri),
                                                                          Destinations(center, s.retry_delays)))


def prepared(s: Settings, center: str) -> str:
    return prepare(center, s)


class Watcher:
    """A queue bound to chosen routing keys of `yiwang.chain`; collects CloudEvents."""

    def __init__(self, amqp_uri: str, keys: list[str]):
        self.conn = Connection(amqp_uri)
        self.queue = Queue(f"test-watch-{uuid.uuid4().hex[:8]}", exchange=CHAIN, routing_key=keys[0],
                           exclusive=True, auto_delete=True)
        self.channel = self.conn.channel()
        bound = self.queue(self.channel)
        bound.declare()
        for k in keys[1:]:
            bound.bind_to(exchange=CHAIN, routing_key=k)
        self.bound = bound
        self.events: list[dict] = []

    def drain(self) -> list[dict]:
        while True:
            msg = self.bound.get(no_ack=True)
            if msg is None:
                return self.events
            self.events.append(json.loads(msg.body))

    def wait_for(self, predicate, timeout=15.0) -> dict:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            for e in self.drain():
                if predicate(e):
                    return e
            time.sleep(0.05)
        raise AssertionError(f"no matching event within {timeout}s; saw {[e['type'] for e in self.events]}")

    def close(self):
        self.channel.close()
        self.conn.release()


def wait_until(fn, timeout=15.0, interval=0.05, what="condition"):
    deadline = time.monotonic() + timeout
    last = None
    while time.monotonic() < deadline:
        last = fn()
        if last:
            return last
        time.sleep(interval)
    raise AssertionError(f"{what} not reached within {timeout}s (last: {last!r})")


def case_row(store: CenterStore, case_id: str) -> Case:
    with Session(store.engine) as s:
        return s.get(Case, case_id)


def timeline_types(store: CenterStore, case_id: str) -> list[str]:
    with Session(store.engine) as s:
        return [t.type for t in s.exec(select(TimelineEntry).where(TimelineEntry.case_id == case_id)
                                       .order_by(TimelineEntry.id))]


def publish_raw(amqp_uri: str, body: str | bytes, key: str, headers=None, content_type="application/cloudevents+json"):
    Publisher(amqp_uri).publish(body, exchange=CHAIN.name, routing_key=key, headers=headers,
                                content_type=content_type)


def payload(case_id: str, center: str, **fields) -> dict:
    """An event's `data` that fits its model: a minimal case snapshot, an actor, and `fields`."""
    case = {"id": case_id, "status": "dispatched", "source": "desk", "description": "测试", "priority": "normal",
            "region": center, "center": center}
    return {"case": case, "actor": "test", **fields}


def key(center: str, event: str) -> str:
    return routing_key(center, event)


def now() -> datetime:
    return datetime.now(UTC)


