"""Dead letters and what no queue took: list them with why, count them, and replay them.

Two kinds of parked messages, per center:
- `{queue}.dlq` of each handler queue: events a handler kept failing on (`x-yiwang-error`), malformed ones, and
  events whose worker died or hung on every delivery (dead-lettered by the broker: `delivery_limit`);
- `yiwang.{center}.unroutable`: events this center published that no queue took (topology.py). Replaying one
  publishes it on the chain again with its routing key, after declaring the queues of the center it addresses
  (on this broker), so it is taken this time."""
from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass

from kombu import Connection

from shared.messaging import topology
from shared.messaging.entrypoint import ATTEMPTS_HEADER, DEATHS_HEADER
from shared.messaging.publisher import Publisher
from shared.messaging.relay import Destinations

DROPPED_HEADERS = (ATTEMPTS_HEADER, DEATHS_HEADER, "x-yiwang-error", "x-yiwang-last-error", "x-death", "x-first-death-exchange",
                   "x-first-death-queue", "x-first-death-reason", "x-delivery-count")


@dataclass(frozen=True)
class DeadLetter:
    queue: str              # the handler queue it came from, or the center's unroutable queue
    event_id: str | None
    type: str | None
    case_id: str | None
    error: str | None
    attempts: int
    routing_key: str | None = None  # for an unroutable event: where it was addressed


def _reason(headers: dict) -> str | None:
    if headers.get("x-yiwang-error"):
        return headers["x-yiwang-error"]
    if headers.get("x-first-death-reason") == "delivery_limit":
        return (f"delivered {topology.DELIVERY_LIMIT + 1} times without an answer: its worker died or hung on it "
                "every time")
    return None


def _describe(queue: str, message) -> DeadLetter:
    headers = message.headers or {}
    try:
        body = json.loads(message.body)
        ident, kind, subject = body.get("id"), body.get("type"), body.get("subject")
    except (ValueError, AttributeError):
        ident = kind = subject = None
    return DeadLetter(queue, ident, kind, subject, _reason(headers), int(headers.get(ATTEMPTS_HEADER, 0)),
                      (message.delivery_info or {}).get("routing_key"))


def _parked(subs: list[topology.Subscription]) -> list[tuple[str, str]]:
    """(where it is parked, what it is listed under) for every dead-letter queue and unroutable queue."""
    centers = sorted({sub.center for sub in subs})
    return ([(topology.dlq_name(sub.queue), sub.queue) for sub in subs]
            + [(topology.unroutable_queue(c).name,) * 2 for c in centers])


def _messages(channel, name: str, limit: int) -> Iterator:
    """Take up to `limit` messages of a queue without acknowledging them (they go back, in order, when the
    channel closes, unless the caller acknowledged them)."""
    _, count, _ = channel.queue_declare(name, passive=True)
    for _ in range(min(count, limit)):
        message = channel.basic_get(name, no_ack=False)
        if message is None:
            return
        yield message


def list_dead(amqp_uri: str, subs: list[topology.Subscription], limit: int = 100) -> list[DeadLetter]:
    """Peek at the dead letters and unroutable events of these subscriptions' centers; nothing is removed."""
    out: list[DeadLetter] = []
    with Connection(amqp_uri, connect_timeout=5) as conn:
        for name, listed in _parked(subs):
            channel = conn.channel()
            try:
                out.extend(_describe(listed, message) for message in _messages(channel, name, limit))
            finally:
                channel.close()
    return out


def counts(amqp_uri: str, subs: list[topology.Subscription]) -> dict[str, int]:
    """How many dead letters and unroutable events are parked (for /readyz and the metrics)."""
    out = {"dead_letters": 0, "unroutable": 0}
    with Connection(amqp_uri, connect_timeout=3) as conn:
        channel = conn.channel()
        try:
            for name, listed in _parked(subs):
                _, count, _ = channel.queue_declare(name, passive=True)
                out["unroutable" if name == listed else "dead_letters"] += count
        finally:
            channel.close()
    return out


def replay(amqp_uri: str, subs: list[topology.Subscription], event_id: str | None = None,
           queue: str | None = None, destinations: Destinations | None = None) -> int:
    """Send parked messages (all, or one event id, or one queue's) back: a dead letter to its handler queue for
    a fresh set of tries, an unroutable event to the chain with its routing key."""
    publisher = Publisher(amqp_uri)
    moved = 0
    with Connection(amqp_uri, connect_timeout=5) as conn:
        for name, listed in _parked(subs):
            if queue and listed != queue:
                continue
            channel = conn.channel()
            try:
                send = _to_chain(publisher, destinations) if name == listed else _to_queue(publisher, listed)
                for message in list(_messages(channel, name, 1_000_000)):
                    if event_id and _describe(listed, message).event_id != event_id:
                        continue  # left unacknowledged: back to its queue when the channel closes
                    send(message, {k: v for k, v in (message.headers or {}).items() if k not in DROPPED_HEADERS})
                    channel.basic_ack(message.delivery_tag)
                    moved += 1
            finally:
                channel.close()
    return moved


Send = Callable[[object, dict], None]


def _to_queue(publisher: Publisher, queue: str) -> Send:
    def send(message, headers):
        publisher.publish(message.body, exchange="", routing_key=queue, headers=headers, mandatory=True,
                          content_type=message.content_type or "application/json")
    return send


def _to_chain(publisher: Publisher, destinations: Destinations | None) -> Send:
    def send(message, headers):
        key = message.delivery_info["routing_key"]
        if destinations is not None:
            destinations.prepare(publisher, key)
        publisher.publish(message.body, exchange=topology.EXCHANGE_NAME, routing_key=key, headers=headers,
                          mandatory=True, content_type=message.content_type or "application/json",
                          user_id=publisher.user)
    return send
