"""What the demo asks the broker (RabbitMQ) and around it: who else consumes a center's queues, the dead letters
waiting at the centers, whether the management UI is on, and the broker's address without its password.

`app.composition` (the subscriptions of a center) is imported where it is used: it brings nameko, eventlet and the
services' composition, which the demo needs only while it runs, not when its scenario is imported."""
from __future__ import annotations

import socket

from kombu import Connection

from shared.config import load_settings
from shared.messaging import topology


def safe_amqp(uri: str) -> str:
    """The broker's URI without its password."""
    return Connection(uri).as_uri(include_password=False)


def other_consumers(region: str, amqp_uri: str) -> list[str]:
    """Queues of this center that something already consumes from: another center of the same region on
    this broker (and vhost). It would compete for the demo's events with its own database."""
    from app.composition import all_subscriptions

    busy = []
    with Connection(amqp_uri, connect_timeout=5) as conn:
        channel = conn.channel()
        try:
            for sub in all_subscriptions(region):
                _, _, consumers = channel.queue_declare(queue=sub.queue, passive=True)
                if consumers:
                    busy.append(f"{sub.queue} ({consumers})")
        finally:
            channel.close()
    return busy


def management_url() -> str | None:
    """Where RabbitMQ's management UI answers on this machine, if it does."""
    try:
        with socket.create_connection(("127.0.0.1", 15672), timeout=0.5):
            return "http://localhost:15672 (guest/guest)"
    except OSError:
        return None


def dead_letter_counts(regions: list[str]) -> dict[str, int] | str:
    """Dead letters waiting at each center's queues, counted without touching them (or why they could not be
    counted)."""
    from app.composition import all_subscriptions

    try:
        out = {}
        with Connection(load_settings().amqp_uri, connect_timeout=5) as conn:
            channel = conn.channel()
            try:
                for region in regions:
                    out[region] = sum(channel.queue_declare(topology.dlq_name(sub.queue), passive=True)[1]
                                      for sub in all_subscriptions(region))
            finally:
                channel.close()
        return out
    except Exception as exc:  # noqa: BLE001
        return f"could not check ({type(exc).__name__}); try: yiwang dlq list --region CODE"


def dead_letters(regions: list[str], before: dict[str, int] | str | None = None) -> str:
    """The dead letters waiting at each center now (and how many are new since `before`), with the command
    that lists them; or why they could not be counted."""
    now = dead_letter_counts(regions)
    if isinstance(now, str):
        return now
    if not any(now.values()):
        return "none at any center"
    parts = []
    for region, n in now.items():
        if n:
            new = n - before.get(region, 0) if isinstance(before, dict) else None
            parts.append(f"{region}: {n}{f' ({new} new in this run)' if new is not None else ''} "
                         f"(yiwang dlq list --region {region})")
    return " · ".join(parts)
