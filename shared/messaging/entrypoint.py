"""`@chain_handler("received", ...)`: a nameko entrypoint that consumes CloudEvents of this center from
`yiwang.chain` and never loses one.

- The message is acknowledged only after the worker returned (its transaction committed).
- A worker that raises is retried after each delay of YIWANG_RETRY_DELAYS (through the center's
  `yiwang.{center}.retry.{ms}ms` queues, whose TTL sends the message back under its own routing key, the handler
  queue's name); after the last it is dead-lettered to `{queue}.dlq` with the
  error. The copy is published with confirms before the original is acknowledged; if that publish fails the
  original is requeued instead.
- A message that is not a valid CloudEvent of an expected type (or a `Permanent` error) is dead-lettered at
  once with the reason.
- A message the broker delivers again (`x-delivery-count`: its worker died or hung, so no exception counted a
  try) is set aside through the first retry queue instead of handled at once, so the messages that were in
  flight beside it are not taken down with it again; the deaths add up in `x-yiwang-deaths` and after
  DELIVERY_LIMIT of them it is dead-lettered with that reason. (The queue's own delivery limit is the backstop.)
- An event's `center` is trusted only when the broker vouches for its publisher: the AMQP `user_id` (validated by
  the broker) of a center user must be that center's (topology.vouched); in production a publisher that is not a
  center user is refused too. Copies this center moved (retries, replays) keep the original publisher.
"""
from __future__ import annotations

from functools import partial

import structlog
from kombu import Consumer as KombuConsumer
from kombu import Queue
from nameko.containers import WorkerContext  # noqa: F401  (documentation of handle_result's argument)
from nameko.exceptions import ContainerBeingKilled
from nameko.extensions import Entrypoint
from nameko.messaging import QueueConsumer

from shared.contracts.events import CloudEvent
from shared.extensions.settings import settings_of
from shared.messaging import topology
from shared.messaging.publisher import Publisher

log = structlog.get_logger("yiwang.messaging")
ATTEMPTS_HEADER = "x-yiwang-attempts"
DEATHS_HEADER = "x-yiwang-deaths"
PUBLISHER_HEADER = "x-yiwang-publisher"  # who published it on the chain, kept when this center moves it


class Permanent(Exception):
    """An error that retrying cannot fix: dead-letter at once. Other exception classes can say the same
    with a class attribute `permanent = True`."""


class ChainQueueConsumer(QueueConsumer):
    """nameko's shared queue consumer, handing raw messages to the provider (no kombu decoding, which
    would crash the consumer loop on a malformed body)."""

    def get_consumers(self, consumer_cls, channel):
        for provider in self._providers:
            consumer = KombuConsumer(channel, queues=[provider.queue], no_ack=False,
                                     on_message=partial(self._on_message, provider))
            consumer.qos(prefetch_count=self.prefetch_count)
            self._consumers[provider] = consumer
        return self._consumers.values()

    def _on_message(self, provider, message):
        self.container.spawn_managed_thread(partial(provider.handle_message, message),
                                            identifier=f"ChainHandler[{provider.queue.name}]")


class ChainHandler(Entrypoint):
    queue_consumer = ChainQueueConsumer()

    def __init__(self, *events: str, subtree: bool = False, above: bool = False, **kwargs):
        self.events = tuple(events)  # event names of this center's own cases
        self.subtree = subtree       # or: every event of the centers below this one
        self.above = above           # or: these events of the centers above this one
        self.queue: Queue | None = None  # made in setup()
        super().__init__(**kwargs)

    def setup(self):
        config = self.container.config
        settings = settings_of(config)
        self.center = config["YIWANG_CENTER"]
        self.retry_delays = settings.retry_delays
        self.strict = settings.env == "production"
        sub = topology.Subscription(self.center, self.container.service_name, self.method_name, self.events,
                                    self.subtree, self.above)
        self.queue = sub.kombu_queue()
        self.publisher = Publisher(settings.amqp_uri)
        self.queue_consumer.register_provider(self)

    def stop(self):
        self.queue_consumer.unregister_provider(self)

    # ---- consuming ---------------------------------------------------------------------------
    def handle_message(self, message):
        headers = message.headers or {}
        if headers.get("x-delivery-count"):
            self._set_aside(message, int(headers.get(DEATHS_HEADER, 0)) + int(headers["x-delivery-count"]))
            return
        try:
            event = CloudEvent.model_validate_json(message.body)
            if not self.subtree and event.name not in self.events:
                raise ValueError(f"{event.type} is not consumed here")
        except Exception as exc:  # a malformed message: nothing to retry
            self._dead_letter(message, f"malformed event: {exc}".replace("\n", " ")[:500])
            return
        if not topology.vouched(event.center, _publisher(message), self.strict):
            self._dead_letter(message, f"not trusted: an event of center {event.center} published by broker user "
                                       f"{_publisher(message) or '(none)'}")
            return
        context = {"event_id": event.id, "event_type": event.type, "case_id": event.subject,
                   "traceparent": (message.headers or {}).get("traceparent") or event.traceparent}
        try:
            self.container.spawn_worker(self, (event,), {}, context_data=context,
                                        handle_result=partial(self.handle_result, message))
        except ContainerBeingKilled:
            self.queue_consumer.requeue_message(message)

    def handle_result(self, message, worker_ctx, result=None, exc_info=None):
        if exc_info is None:
            self.queue_consumer.ack_message(message)
        else:
            exc = exc_info[1]
            reason = f"{type(exc).__name__}: {exc}".replace("\n", " ")[:500]
            attempts = int((message.headers or {}).get(ATTEMPTS_HEADER, 0)) + 1
            if isinstance(exc, Permanent) or getattr(exc, "permanent", False) or attempts > len(self.retry_delays):
                self._dead_letter(message, reason, attempts)
            else:
                self._retry(message, self.retry_delays[attempts - 1],
                            {ATTEMPTS_HEADER: attempts, "x-yiwang-last-error": reason})
                log.warning("handler failed; retrying", queue=self.queue.name, attempt=attempts,
                            delay=self.retry_delays[attempts - 1], error=reason)
        return result, exc_info

    def _set_aside(self, message, deaths: int):
        assert self.queue is not None
        if deaths > topology.DELIVERY_LIMIT:
            self._dead_letter(message, f"its worker died or hung on it {deaths} times (killed, out of memory, or "
                                       "stuck); nothing was recorded")
            return
        log.warning("redelivered after its worker died; set aside before another try", queue=self.queue.name,
                    deaths=deaths)
        self._retry(message, self.retry_delays[0], {DEATHS_HEADER: deaths})

    def _dead_letter(self, message, reason: str, attempts: int | None = None):
        assert self.queue is not None  # setup() made it before any message came
        log.error("dead-lettered", queue=self.queue.name, reason=reason)
        self._move(message, topology.dlq_name(self.queue.name),
                   {"x-yiwang-error": reason, "x-yiwang-queue": self.queue.name,
                    ATTEMPTS_HEADER: attempts or int((message.headers or {}).get(ATTEMPTS_HEADER, 0))})

    def _retry(self, message, delay: float, extra_headers: dict):
        """Into the center's retry queue for `delay`, under this handler queue's name: back here after the delay."""
        assert self.queue is not None
        self._move(message, self.queue.name, extra_headers, exchange=topology.retry_name(self.center, delay))

    def _move(self, message, queue: str, extra_headers: dict, exchange: str = ""):
        """Publish a confirmed copy to `queue` (through `exchange`), then ack the original; requeue it if the copy
        failed."""
        headers = {k: v for k, v in (message.headers or {}).items() if k != "x-delivery-count"}  # the broker's
        if publisher := _publisher(message):
            headers[PUBLISHER_HEADER] = publisher
        headers.update(extra_headers)
        try:
            self.publisher.publish(message.body, exchange=exchange, routing_key=queue, headers=headers, mandatory=True,
                                   content_type=message.content_type or "application/octet-stream")
        except Exception as exc:  # broker trouble: give the message back rather than lose it
            log.warning("could not move message; requeueing", queue=queue, error=str(exc))
            self.queue_consumer.requeue_message(message)
            return
        self.queue_consumer.ack_message(message)


def _publisher(message) -> str | None:
    """The broker user that published this event on the chain: vouched for by the broker (`user_id`) when it
    came from the chain exchange; as this center recorded it when it came back through its own retry or
    dead-letter queues (only this center's user may write to those)."""
    if (message.delivery_info or {}).get("exchange") == topology.EXCHANGE_NAME:
        return (message.properties or {}).get("user_id")
    return (message.headers or {}).get(PUBLISHER_HEADER)


chain_handler = ChainHandler.decorator

