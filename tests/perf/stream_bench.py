"""QUALITY P7: the live stream with many screens open. `streams` clients (500 by default) hold `GET /api/v1/stream`
open on one center while reports arrive at `rate` per second (each becomes about three case events and a
notification: `received`, `triaged`, `dispatched`); every client should receive every event of its scope, and the
time from an event's commit (its `at`) to its arrival at each client is measured (same machine, same clock).

The clients are plain sockets read by one selector in this process (500 threads would measure the benchmark, not
the center). Printed, never asserted.
"""
from __future__ import annotations

import json
import selectors
import socket
import threading
import time
from dataclasses import dataclass, field
from datetime import datetime

HOST = "127.0.0.1"


@dataclass
class Client:
    sock: socket.socket
    raw: bytes = b""
    body: bytes = b""
    started: bool = False
    seen: dict[int, float] = field(default_factory=dict)   # event id → arrival (time.time())
    ats: dict[int, float] = field(default_factory=dict)    # event id → its commit time (`at`)
    closed: bool = False

    def feed(self, data: bytes, now: float) -> None:
        self.raw += data
        if not self.started:
            if b"\r\n\r\n" not in self.raw:
                return
            head, self.raw = self.raw.split(b"\r\n\r\n", 1)
            if not head.startswith(b"HTTP/1.1 200"):
                raise RuntimeError(f"stream refused: {head[:80]!r}")
            self.started = True
        while b"\r\n" in self.raw:  # chunked transfer encoding
            size_line, rest = self.raw.split(b"\r\n", 1)
            size = int(size_line, 16)
            if len(rest) < size + 2:
                break
            self.body += rest[:size]
            self.raw = rest[size + 2:]
        while b"\n\n" in self.body:
            block, self.body = self.body.split(b"\n\n", 1)
            fields = dict(line.split(": ", 1) for line in block.decode().split("\n")
                          if line.startswith(("id: ", "data: ")))
            if "id" in fields and "data" in fields:
                n = int(fields["id"])
                self.seen.setdefault(n, now)
                self.ats[n] = datetime.fromisoformat(json.loads(fields["data"])["at"]).timestamp()


class Screens:
    """`n` open streams, read by one selector thread."""

    def __init__(self, port: int, token: str, n: int):
        self.selector = selectors.DefaultSelector()
        self.clients: list[Client] = []
        self.stopping = threading.Event()
        request = (f"GET /api/v1/stream HTTP/1.1\r\nHost: {HOST}:{port}\r\nAccept: text/event-stream\r\n"
                   f"Authorization: Bearer {token}\r\n\r\n").encode()
        for _ in range(n):
            sock = socket.create_connection((HOST, port), timeout=10)
            sock.sendall(request)
            sock.setblocking(False)
            client = Client(sock)
            self.clients.append(client)
            self.selector.register(sock, selectors.EVENT_READ, client)
        self.thread = threading.Thread(target=self._read, daemon=True)
        self.thread.start()

    def _read(self) -> None:
        while not self.stopping.is_set():
            for key, _ in self.selector.select(timeout=0.2):
                client: Client = key.data
                try:
                    data = client.sock.recv(65536)
                except BlockingIOError:
                    continue
                if not data:
                    client.closed = True
                    self.selector.unregister(client.sock)
                    continue
                client.feed(data, time.time())

    def connected(self) -> int:
        return sum(1 for c in self.clients if c.started and not c.closed)

    def close(self) -> None:
        self.stopping.set()
        self.thread.join(timeout=5)
        for c in self.clients:
            c.sock.close()


@dataclass
class P7:
    streams: int
    connected: int
    rate: float
    events: int                 # distinct events any client saw
    deliveries: int
    missing: int                # (client, event) pairs some client missed
    p50: float | None
    p99: float | None
    max: float | None


def measure(screens: Screens, streams: int, rate: float, settle: float = 5.0) -> P7:
    """Every event seen by any client should reach every client: count what is missing and the latencies."""
    time.sleep(settle)
    every = set().union(*(c.seen for c in screens.clients))
    ats: dict[int, float] = {}
    for c in screens.clients:
        ats.update(c.ats)
    delays = sorted(c.seen[n] - ats[n] for c in screens.clients for n in c.seen if n in ats)
    missing = sum(len(every - set(c.seen)) for c in screens.clients)

    def pct(p: float) -> float | None:
        return delays[min(len(delays) - 1, int(p * len(delays)))] if delays else None
    return P7(streams, screens.connected(), rate, len(every), len(delays), missing, pct(0.5), pct(0.99),
              delays[-1] if delays else None)
