"""The 12345 platform's side of the hotline integration (CONTRACTS.md §4), for the demo and the tests.

`HotlineSimulator` plays the 12345 platform against one center:

- it pushes work orders: `POST {center}/api/v1/hotline/orders` (generated ones from `orders.py`, or yours),
  and records order number → case id;
- it serves `POST /orders/{order_no}/updates` and checks every update the way a strict platform would:
  signature and timestamp (401), JSON (400) and fields (422), the path's order number against the body's
  (422); it accepts orders it never sent (the center may merge them) but counts them, answers a repeated
  `Idempotency-Key` with 200 without recording it twice, and counts updates whose `at` goes backwards for
  their order;
- after an order's `resolved` update and a delay, it posts the citizen's satisfaction visit (回访):
  `POST {center}/api/v1/hotline/visits`, satisfaction drawn from a mix;
- faults for reliability tests, switched at start, by `set_faults()` or by `POST /_admin/faults`
  (`{"down": bool, "fail_rate": 0..1, "throttle": seconds}`; the body is the whole set, absent = off): `down`
  answers updates 503, `fail_rate` answers that share of them 500, `throttle` answers them 429 with
  `Retry-After: <throttle>`;
- `GET /_state` (and `state()`): per order its case id, the statuses received in order and the visits, and
  the totals.

Both directions are signed with `shared.contracts.signing` (X-Yiwang-Signature over "<timestamp>.<raw body>",
X-Yiwang-Timestamp). Outbound requests carry `Authorization: Bearer <hotline token>` and are retried with
backoff on connection errors, 503 and 429 (honouring Retry-After), signed afresh each time. The center answers a
retry idempotently: an order it has already answers 200 with its case, a visit it has already `{"duplicate": true}`.

The server is the stdlib's ThreadingHTTPServer and the visits go out from one plain thread, so it runs the
same in plain threads and under eventlet's monkey patch. One lock guards all state.
"""
from __future__ import annotations

import heapq
import json
import random
import re
import threading
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass
from datetime import datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import unquote, urlsplit

import httpx
from tenacity import Retrying, retry_if_exception_type, stop_after_attempt, wait_exponential

from app.simulators import hotline_orders as gen
from shared.clock import CHINA
from shared.contracts.signing import SIGNATURE, BadSignature, sign, verify

ORDERS_PATH = "/api/v1/hotline/orders"
VISITS_PATH = "/api/v1/hotline/visits"
UPDATE_PATH = re.compile(r"/orders/([^/]+)/updates")
STATUSES = ("accepted", "dispatched", "returned", "resolved", "closed")
IDEMPOTENCY_KEY = "Idempotency-Key"
MAX_BODY = 1_048_576
MAX_RETRY_AFTER = 60.0
VISIT_409_TRIES = 5  # a visit the center cannot take yet (409) is tried again this many times, visit_delay apart
TOTALS = ("orders_sent", "updates_received", "duplicates", "out_of_order", "bad_signatures", "unknown_orders",
          "visits_sent", "visits_failed", "faults_injected")


class HotlineError(Exception):
    """The center refused an order or a visit, or could not be reached (`status` None)."""

    def __init__(self, status: int | None, code: str, message: str):
        self.status, self.code = status, code
        super().__init__(f"{code}: {message}" if status is None else f"{status} {code}: {message}")


class _Busy(Exception):
    """The center answered 429 or 503: worth another try, after Retry-After if it gave one."""

    def __init__(self, response: httpx.Response):
        self.response = response
        try:
            self.retry_after: float | None = min(float(response.headers["Retry-After"]), MAX_RETRY_AFTER)
        except (KeyError, ValueError):
            self.retry_after = None
        super().__init__(f"{response.status_code} from {response.request.url}")


_BACKOFF = wait_exponential(multiplier=0.2, max=5)


def _wait(state) -> float:
    exc = state.outcome.exception()
    if isinstance(exc, _Busy) and exc.retry_after is not None:
        return exc.retry_after
    return _BACKOFF(state)


@dataclass
class Faults:
    """What the update endpoint does wrong on purpose."""

    down: bool = False       # answer 503
    fail_rate: float = 0.0   # answer this share of updates 500
    throttle: int = 0        # answer 429 with Retry-After: throttle (seconds); 0 = off

    def __post_init__(self):
        if not isinstance(self.down, bool):
            raise ValueError("down must be true or false")
        if isinstance(self.fail_rate, bool) or not isinstance(self.fail_rate, (int, float)) \
                or not 0 <= self.fail_rate <= 1:
            raise ValueError("fail_rate must be a number from 0 to 1")
        if isinstance(self.throttle, bool) or not isinstance(self.throttle, int) or self.throttle < 0:
            raise ValueError("throttle must be a whole number of seconds, 0 for off")


class HotlineSimulator:
    """The 12345 platform for one center. `start()` it, give the center `url` as YIWANG_HOTLINE_URL."""

    def __init__(self, center_url: str, token: str, secret: str, *, port: int = 0, host: str = "127.0.0.1",
                 seed: int | str | None = None, visit_delay: float = 3.0, mix: dict[str, float] | None = None,
                 regions: list[str] | None = None, faults: Faults | None = None, retry_attempts: int = 8,
                 log: Callable[[str], None] | None = None):
        self.center_url = center_url.rstrip("/")
        self.secret = secret
        self.visit_delay = visit_delay
        self.mix = mix or gen.DEFAULT_MIX
        if set(self.mix) - set(gen.SATISFACTIONS) or sum(self.mix.values()) <= 0:
            raise ValueError(f"mix: positive weights of {', '.join(gen.SATISFACTIONS)}, e.g. {gen.DEFAULT_MIX}")
        self.retry_attempts = retry_attempts
        self.generator = gen.OrderGenerator(seed=seed, regions=regions)
        self._host, self._port = host, port
        self._log = log or (lambda line: None)
        self._client = httpx.Client(base_url=self.center_url, timeout=10.0,
                                    headers={"Authorization": f"Bearer {token}"})
        self._lock = threading.Lock()
        self._orders: dict[str, dict] = {}  # order_no → {order_no, case_id, pushed, updates, visits, last_at}
        self._keys: set[str] = set()        # idempotency keys of the updates recorded
        self._totals = dict.fromkeys(TOTALS, 0)
        self._faults = faults or Faults()
        self._fault_rng = random.Random(seed)
        self._visit_rng = random.Random(seed)
        self._visits: list[tuple[float, int, str, dict | None, int]] = []  # heap: (due, seq, order_no, body, tries)
        self._visit_seq = 0
        self._stopping = threading.Event()
        self._server: ThreadingHTTPServer | None = None
        self._threads: list[threading.Thread] = []

    # ── life cycle ──────────────────────────────────────────────────────────
    def start(self) -> HotlineSimulator:
        """Listen (raises OSError if the port is taken) and start sending visits."""
        self._server = ThreadingHTTPServer((self._host, self._port), _Handler)
        self._server.daemon_threads = True
        self._server.sim = self  # type: ignore[attr-defined]
        self._threads = [threading.Thread(target=self._server.serve_forever, kwargs={"poll_interval": 0.2},
                                          name="hotline-sim-http", daemon=True),
                         threading.Thread(target=self._visit_loop, name="hotline-sim-visits", daemon=True)]
        for t in self._threads:
            t.start()
        return self

    def stop(self) -> None:
        self._stopping.set()
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
        for t in self._threads:
            t.join(timeout=5)
        self._client.close()

    def __enter__(self) -> HotlineSimulator:
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()

    @property
    def url(self) -> str:
        """The base URL to configure as the center's YIWANG_HOTLINE_URL."""
        assert self._server is not None, "start() the simulator first"
        host = "127.0.0.1" if self._host in ("", "0.0.0.0") else self._host
        return f"http://{host}:{self._server.server_address[1]}"

    # ── orders ──────────────────────────────────────────────────────────────
    def push(self, order: gen.Order | dict) -> str | None:
        """Send one order (an Order or the JSON body) and return its case id (None if the center took it
        before but does not say which case: a replay without details). Raises HotlineError."""
        body = order.body if isinstance(order, gen.Order) else order
        order_no = body["order_no"]
        with self._lock:  # known before the center can send its first update
            new = order_no not in self._orders
            entry = self._entry(order_no)
            entry["pushed"] = True
        try:
            answer = self._post(ORDERS_PATH, body)
        except HotlineError:
            with self._lock:
                if new and not entry["updates"]:
                    del self._orders[order_no]
            raise
        case_id = answer.get("case_id")
        with self._lock:
            entry["case_id"] = case_id or entry["case_id"]
            self._totals["orders_sent"] += 1
        self._log(f"order {order_no} → case {case_id}  [{body['kind']}] {body['title']}")
        return case_id

    def push_generated(self, n: int, rate: float | None = None) -> list[str | None]:
        """Generate and push `n` orders, at most `rate` per second; their case ids. Raises HotlineError."""
        case_ids = []
        for i in range(n):
            if rate and i:
                time.sleep(1 / rate)
            case_ids.append(self.push(self.generator.order()))
        return case_ids

    # ── faults and state ────────────────────────────────────────────────────
    def set_faults(self, down: bool = False, fail_rate: float = 0.0, throttle: int = 0) -> None:
        """Replace the fault set (no arguments: no faults)."""
        faults = Faults(down=down, fail_rate=fail_rate, throttle=throttle)
        with self._lock:
            self._faults = faults

    def state(self) -> dict:
        """What GET /_state answers: per order its case id, the statuses received in order and the visits;
        the totals; the faults."""
        with self._lock:
            return {
                "orders": [{"order_no": e["order_no"], "case_id": e["case_id"], "pushed": e["pushed"],
                            "updates": list(e["updates"]), "visits": [dict(v) for v in e["visits"]]}
                           for e in self._orders.values()],
                "totals": dict(self._totals),
                "faults": asdict(self._faults),
            }

    # ── updates (called by the HTTP handler) ────────────────────────────────
    def receive_update(self, path_order_no: str, headers, raw: bytes) -> tuple[int, dict, dict]:
        """Check and record one update: (status, JSON answer, extra headers)."""
        fault = self._fault()
        if fault:
            return fault
        try:
            verify(headers, raw, self.secret)
        except BadSignature as exc:
            with self._lock:
                self._totals["bad_signatures"] += 1
            return _error(401, exc.code, str(exc))
        try:
            doc = json.loads(raw)
        except (UnicodeDecodeError, json.JSONDecodeError) as exc:
            return _error(400, "malformed_json", f"the body is not JSON: {exc}")
        problems = _check_update(doc)
        if problems:
            return _error(422, "invalid_update", "the update does not follow CONTRACTS.md §4", problems)
        if doc["order_no"] != path_order_no:
            return _error(422, "order_no_mismatch", f"the path names order {path_order_no} but the body "
                                                   f"{doc['order_no']}")
        key = headers.get(IDEMPOTENCY_KEY) or headers.get(SIGNATURE)  # without it, the same signed request repeats
        at = datetime.fromisoformat(doc["at"])
        with self._lock:
            if key in self._keys:
                self._totals["duplicates"] += 1
                return 200, {"ok": True}, {}
            self._keys.add(key)
            self._totals["updates_received"] += 1
            if doc["order_no"] not in self._orders:
                self._totals["unknown_orders"] += 1
            entry = self._entry(doc["order_no"])
            entry["case_id"] = entry["case_id"] or doc["case_id"]
            entry["updates"].append(doc["status"])
            backwards = entry["last_at"] is not None and at < entry["last_at"]
            if backwards:
                self._totals["out_of_order"] += 1
            else:
                entry["last_at"] = at
            if doc["status"] == "resolved":
                self._schedule_visit(doc["order_no"], None, 0)
        unit = f" ({doc['unit']})" if doc.get("unit") else ""
        self._log(f"update {doc['order_no']} {doc['status']}{unit}: {doc['message']}"
                  + ("  [out of order]" if backwards else ""))
        return 200, {"ok": True}, {}

    def set_faults_json(self, raw: bytes) -> tuple[int, dict, dict]:
        """POST /_admin/faults."""
        try:
            doc = json.loads(raw)
        except (UnicodeDecodeError, json.JSONDecodeError) as exc:
            return _error(400, "malformed_json", f"the body is not JSON: {exc}")
        if not isinstance(doc, dict) or set(doc) - {"down", "fail_rate", "throttle"}:
            return _error(422, "invalid_faults", "send an object with down, fail_rate and/or throttle")
        try:
            self.set_faults(**doc)
        except ValueError as exc:
            return _error(422, "invalid_faults", str(exc))
        self._log(f"faults now {doc or 'off'}")
        with self._lock:
            return 200, {"faults": asdict(self._faults)}, {}

    def _fault(self) -> tuple[int, dict, dict] | None:
        with self._lock:
            f = self._faults
            if f.down:
                answer = _error(503, "unavailable", "the 12345 platform is down (injected)")
            elif f.throttle:
                answer = _error(429, "rate_limited", f"slow down (injected); retry after {f.throttle} s",
                                headers={"Retry-After": str(f.throttle)})
            elif f.fail_rate and self._fault_rng.random() < f.fail_rate:
                answer = _error(500, "internal", "the 12345 platform failed (injected)")
            else:
                return None
            self._totals["faults_injected"] += 1
            return answer

    def _entry(self, order_no: str) -> dict:
        """The record of an order (caller holds the lock)."""
        return self._orders.setdefault(order_no, {"order_no": order_no, "case_id": None, "pushed": False,
                                                  "updates": [], "visits": [], "last_at": None})

    # ── visits ──────────────────────────────────────────────────────────────
    def _schedule_visit(self, order_no: str, body: dict | None, tries: int) -> None:
        """Queue a visit `visit_delay` from now (caller holds the lock). `body` None: draw it when it is due."""
        self._visit_seq += 1
        heapq.heappush(self._visits, (time.monotonic() + self.visit_delay, self._visit_seq, order_no, body, tries))

    def _visit_loop(self) -> None:
        while not self._stopping.wait(0.1):
            with self._lock:
                due = []
                while self._visits and self._visits[0][0] <= time.monotonic():
                    due.append(heapq.heappop(self._visits))
            for _, _, order_no, body, tries in due:
                if self._stopping.is_set():
                    return
                self._visit(order_no, body, tries)

    def _visit(self, order_no: str, body: dict | None, tries: int) -> None:
        now = datetime.now(CHINA).replace(microsecond=0).isoformat()
        if body is None:
            body = gen.visit(order_no, self._visit_rng, self.mix)
        else:  # a new attempt is a new call: a new time, and a body the center has not seen
            body = {**body, "visited_at": now}
        record = {k: body[k] for k in ("satisfaction", "resolved", "visited_at")}
        try:
            self._post(VISITS_PATH, body)
        except HotlineError as exc:
            if exc.status == 409 and tries + 1 < VISIT_409_TRIES:
                with self._lock:
                    self._schedule_visit(order_no, body, tries + 1)
                self._log(f"visit {order_no} not taken yet ({exc}); trying again in {self.visit_delay:g} s")
                return
            with self._lock:
                self._entry(order_no)["visits"].append({**record, "sent": False, "error": str(exc)})
                self._totals["visits_failed"] += 1
            self._log(f"visit {order_no} failed: {exc}")
            return
        with self._lock:
            self._entry(order_no)["visits"].append({**record, "sent": True})
            self._totals["visits_sent"] += 1
        self._log(f"visit {order_no} {body['satisfaction']} (resolved: {body['resolved']}) "
                  f"{body.get('comment', '')}".rstrip())

    # ── outbound ────────────────────────────────────────────────────────────
    def _post(self, path: str, body: dict) -> dict:
        """POST signed JSON; retry on connection errors, 429 and 503. The 2xx answer. Raises HotlineError."""
        raw = json.dumps(body, ensure_ascii=False).encode()

        def once() -> httpx.Response:
            headers = {"Content-Type": "application/json", **sign(raw, self.secret)}
            r = self._client.post(path, content=raw, headers=headers)
            if r.status_code in (429, 503):
                raise _Busy(r)
            return r

        retrying = Retrying(retry=retry_if_exception_type((httpx.TransportError, _Busy)), wait=_wait,
                            stop=stop_after_attempt(self.retry_attempts), reraise=True)
        try:
            r = retrying(once)
        except httpx.TransportError as exc:
            raise HotlineError(None, "unreachable", f"cannot reach {self.center_url}{path}: {exc}") from None
        except _Busy as exc:
            r = exc.response
        if r.is_success:
            return _json(r)
        error = _json(r).get("error") or {}
        raise HotlineError(r.status_code, error.get("code", "error"),
                           f"{path}: {error.get('message') or r.text[:200]}")


def _json(r: httpx.Response) -> dict:
    try:
        doc = r.json()
    except ValueError:
        return {}
    return doc if isinstance(doc, dict) else {}


def _error(status: int, code: str, message: str, details: dict | None = None,
           headers: dict | None = None) -> tuple[int, dict, dict]:
    """(status, the error document of CONTRACTS.md §2, extra headers)."""
    return status, {"error": {"code": code, "message": message, "details": details or {}}}, headers or {}


def _check_update(doc) -> dict[str, str]:
    """The field problems of an update body (empty: valid)."""
    if not isinstance(doc, dict):
        return {"body": "must be a JSON object"}
    problems = {}
    for name in ("order_no", "case_id", "message"):
        if not isinstance(doc.get(name), str) or (name != "message" and not doc[name]):
            problems[name] = "required, a string" if name == "message" else "required, a non-empty string"
    if doc.get("status") not in STATUSES:
        problems["status"] = f"must be one of {', '.join(STATUSES)}"
    if doc.get("unit") is not None and not isinstance(doc["unit"], str):
        problems["unit"] = "must be a string"
    at = doc.get("at")
    try:
        if not isinstance(at, str):
            raise TypeError("at is not a string")
        if datetime.fromisoformat(at).tzinfo is None:
            problems["at"] = "needs a time zone, e.g. 2026-11-23T10:30:00+08:00"
    except (TypeError, ValueError):
        problems["at"] = "required, ISO 8601 with a time zone"
    extra = set(doc) - {"order_no", "case_id", "status", "message", "unit", "at"}
    if extra:
        problems["body"] = f"unknown field(s) {', '.join(sorted(extra))}"
    return problems


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "hotline-sim"

    def do_GET(self):
        if urlsplit(self.path).path == "/_state":
            self._reply(200, self.server.sim.state(), {})
        else:
            self._reply(*_error(404, "not_found", f"no route GET {self.path}"))

    def do_POST(self):
        raw = self._body()
        if raw is None:
            return
        sim, path = self.server.sim, urlsplit(self.path).path
        if path == "/_admin/faults":
            self._reply(*sim.set_faults_json(raw))
        elif m := UPDATE_PATH.fullmatch(path):
            self._reply(*sim.receive_update(unquote(m[1]), self.headers, raw))
        else:
            self._reply(*_error(404, "not_found", f"no route POST {self.path}"))

    def _body(self) -> bytes | None:
        """The request body, or None when the request was answered already (no usable Content-Length)."""
        if "chunked" in self.headers.get("Transfer-Encoding", "").lower():
            self.close_connection = True
            self._reply(*_error(411, "length_required", "send the body with a Content-Length"))
            return None
        try:
            length = int(self.headers.get("Content-Length") or 0)
        except ValueError:
            length = -1
        if not 0 <= length <= MAX_BODY:
            self.close_connection = True
            self._reply(*_error(413 if length > MAX_BODY else 400, "bad_length",
                                f"Content-Length must be 0 to {MAX_BODY} bytes"))
            return None
        return self.rfile.read(length)

    def _reply(self, status: int, doc: dict, headers: dict) -> None:
        raw = json.dumps(doc, ensure_ascii=False).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(raw)))
        for name, value in headers.items():
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(raw)

    def log_message(self, format, *args):  # the simulator logs events itself, not every request
        pass
