"""Publishing with publisher confirms: a publish returns only once the broker has taken the message."""
from __future__ import annotations

from amqp.exceptions import ChannelError
from kombu import Connection
from kombu.pools import producers

from shared.contracts.events import CONTENT_TYPE


class Unroutable(RuntimeError):
    """A mandatory message found no queue."""


CONFIRM_TIMEOUT = 30.0  # seconds: a broker that takes longer is treated as lost (the connection is re-made and the
                        # publish tried again; consumers de-duplicate), so no caller waits forever on a stalled broker


class Publisher:
    def __init__(self, amqp_uri: str, heartbeat: int = 60):
        self.amqp_uri = amqp_uri
        self._conn = Connection(amqp_uri, heartbeat=heartbeat, connect_timeout=5,
                                transport_options={"confirm_publish": True})
        self.user: str = self._conn.userid or "guest"  # the broker user; `user_id=publisher.user` has the broker vouch for it

    def connection(self) -> Connection:
        """A new connection to the same broker (closed by the caller: `with publisher.connection() as conn`)."""
        return self._conn.clone()

    def publish(self, body: str | bytes, *, exchange: str, routing_key: str, headers: dict | None = None,
                mandatory: bool = False, content_type: str = CONTENT_TYPE, expiration: float | None = None,
                user_id: str | None = None) -> None:
        """Publish and wait for the broker's confirm. With `user_id` (which must be this connection's user) the
        broker refuses the message unless it is, so consumers may trust it."""
        properties = {"user_id": user_id} if user_id else {}
        with producers[self._conn].acquire(block=True, timeout=10) as producer:
            try:
                producer.publish(
                    body, exchange=exchange, routing_key=routing_key, headers=headers or {},
                    content_type=content_type, content_encoding="utf-8", delivery_mode=2,
                    mandatory=mandatory, expiration=expiration, timeout=CONFIRM_TIMEOUT,
                    confirm_timeout=CONFIRM_TIMEOUT, **properties,
                    retry=True, retry_policy={"max_retries": 2, "interval_start": 0.2, "interval_step": 0.5,
                                              "interval_max": 1.0})
            except ChannelError as exc:
                if "NO_ROUTE" in str(exc):
                    raise Unroutable(f"no queue for {exchange or '(default)'}:{routing_key}") from None
                raise


def broker_problem(amqp_uri: str, timeout: float = 2) -> str | None:
    """Why the broker cannot be reached now, or None when it can (for readiness checks)."""
    try:
        with Connection(amqp_uri, connect_timeout=timeout) as conn:
            conn.ensure_connection(max_retries=1, timeout=timeout)
    except Exception as exc:  # noqa: BLE001 - whatever it is, it is the answer
        return str(exc)[:200] or type(exc).__name__
    return None
