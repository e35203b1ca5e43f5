"""Rate limits on the routes that write (QUALITY S6): a token bucket per token and one per address, in this
gateway process (a center with several gateway processes allows that many times the rate). Over the limit a
request gets 429 with `Retry-After`, before anything is read or stored."""
from __future__ import annotations

import threading
import time
from dataclasses import dataclass

from nameko.extensions import DependencyProvider

from services.gateway import errors
from shared.extensions.settings import settings_of

WRITES = ("POST", "PUT", "PATCH", "DELETE")
MAX_KEYS = 50_000  # buckets kept; the idle ones are dropped when there are more


@dataclass(frozen=True)
class Limit:
    rate: float   # requests a second, sustained
    burst: float  # requests at once

    @classmethod
    def parse(cls, raw: str) -> Limit | None:
        """`"50/s,100"` (rate per second, burst), or `off`."""
        if raw.strip().lower() in ("off", "0", ""):
            return None
        rate, _, burst = raw.partition(",")
        value = float(rate.strip().removesuffix("/s"))
        return cls(value, float(burst) if burst.strip() else 2 * value)


class Buckets:
    def __init__(self, limit: Limit | None):
        self.limit = limit
        self._state: dict[str, tuple[float, float]] = {}  # key → (tokens, last refill, monotonic)
        self._lock = threading.Lock()

    def take(self, key: str) -> float:
        """0 when the request may go; else the seconds until it may."""
        if self.limit is None:
            return 0.0
        now = time.monotonic()
        with self._lock:
            tokens, last = self._state.get(key, (self.limit.burst, now))
            tokens = min(self.limit.burst, tokens + (now - last) * self.limit.rate)
            if tokens >= 1:
                self._state[key] = (tokens - 1, now)
                return 0.0
            self._state[key] = (tokens, now)
            if len(self._state) > MAX_KEYS:
                self._state = {k: v for k, v in self._state.items() if now - v[1] < 60}
            return (1 - tokens) / self.limit.rate


class RateLimits:
    def __init__(self, per_token: Limit | None, per_address: Limit | None):
        self.tokens, self.addresses = Buckets(per_token), Buckets(per_address)

    def check(self, method: str, address: str | None, token_key: str | None) -> None:
        """Raise 429 when this write is over the address's or the token's limit."""
        if method not in WRITES:
            return
        wait = max(self.addresses.take(address or "?"), self.tokens.take(token_key) if token_key else 0.0)
        if wait > 0:
            seconds = max(1, round(wait + 0.5))
            raise errors.ApiError(429, "rate_limited", f"too many requests; try again in {seconds} s",
                                  {"retry_after_seconds": seconds})


class Limits(DependencyProvider):
    """The gateway process's buckets, from the settings (YIWANG_RATE_LIMIT_TOKEN, YIWANG_RATE_LIMIT_ADDRESS)."""

    def setup(self) -> None:
        settings = settings_of(self.container.config)
        self.limits = RateLimits(Limit.parse(settings.rate_limit_token), Limit.parse(settings.rate_limit_address))

    def get_dependency(self, worker_ctx) -> RateLimits:  # noqa: ANN001
        return self.limits
