"""The shape of the chain on the broker: one durable topic exchange, routing keys that spell the region
path of the center that owns the case after the event, and one durable queue per handler (competing
consumers across processes), each with its retry queues and its dead-letter queue.

    routing key   {region path}.{event}      e.g. 320600.320612.320612001.dispatched
    handler queue yiwang.{center}.{service}.{handler}
    retry queues  {queue}.retry.{delay}ms    TTL = that delay; expired messages go back to {queue}
                                             (named by delay, so a changed YIWANG_RETRY_DELAYS gets new queues)
    dead letters  {queue}.dlq

A center binds exactly its own events with `{its path}.{event}`; an ancestor binds its subtree with
`{its path}.{child}.#` for each child. The keys are the same on one broker and across federated brokers (docs/routing-keys.md).
"""
from __future__ import annotations

from dataclasses import dataclass

from kombu import Exchange, Queue, binding

EXCHANGE_NAME = "yiwang.chain"
CHAIN = Exchange(EXCHANGE_NAME, type="topic", durable=True)
DEFAULT = Exchange("", type="direct", durable=True)


def region_path(center: str) -> str:
    from shared.catalog import load_catalog

    return ".".join(load_catalog().regions.path(center))


def routing_key(center: str, event: str) -> str:
    return f"{region_path(center)}.{event}"


def queue_name(center: str, service: str, handler: str) -> str:
    return f"yiwang.{center}.{service}.{handler}"


def retry_queue_name(queue: str, delay: float) -> str:
    return f"{queue}.retry.{int(round(delay * 1000))}ms"


def dlq_name(queue: str) -> str:
    return f"{queue}.dlq"


@dataclass(frozen=True)
class Subscription:
    """One handler's interest: which events of which center it consumes."""

    center: str
    service: str
    handler: str
    events: tuple[str, ...]
    subtree: bool = False  # every event of every center below this one (data flows up)
    above: bool = False    # these events of the centers above this one (an ancestor taking a case up)

    @property
    def queue(self) -> str:
        return queue_name(self.center, self.service, self.handler)

    def routing_keys(self) -> list[str]:
        path = region_path(self.center)
        if self.subtree:  # one binding per child: `{path}.#` would also match this center's own events
            from shared.catalog import load_catalog

            return [f"{path}.{child.code}.#" for child in load_catalog().regions.children(self.center)]
        if self.above:
            from shared.catalog import load_catalog

            ancestors = load_catalog().regions.path(self.center)[:-1]
            return [f"{region_path(a)}.{e}" for a in ancestors for e in self.events]
        return [f"{path}.{e}" for e in self.events]

    def kombu_queue(self) -> Queue:
        return Queue(self.queue, exchange=CHAIN, durable=True,
                     bindings=[binding(CHAIN, routing_key=k) for k in self.routing_keys()])

    def side_queues(self, retry_delays: tuple[float, ...]) -> list[Queue]:
        queues = [Queue(retry_queue_name(self.queue, delay), exchange=DEFAULT,
                        routing_key=retry_queue_name(self.queue, delay), durable=True, queue_arguments={
                            "x-message-ttl": int(round(delay * 1000)),
                            "x-dead-letter-exchange": "",
                            "x-dead-letter-routing-key": self.queue})
                  for delay in sorted(set(retry_delays))]
        queues.append(Queue(dlq_name(self.queue), exchange=DEFAULT, routing_key=dlq_name(self.queue), durable=True))
        return queues


def subscriptions(center: str, service_classes) -> list[Subscription]:
    """Every chain handler of the given nameko service classes, for one center."""
    from shared.messaging.entrypoint import ChainHandler

    subs = []
    for cls in service_classes:
        for attr in sorted(vars(cls)):
            for ep in getattr(getattr(cls, attr), "nameko_entrypoints", ()):
                if isinstance(ep, ChainHandler):
                    subs.append(Subscription(center, cls.name, attr, ep.events, ep.subtree, ep.above))
    return subs


def declare(connection, subs: list[Subscription], retry_delays: tuple[float, ...]) -> None:
    """Declare the exchange and every queue, binding, retry and dead-letter queue (idempotent)."""
    channel = connection.channel()
    try:
        CHAIN(channel).declare()
        for sub in subs:
            sub.kombu_queue()(channel).declare()
            for q in sub.side_queues(retry_delays):
                q(channel).declare()
    finally:
        channel.close()
