"""HMAC signing of 12345 webhooks, both ways (CONTRACTS.md §4, round 2).

`X-Yiwang-Timestamp: <Unix seconds>` and `X-Yiwang-Signature: sha256=<hex HMAC-SHA256 of "<timestamp>.<raw body>">`:
the timestamp is inside the MAC, so a captured request cannot be sent again later with a fresh timestamp, and one
more than five minutes off is refused. Within the window a repeat is a retry, which the receiver answers
idempotently (orders by `order_no`, visits by `(order_no, visited_at)`)."""
from __future__ import annotations

import hashlib
import hmac
import time
from typing import Protocol

SIGNATURE = "X-Yiwang-Signature"
TIMESTAMP = "X-Yiwang-Timestamp"
WINDOW_SECONDS = 300  # "reject if more than 5 minutes off"


class Headers(Protocol):
    """Request headers as the receiver has them (werkzeug's, http.server's or a dict): `get` is None when absent."""

    def get(self, key: str, /) -> str | None: ...


class BadSignature(Exception):
    """The request is not signed by the holder of the shared secret, or is stale."""

    def __init__(self, code: str, message: str):
        self.code = code
        super().__init__(message)


def signature(timestamp: str, body: bytes, secret: str) -> str:
    return "sha256=" + hmac.new(secret.encode(), timestamp.encode() + b"." + body, hashlib.sha256).hexdigest()


def sign(body: bytes, secret: str, now: float | None = None) -> dict[str, str]:
    """The headers that sign `body` now."""
    stamp = str(int(time.time() if now is None else now))
    return {SIGNATURE: signature(stamp, body, secret), TIMESTAMP: stamp}


def verify(headers: Headers, body: bytes, secret: str, now: float | None = None, window: int = WINDOW_SECONDS) -> None:
    """Check the signature (over the timestamp and the body) and that the timestamp is within the window."""
    given, stamp = headers.get(SIGNATURE), headers.get(TIMESTAMP)
    if not given:
        raise BadSignature("signature_missing", f"the {SIGNATURE} header is missing")
    if not stamp:
        raise BadSignature("timestamp_missing", f"the {TIMESTAMP} header is missing")
    try:
        at = int(stamp)
    except ValueError:
        raise BadSignature("timestamp_invalid", f"{TIMESTAMP} must be Unix seconds") from None
    if abs((time.time() if now is None else now) - at) > window:
        raise BadSignature("timestamp_stale", f"{TIMESTAMP} is more than {window // 60} minutes off; "
                                              "check the sender's clock")
    if not hmac.compare_digest(given.strip().lower(), signature(stamp, body, secret)):
        raise BadSignature("signature_invalid", f"the signature does not match the {TIMESTAMP} and the body")
