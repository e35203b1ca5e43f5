"""A center's HTTP API as the demo uses it: retries on connection errors and 5xx, counters shared by the
demo's workers, and the one-line text of an error answer."""
from __future__ import annotations

import time

import httpx

from app.demo.errors import DemoError


class Stats:
    """Counters shared by the workers (green threads; plain dict updates are enough)."""

    def __init__(self) -> None:
        self.c: dict[str, int] = {}
        self.server_errors: list[str] = []
        self.surprises: list[str] = []  # answers the API should not give (4xx other than races)

    def inc(self, key: str, by: int = 1) -> None:
        self.c[key] = self.c.get(key, 0) + by

    def __getitem__(self, key: str) -> int:
        return self.c.get(key, 0)


class Http:
    """The HTTP API of one center, with retries on connection errors and 5xx (reports are idempotent)."""

    def __init__(self, base: str, stats: Stats, name: str = "the center"):
        self.base = base
        self.name = name
        self.stats = stats
        self.client = httpx.Client(base_url=base, timeout=30.0,
                                   limits=httpx.Limits(max_connections=20, max_keepalive_connections=20))

    def call(self, method: str, path: str, token: str | None = None, *, json=None, data=None, params=None,
             headers=None, tries: int = 4):
        hdrs = dict(headers or {})
        if token:
            hdrs["Authorization"] = f"Bearer {token}"
        last = None
        for attempt in range(tries):
            self.stats.inc("requests")
            try:
                r = self.client.request(method, path, json=json, data=data, params=params, headers=hdrs)
            except httpx.TransportError as exc:
                last = f"{method} {path}: {type(exc).__name__} {exc}"
                self.stats.inc("transport_errors")
                time.sleep(0.5 * (attempt + 1))
                continue
            if r.status_code >= 500 and r.status_code != 503:
                self.stats.inc("server_errors")
                self.stats.server_errors.append(f"{self.name}: {method} {path} → {r.status_code} {r.text[:300]}")
                last = f"{method} {path} → {r.status_code}"
                time.sleep(0.5 * (attempt + 1))
                continue
            return r
        raise DemoError(f"{self.name} does not answer: {last}")

    def close(self):
        self.client.close()


def error_text(r) -> str:
    """An error answer in one line: its status and the API's error code and message (or the start of its body)."""
    try:
        e = r.json()["error"]
        return f"{r.status_code} {e['code']}: {e['message']}"
    except Exception:  # noqa: BLE001
        return f"{r.status_code} {r.text[:200]}"


def expect(r, *ok: int):
    """The JSON of an answer with one of the `ok` statuses; any other raises DemoError."""
    if r.status_code not in ok:
        raise DemoError(f"{r.request.method} {r.request.url.path} answered {error_text(r)}")
    return r.json()
