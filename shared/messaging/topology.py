"""The shape of the chain on the broker: one durable topic exchange, routing keys that spell the region
path of the center that owns the case after the event, and one durable queue per handler (competing
consumers across processes), each with its retry queues and its dead-letter queue.

    routing key   {region path}.{event}      e.g. 320600.320612.320612001.dispatched
    handler queue yiwang.{center}.{service}.{handler}
    retry queues  {queue}.retry.{delay}ms    TTL = that delay; expired messages go back to {queue}
                                             (named by delay, so a changed YIWANG_RETRY_DELAYS gets new queues)
    dead letters  {queue}.dlq
    unroutable    yiwang.{center}.unroutable   what a center published that no queue took (see below)

Handler queues are quorum queues with a delivery limit: a message whose worker dies or hangs (so no handled
exception ever counts a try) is dead-lettered by the broker after DELIVERY_LIMIT returns, with the reason
`delivery_limit`.

Nothing is dropped for want of a queue (R6):
- before a center hands a case to another center on the same broker, it declares that center's queues (the
  names and bindings are the same whoever declares them), so the hand-over waits in them until it starts;
- `yiwang.chain` has an alternate exchange: a message no queue takes goes to the publisher's
  `yiwang.{center}.unroutable` queue (matched on the `yiwang-from` header), counted on /readyz and replayed
  by `yiwang dlq`; every publish is also mandatory, so if even that fails the outbox keeps the event.

A center binds exactly its own events with `{its path}.{event}`; an ancestor binds its subtree with
`{its path}.{child}.#` for each child. The keys are the same on one broker and across federated brokers (docs/routing-keys.md).
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from amqp.exceptions import PreconditionFailed
from kombu import Exchange, Queue, binding

EXCHANGE_NAME = "yiwang.chain"
UNROUTABLE_NAME = "yiwang.unroutable"
FROM_HEADER = "yiwang-from"  # the publishing center: whose unroutable queue keeps what nothing took
# (a headers exchange ignores headers named x-…)
CHAIN = Exchange(EXCHANGE_NAME, type="topic", durable=True, arguments={"alternate-exchange": UNROUTABLE_NAME})
UNROUTABLE = Exchange(UNROUTABLE_NAME, type="headers", durable=True)
DEFAULT = Exchange("", type="direct", durable=True)
DELIVERY_LIMIT = 5  # returns (a dead or hung worker, a lost connection) before the broker dead-letters a message


def region_path(center: str) -> str:
    from shared.catalog import load_catalog

    return ".".join(load_catalog().regions.path(center))


def routing_key(center: str, event: str) -> str:
    return f"{region_path(center)}.{event}"


def queue_name(center: str, service: str, handler: str) -> str:
    return f"yiwang.{center}.{service}.{handler}"


def retry_name(center: str, delay: float) -> str:
    """A center's retry exchange and queue for one delay: a failed message waits there, then goes back (dead-lettered
    through the default exchange under its own routing key, the name of the handler queue it came from)."""
    return f"yiwang.{center}.retry.{int(round(delay * 1000))}ms"


def retry_queues(center: str, retry_delays: tuple[float, ...]) -> list[Queue]:
    """One fanout exchange and one queue per delay and center, shared by all its handlers: each classic queue holds
    broker file handles, and a queue per handler and delay cost some 135 a center."""
    return [Queue(retry_name(center, delay), exchange=Exchange(retry_name(center, delay), type="fanout", durable=True),
                  routing_key="", durable=True, queue_arguments={
                      "x-message-ttl": int(round(delay * 1000)), "x-dead-letter-exchange": ""})
            for delay in sorted(set(retry_delays))]


def dlq_name(queue: str) -> str:
    return f"{queue}.dlq"


def center_user(center: str) -> str:
    """The broker user of a center in a deployment with one user per center (infra/rabbitmq/center-user.sh)."""
    return f"yiwang-{center}"


def vouched(center: str, publisher: str | None, strict: bool) -> bool:
    """May an event claiming to come from `center` be trusted, given the broker user the broker vouched for? A
    center user speaks only for its own center; any other user (a single broker's shared user on a developer's
    machine) only when not `strict` (production)."""
    if publisher and publisher.startswith("yiwang-"):
        return publisher == center_user(center)
    return not strict


def unroutable_queue(center: str) -> Queue:
    return Queue(f"yiwang.{center}.unroutable", exchange=UNROUTABLE, durable=True,
                 binding_arguments={"x-match": "all", FROM_HEADER: center})


def center_of_key(key: str) -> str:
    """The center a routing key addresses: `320600.320612.routed` -> 320612."""
    return key.rsplit(".", 2)[-2]


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
                     bindings=[binding(CHAIN, routing_key=k) for k in self.routing_keys()], queue_arguments={
                         "x-queue-type": "quorum", "x-delivery-limit": DELIVERY_LIMIT,
                         "x-dead-letter-exchange": "", "x-dead-letter-routing-key": dlq_name(self.queue),
                         # dead-lettered with confirms, kept until the dead-letter queue took it
                         "x-dead-letter-strategy": "at-least-once", "x-overflow": "reject-publish"})

    def dead_letter_queue(self) -> Queue:
        return Queue(dlq_name(self.queue), exchange=DEFAULT, routing_key=dlq_name(self.queue), durable=True)


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


class TopologyConflict(RuntimeError):
    """The broker holds an exchange or queue of this name declared otherwise (an earlier release's topology)."""


def declare(connection, subs: list[Subscription], retry_delays: tuple[float, ...]) -> None:
    """Declare the exchanges, and every queue, binding and dead-letter queue of these subscriptions, and their
    centers' retry and unroutable queues (idempotent)."""
    channel = connection.channel()
    try:
        UNROUTABLE(channel).declare()
        CHAIN(channel).declare()
        for center in sorted({sub.center for sub in subs}):
            unroutable_queue(center)(channel).declare()
            for q in retry_queues(center, retry_delays):
                q(channel).declare()
        for sub in subs:
            sub.kombu_queue()(channel).declare()
            sub.dead_letter_queue()(channel).declare()
    except PreconditionFailed as exc:
        raise TopologyConflict(
            f"the broker's topology differs from this release's ({exc.reply_text}): an earlier release declared it "
            "(classic queues, no alternate exchange); drain that vhost and delete its yiwang.* exchanges and queues, "
            "or give this release a new vhost (docs/routing-keys.md, 'Upgrading from round 1')") from None
    finally:
        if channel.is_open:
            channel.close()


_subscriptions_of: Callable[[str], list[Subscription]] | None = None


def know_subscriptions(of: Callable[[str], list[Subscription]]) -> None:
    """The composition root says which handler queues a center has, so that a center handing a case to
    another can declare that center's queues first (`declare_center`)."""
    global _subscriptions_of
    _subscriptions_of = of


def of_center(center: str) -> list[Subscription]:
    """Every handler subscription of a center (all services)."""
    if _subscriptions_of is None:
        raise RuntimeError("topology.know_subscriptions(...) was not called (app/composition.py wire())")
    return _subscriptions_of(center)


def declare_center(connection, center: str, retry_delays: tuple[float, ...]) -> None:
    """Make another center's queues exist (on this broker) before the first hand-over to it."""
    declare(connection, of_center(center), retry_delays)
