"""HMAC signing of 12345 webhooks, both ways (CONTRACTS.md §4).

`X-Yiwang-Signature: sha256=<hex HMAC-SHA256 of the raw body>` and `X-Yiwang-Timestamp` (Unix seconds, refused
when more than five minutes off). The contract signs the raw body only, so the receiver refuses replays by
remembering the signatures it accepted (a replay within the window carries the same signature)."""
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


def signature(body: bytes, secret: str) -> str:
    return "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


def sign(body: bytes, secret: str, now: float | None = None) -> dict[str, str]:
    """The headers that sign `body`."""
    return {SIGNATURE: signature(body, secret), TIMESTAMP: str(int(time.time() if now is None else now))}


def verify(headers: Headers, body: bytes, secret: str, now: float | None = None, window: int = WINDOW_SECONDS) -> str:
    """Check the signature and the timestamp; return the signature (the receiver's replay key)."""
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
    if not hmac.compare_digest(given.strip().lower(), signature(body, secret)):
        raise BadSignature("signature_invalid", "the signature does not match the body")
    return given.strip().lower()
