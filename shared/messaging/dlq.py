"""Dead letters: list what failed and why, and replay it to the queue it came from."""
from __future__ import annotations

import json
from dataclasses import dataclass

from kombu import Connection

from shared.messaging import topology
from shared.messaging.entrypoint import ATTEMPTS_HEADER
from shared.messaging.publisher import Publisher


@dataclass(frozen=True)
class DeadLetter:
    queue: str
    event_id: str | None
    type: str | None
    case_id: str | None
    error: str | None
    attempts: int


def _describe(queue: str, message) -> DeadLetter:
    headers = message.headers or {}
    try:
        body = json.loads(message.body)
        ident, kind, subject = body.get("id"), body.get("type"), body.get("subject")
    except (ValueError, AttributeError):
        ident = kind = subject = None
    return DeadLetter(queue, ident, kind, subject, headers.get("x-yiwang-error"), int(headers.get(ATTEMPTS_HEADER, 0)))


def list_dead(amqp_uri: str, subs: list[topology.Subscription], limit: int = 100) -> list[DeadLetter]:
    """Peek at the dead letters of every handler queue; nothing is removed."""
    out = []
    with Connection(amqp_uri, connect_timeout=5) as conn:
        for sub in subs:
            channel = conn.channel()
            try:
                name = topology.dlq_name(sub.queue)
                _, count, _ = channel.queue_declare(name, passive=True)
                for _ in range(min(count, limit)):
                    message = channel.basic_get(name, no_ack=False)
                    if message is None:
                        break
                    out.append(_describe(sub.queue, message))
            finally:
                channel.close()  # unacknowledged messages go back to the dead-letter queue, in order
    return out


def replay(amqp_uri: str, subs: list[topology.Subscription], event_id: str | None = None,
           queue: str | None = None) -> int:
    """Move dead letters (all, or one event id, or one queue's) back to their queue for a fresh set of tries."""
    publisher = Publisher(amqp_uri)
    moved = 0
    with Connection(amqp_uri, connect_timeout=5) as conn:
        for sub in subs:
            if queue and sub.queue != queue:
                continue
            channel = conn.channel()
            try:
                name = topology.dlq_name(sub.queue)
                _, count, _ = channel.queue_declare(name, passive=True)
                for _ in range(count):
                    message = channel.basic_get(name, no_ack=False)
                    if message is None:
                        break
                    if event_id and _describe(sub.queue, message).event_id != event_id:
                        continue  # left unacknowledged: back to the dead-letter queue when the channel closes
                    headers = {k: v for k, v in (message.headers or {}).items()
                               if k not in (ATTEMPTS_HEADER, "x-yiwang-error", "x-yiwang-last-error")}
                    publisher.publish(message.body, exchange="", routing_key=sub.queue, headers=headers,
                                      mandatory=True, content_type=message.content_type or "application/json")
                    channel.basic_ack(message.delivery_tag)
                    moved += 1
            finally:
                channel.close()
    return moved
