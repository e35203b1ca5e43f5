"""What the chaos scenarios are made of: a sandbox of vhosts, databases and processes that is always removed
(also the leftovers of a run that was killed), center processes (`python -m app.cli run`) that can be killed with
SIGKILL and started again, a load of reports with an `Idempotency-Key` each that retries until answered, the
centers' databases read back as `Copy` records, a clock that runs fast, a TCP proxy whose link can be cut, and
RabbitMQ and PostgreSQL stopped and started for real.

Works with threads or under eventlet's monkey patch (pytest's conftest applies it; `python -m tests.chaos` too)."""
from __future__ import annotations

import itertools
import os
import random
import re
import shutil
import signal
import socket
import string
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from collections.abc import Callable, Iterable
from contextlib import suppress
from pathlib import Path

import httpx
import sqlalchemy as sa
from kombu import Connection
from kombu.exceptions import ChannelError

from tests.chaos.accounting import Attempt, Copy, key_in

ROOT = Path(__file__).resolve().parents[2]
HOST = "127.0.0.1"
AMQP_BASE = f"amqp://guest:guest@{HOST}:5672/"
PG_BASE = f"postgresql://postgres@{HOST}:5432"
VHOST_PREFIX = "yiwang-chaos-"
DB_PREFIX = "yw_chaos_"
DIR_PREFIX = "yiwang-chaos-"  # under the temporary directory: the logs, clock files and media of a run
OWNER_ENV = "CHAOS_OWNER"   # set on every process the chaos suite starts: the pid of the run that owns it
ADMIN = "chaos-admin-" + uuid.uuid4().hex
FEDERATE = ROOT / "infra" / "rabbitmq" / "federate.sh"


def say(line: str) -> None:
    print(f"[chaos {time.strftime('%H:%M:%S')}] {line}", flush=True)


# ---- the machine's servers ---------------------------------------------------------------------------------------
def rabbitmqctl(*args: str, check: bool = True, timeout: float = 120) -> subprocess.CompletedProcess:
    return subprocess.run(["rabbitmqctl", "-q", *args], check=check, capture_output=True, text=True, timeout=timeout)


def pg_admin() -> sa.Engine:
    return sa.create_engine(f"postgresql+psycopg2://postgres@{HOST}:5432/postgres", poolclass=sa.pool.NullPool,
                            isolation_level="AUTOCOMMIT", connect_args={"connect_timeout": 5})


def _pg_cluster() -> list[str]:
    version = sorted(os.listdir("/etc/postgresql"))[-1]
    return ["pg_ctlcluster", "--skip-systemctl-redirect", version, "main"]


def broker_up() -> bool:
    try:
        with Connection(AMQP_BASE, connect_timeout=2) as conn:
            conn.ensure_connection(max_retries=1, timeout=2)
        return True
    except Exception:  # noqa: BLE001 - any failure means not up
        return False


def database_up() -> bool:
    try:
        engine = pg_admin()
        try:
            with engine.connect() as conn:
                conn.execute(sa.text("SELECT 1"))
        finally:
            engine.dispose()
        return True
    except Exception:  # noqa: BLE001
        return False


def wait_for(check: Callable[[], bool], timeout: float, what: str, interval: float = 0.2) -> float:
    """Seconds until `check()` held; raises after `timeout`."""
    start = time.monotonic()
    while not check():
        if time.monotonic() - start > timeout:
            raise RuntimeError(f"{what}: not within {timeout:.0f} s")
        time.sleep(interval)
    return time.monotonic() - start


def stop_rabbitmq() -> None:
    rabbitmqctl("stop_app")


def start_rabbitmq() -> None:
    """Start the broker's application and return once it takes connections."""
    rabbitmqctl("start_app", check=False)
    rabbitmqctl("await_startup", check=False)
    wait_for(broker_up, 120, "RabbitMQ back")


def stop_postgres() -> None:
    subprocess.run([*_pg_cluster(), "stop", "-m", "fast"], check=True, capture_output=True, timeout=120)


def start_postgres() -> None:
    subprocess.run([*_pg_cluster(), "start"], check=False, capture_output=True, timeout=120)
    wait_for(database_up, 120, "PostgreSQL back")


def ensure_servers() -> None:
    """Both servers up (after an interrupted outage, or before anything starts)."""
    if not broker_up():
        say("RabbitMQ is not answering: starting its application")
        start_rabbitmq()
    if not database_up():
        say("PostgreSQL is not answering: starting it")
        start_postgres()


# ---- what a run leaves behind --------------------------------------------------------------------------------------
def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _owner_of(name: str, prefix: str) -> int | None:
    m = re.match(re.escape(prefix) + r"(\d+)p", name)
    return int(m.group(1)) if m else None


def clean_leftovers() -> None:
    """Processes, vhosts and databases of chaos runs whose owner is gone (a run killed before its clean-up)."""
    for proc in Path("/proc").iterdir():
        if not proc.name.isdigit():
            continue
        try:
            env = (proc / "environ").read_bytes().split(b"\0")
        except OSError:
            continue
        owner = next((int(e.split(b"=", 1)[1]) for e in env if e.startswith(OWNER_ENV.encode() + b"=")), None)
        if owner is not None and not _alive(owner):
            with suppress(ProcessLookupError):
                os.kill(int(proc.name), signal.SIGKILL)
    for vhost in rabbitmqctl("list_vhosts", check=False).stdout.split():
        owner = _owner_of(vhost, VHOST_PREFIX)
        if vhost.startswith(VHOST_PREFIX) and (owner is None or not _alive(owner)):
            rabbitmqctl("delete_vhost", vhost, check=False)
    _drop_databases(DB_PREFIX, lambda name: (o := _owner_of(name, DB_PREFIX)) is None or not _alive(o))
    for path in Path(tempfile.gettempdir()).glob(DIR_PREFIX + "*"):
        owner = _owner_of(path.name, DIR_PREFIX)
        if owner is not None and not _alive(owner):
            shutil.rmtree(path, ignore_errors=True)


def _drop_databases(prefix: str, which: Callable[[str], bool] = lambda name: True) -> None:
    engine = pg_admin()
    try:
        with engine.connect() as conn:
            names = conn.execute(sa.text("SELECT datname FROM pg_database WHERE datname LIKE :p"),
                                 {"p": prefix.replace("_", r"\_") + "%"}).scalars().all()
            for name in names:
                if which(name):
                    conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    finally:
        engine.dispose()


def free_port() -> int:
    with socket.socket() as s:
        s.bind((HOST, 0))
        return s.getsockname()[1]


class Sandbox:
    """Everything one scenario creates, removed on exit whatever happened: its processes (SIGTERM, then
    SIGKILL), simulators and proxies, its vhosts, its databases, its directory (logs, clock files, media)."""

    def __init__(self, name: str):
        self.name = name
        self.run = f"{os.getpid()}p{uuid.uuid4().hex[:4]}"
        self.letters = "".join(random.choice(string.ascii_lowercase) for _ in range(4))  # keys unique per run
        self.procs: list[Proc] = []
        self.closers: list[Callable[[], object]] = []
        self.vhosts: list[str] = []
        self.dir = Path(tempfile.gettempdir()) / f"{DIR_PREFIX}{self.run}-{name}"

    def __enter__(self) -> Sandbox:
        clean_leftovers()
        self.dir.mkdir(parents=True)
        return self

    def vhost(self, suffix: str) -> str:
        """A fresh vhost; its AMQP URI."""
        name = f"{VHOST_PREFIX}{self.run}-{self.name}-{suffix}"
        rabbitmqctl("add_vhost", name)
        self.vhosts.append(name)
        rabbitmqctl("set_permissions", "-p", name, "guest", ".*", ".*", ".*")
        return AMQP_BASE + name

    def database_url(self, suffix: str) -> str:
        """A `{region}` database URL: each center its own database, created by the center."""
        return f"{PG_BASE}/{DB_PREFIX}{self.run}_{self.name.lower()}_{suffix}_{{region}}"

    def clock_file(self) -> str:
        f = tempfile.NamedTemporaryFile("w", suffix=".clock", dir=self.dir, delete=False)
        f.write("0")
        f.close()
        return f.name

    def center(self, region: str, amqp_uri: str, database_url: str, services: str | None = None,
               env: dict | None = None, port: int | None = None, start: bool = True) -> Proc:
        p = Proc(self, region, amqp_uri, database_url, services, env or {}, port)
        self.procs.append(p)
        if start:
            p.start()
        return p

    def __exit__(self, *exc) -> None:
        for p in self.procs:
            with suppress(Exception):
                p.stop()
        for close in reversed(self.closers):
            with suppress(Exception):
                close()
        for vhost in self.vhosts:
            rabbitmqctl("delete_vhost", vhost, check=False)
        with suppress(Exception):
            _drop_databases(f"{DB_PREFIX}{self.run}_")
        shutil.rmtree(self.dir, ignore_errors=True)


# ---- a center process ---------------------------------------------------------------------------------------------
class Proc:
    """One `python -m app.cli run --region CODE [--services LIST]` process; kill -9 and start again."""

    def __init__(self, box: Sandbox, region: str, amqp_uri: str, database_url: str, services: str | None,
                 env: dict, port: int | None):
        self.box, self.region, self.amqp_uri, self.services = box, region, amqp_uri, services
        self.gateway = services is None or "gateway" in services.split(",")
        self.port = port or free_port()
        self.clock = env.pop("YIWANG_CLOCK_FILE", None) or box.clock_file()
        self.label = f"{region}:{services or 'all'}"
        self.env = dict(os.environ, YIWANG_AMQP_URI=amqp_uri, YIWANG_DATABASE_URL=database_url,
                        YIWANG_ADMIN_TOKEN=ADMIN, YIWANG_CLOCK_FILE=self.clock, YIWANG_LOG_LEVEL="INFO",
                        YIWANG_RATE_LIMIT_TOKEN="off", YIWANG_RATE_LIMIT_ADDRESS="off",  # loads, not abuse
                        YIWANG_MEDIA_DIR=str(box.dir / "media" / "{region}"),
                        **{OWNER_ENV: str(os.getpid())}, **env)
        for name in ("YIWANG_RETRY_DELAYS", "YIWANG_HOTLINE_URL", "YIWANG_HOTLINE_SECRET", "YIWANG_FEDERATED"):
            if name not in env:
                self.env.pop(name, None)  # the defaults, not whatever the caller's shell has
        self.log = tempfile.NamedTemporaryFile("ab+", suffix=f"-{region}.log", dir=box.dir, delete=False)
        self.proc: subprocess.Popen | None = None
        self.http = httpx.Client(base_url=f"http://{HOST}:{self.port}", timeout=10)
        self.starts = 0

    @property
    def url(self) -> str:
        return f"http://{HOST}:{self.port}"

    def start(self, wait: bool = True) -> float:
        """Start the process; with `wait`, return the seconds until it serves (gateway) or logged that it runs."""
        cmd = [sys.executable, "-m", "app.cli", "run", "--region", self.region, "--port", str(self.port)]
        if self.services:
            cmd += ["--services", self.services]
        self.log.seek(0, os.SEEK_END)
        self._log_from = self.log.tell()
        self.starts += 1
        self.proc = subprocess.Popen(cmd, env=self.env, cwd=ROOT, stdout=self.log, stderr=subprocess.STDOUT)
        return self.wait_ready() if wait else 0.0

    def alive(self) -> bool:
        return self.proc is not None and self.proc.poll() is None

    def running(self) -> bool:
        """Serving: the gateway answers /readyz 200; another process logged `center running` since its start."""
        if self.gateway:
            try:
                return self.http.get("/readyz", timeout=3).status_code == 200
            except httpx.HTTPError:
                return False
        with open(self.log.name, "rb") as f:
            f.seek(self._log_from)
            return b"center running" in f.read()

    def wait_ready(self, timeout: float = 120) -> float:
        start = time.monotonic()
        while not self.running():
            if not self.alive():
                raise RuntimeError(f"{self.label} exited with {self.proc.returncode if self.proc else '?'}:\n"
                                   + self.tail())
            if time.monotonic() - start > timeout:
                raise RuntimeError(f"{self.label} not running after {timeout:.0f} s:\n" + self.tail())
            time.sleep(0.2)
        return time.monotonic() - start

    def kill9(self) -> None:
        assert self.proc is not None
        self.proc.send_signal(signal.SIGKILL)
        self.proc.wait(30)

    def stop(self) -> int | None:
        """SIGTERM (drain), SIGKILL after 30 s."""
        if self.proc is None or self.proc.poll() is not None:
            return self.proc.returncode if self.proc else None
        self.proc.send_signal(signal.SIGTERM)
        try:
            return self.proc.wait(30)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            return self.proc.wait(30)

    def tail(self, size: int = 3000) -> str:
        with open(self.log.name, "rb") as f:
            return f.read()[-size:].decode(errors="replace")

    def token(self, role: str, unit: str | None = None, region: str | None = None) -> dict:
        r = self.http.post("/api/v1/tokens", headers=bearer(ADMIN), json={
            "role": role, "region": region or self.region, "unit": unit, "name": f"chaos-{role}"})
        r.raise_for_status()
        return bearer(r.json()["token"])

    def readyz(self) -> dict:
        return self.http.get("/readyz").json()


def bearer(token: str) -> dict:
    return {"Authorization": f"Bearer {token}"}


def set_clock(path: str, offset: float) -> None:
    tmp = f"{path}.tmp"
    with open(tmp, "w") as f:
        f.write(f"{offset:.3f}")
    os.replace(tmp, path)


class FastClock:
    """Makes the centers' clock (YIWANG_CLOCK_FILE) run `speed` times as fast as the real one while running."""

    def __init__(self, path: str, speed: float):
        self.path, self.speed = path, speed
        self._stop = threading.Event()
        self._base = 0.0
        self._thread: threading.Thread | None = None

    def offset(self) -> float:
        with open(self.path) as f:
            return float(f.read().strip() or 0)

    def start(self) -> FastClock:
        self._base, t0 = self.offset(), time.time()

        def tick():
            while not self._stop.wait(0.25):
                set_clock(self.path, self._base + (self.speed - 1) * (time.time() - t0))
        self._thread = threading.Thread(target=tick, daemon=True, name="fast-clock")
        self._thread.start()
        return self

    def stop(self) -> float:
        """Stop running fast (the offset stays where it is); the offset in seconds."""
        self._stop.set()
        if self._thread:
            self._thread.join(5)
        return self.offset()


# ---- the load -----------------------------------------------------------------------------------------------------
RETRY_STATUSES = {429, 500, 502, 503, 504}


class Load:
    """Reports POSTed with an Idempotency-Key each, round-robin over `targets`, `concurrency` at a time, at most
    `rate` a second; every failed try (connection error, timeout, 429, 5xx) is retried with the same key and body
    until a 2xx answer or `give_up` seconds. With `drop_every` n, the first try of every n-th report does not wait
    for its answer (read timeout 1 ms: the request went out whole, the gateway takes it, the client never hears),
    as a client whose gateway died after the commit. `attempts` is the record `accounting.account` reads."""

    def __init__(self, targets: list[str] | Callable[[], list[str]], headers: dict,
                 body: Callable[[int, str], dict], keys: Callable[[int], str], kind: str = "report",
                 path: str = "/api/v1/reports", concurrency: int = 8, rate: float | None = None,
                 give_up: float = 600.0, timeout: float = 10.0, drop_every: int | None = None):
        self.targets = targets if callable(targets) else (lambda: targets)
        self.headers, self.body, self.keys, self.kind, self.path = headers, body, keys, kind, path
        self.concurrency, self.rate, self.give_up, self.timeout = concurrency, rate, give_up, timeout
        self.drop_every = drop_every  # every n-th report's first answer is not waited for (a client that lost it)
        self.attempts: dict[str, Attempt] = {}
        self._lock = threading.Lock()
        self._rr = itertools.count()
        self._threads: list[threading.Thread] = []
        self._stopping = threading.Event()

    # progress
    def accepted(self) -> int:
        with self._lock:
            return sum(1 for a in self.attempts.values() if a.answers)

    def sent(self) -> int:
        with self._lock:
            return len(self.attempts)

    def start(self, n: int, first: int = 0) -> Load:
        """Send reports first … first+n-1 in the background."""
        todo = iter(range(first, first + n))
        lock = threading.Lock()
        t0 = time.monotonic()
        issued = itertools.count()

        def worker():
            with httpx.Client(timeout=self.timeout) as client:
                while not self._stopping.is_set():
                    with lock:
                        i = next(todo, None)
                        k = next(issued)
                    if i is None:
                        return
                    if self.rate:
                        delay = t0 + k / self.rate - time.monotonic()
                        if delay > 0:
                            time.sleep(delay)
                    self.send(client, i)
        self._threads += [threading.Thread(target=worker, daemon=True, name=f"load-{j}")
                          for j in range(self.concurrency)]
        for t in self._threads[-self.concurrency:]:
            t.start()
        return self

    def join(self) -> None:
        for t in self._threads:
            t.join()

    def done(self) -> bool:
        """Every report started so far has its answer (or was given up on)."""
        return not any(t.is_alive() for t in self._threads)

    def stop(self) -> None:
        self._stopping.set()

    def send(self, client: httpx.Client, i: int) -> Attempt:
        key = self.keys(i)
        body = self.body(i, key)
        a = Attempt(key, self.kind, first_sent=time.time())
        with self._lock:
            self.attempts[key] = a
        pause = 0.2
        while True:
            a.tries += 1
            targets = self.targets()
            url = targets[next(self._rr) % len(targets)] + self.path
            wait = pause
            a.last_sent = time.time()
            drop = a.tries == 1 and self.drop_every is not None and i % self.drop_every == self.drop_every // 2
            try:
                r = client.post(url, json=body, headers={**self.headers, "Idempotency-Key": key},
                                timeout=httpx.Timeout(self.timeout, read=0.001) if drop else self.timeout)
            except httpx.HTTPError as exc:
                a.failures.append("answer dropped" if drop and isinstance(exc, httpx.ReadTimeout) else
                                  type(exc).__name__)
            else:
                if 200 <= r.status_code < 300:
                    a.answers.append(r.json()["case_id"])
                    a.answered_at = time.time()
                    return a
                if r.status_code not in RETRY_STATUSES:
                    a.refused = f"{r.status_code}: {r.text[:200]}"
                    return a
                a.failures.append(str(r.status_code))
                with suppress(KeyError, ValueError):
                    wait = min(5.0, float(r.headers["Retry-After"]))
            if time.time() - a.first_sent > self.give_up or self._stopping.is_set():
                return a
            time.sleep(wait * random.uniform(0.5, 1.0))
            pause = min(2.0, pause * 2)


def spread(i: int, lon: float = 120.70, lat: float = 31.90, step: float = 0.004, per_row: int = 100) -> dict:
    """The i-th point of a grid `step` degrees apart (about 400 m: farther than any 并单 radius of the categories
    the scenarios report), so no two reports of a load are merged."""
    return {"lon": round(lon + (i % per_row) * step, 6), "lat": round(lat + (i // per_row) * step, 6)}


# ---- reading the centers back -------------------------------------------------------------------------------------
def observe(database_url: str, centers: Iterable[str], key_of: Callable[[dict], str | None] | None = None) -> list[Copy]:
    """Every case of every center's database, as `Copy` records (a database not created yet has none)."""
    key_of = key_of or (lambda row: key_in(row["description"]))
    copies: list[Copy] = []
    for center in centers:
        url = database_url.replace("{region}", center).replace("postgresql://", "postgresql+psycopg2://", 1)
        engine = sa.create_engine(url, poolclass=sa.pool.NullPool, connect_args={"connect_timeout": 5})
        try:
            with engine.connect() as conn:
                rows = conn.execute(sa.text('SELECT id, status, center, description, external_ref FROM "case"')).mappings().all()
                events: dict[str, list[str]] = {}
                for case_id, kind in conn.execute(sa.text("SELECT case_id, type FROM timeline ORDER BY id")):
                    events.setdefault(case_id, []).append(kind)
        except sa.exc.OperationalError as exc:
            if "does not exist" in str(exc):
                continue
            raise
        finally:
            engine.dispose()
        copies += [Copy(center, r["id"], key_of(dict(r)), r["status"], tuple(events.get(r["id"], ())), r["center"])
                   for r in rows]
    return copies


def settle(progress: Callable[[], tuple[int, int]], stall: float = 120.0, cap: float = 1800.0,
           interval: float = 2.0) -> float:
    """Wait until `progress()` gives (done, total) with done == total, or nothing moved for `stall` seconds, or `cap`
    seconds passed; returns the seconds waited. Generous on purpose: the accounting then says what is missing."""
    start = last_move = time.monotonic()
    best = -1
    while True:
        done, total = progress()
        if done >= total:
            return time.monotonic() - start
        if done > best:
            best, last_move = done, time.monotonic()
        if time.monotonic() - last_move > stall or time.monotonic() - start > cap:
            return time.monotonic() - start
        time.sleep(interval)


def wait_for_case(client: httpx.Client, headers: dict, case_id: str, predicate: Callable[[dict], bool],
                  timeout: float) -> dict:
    """The case (GET /api/v1/cases/{id}) once `predicate` holds for it; raises after `timeout` seconds."""
    deadline = time.monotonic() + timeout
    last = "never read"
    while time.monotonic() < deadline:
        try:
            r = client.get(f"/api/v1/cases/{case_id}", headers=headers)
            if r.status_code == 200:
                case = r.json()
                if predicate(case):
                    return case
                last = case["status"]
            else:
                last = str(r.status_code)
        except httpx.HTTPError as exc:
            last = type(exc).__name__
        time.sleep(0.5)
    raise RuntimeError(f"case {case_id} not as wanted within {timeout:.0f} s (last: {last})")


def messages_in(amqp_uri: str, queue: str) -> int:
    """Messages ready in a queue; 0 while it does not exist yet."""
    with Connection(amqp_uri, connect_timeout=5) as conn:
        try:
            _, messages, _ = conn.default_channel.queue_declare(queue, passive=True)
        except ChannelError:  # 404: not declared yet (the channel is closed by it; the connection goes with it)
            return 0
    return messages


# ---- a link that can be cut ---------------------------------------------------------------------------------------
class TcpProxy:
    """Forwards 127.0.0.1:`port` to `target`. `cut()` closes the listening socket and resets every connection (the
    far side sees the link die and new connections refused); `mend()` listens again on the same port."""

    def __init__(self, target: tuple[str, int], port: int | None = None):
        self.target = target
        self.port = port or free_port()
        self._lock = threading.Lock()
        self._socks: set[socket.socket] = set()
        self._listener: socket.socket | None = None
        self.cuts = 0

    def start(self) -> TcpProxy:
        listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        listener.bind((HOST, self.port))
        listener.listen(64)
        with self._lock:
            self._listener = listener
        threading.Thread(target=self._accept, args=(listener,), daemon=True, name="proxy-accept").start()
        return self

    def _accept(self, listener: socket.socket) -> None:
        while True:
            try:
                client, _ = listener.accept()
            except Exception:  # noqa: BLE001 - closed by cut()
                return
            try:
                upstream = socket.create_connection(self.target, timeout=5)
                upstream.settimeout(None)
            except OSError:
                client.close()
                continue
            with self._lock:
                live = listener is self._listener  # not cut meanwhile: a cut link carries nothing
                if live:
                    self._socks |= {client, upstream}
            if not live:
                for s in (client, upstream):
                    self._close(s)
                return
            for a, b in ((client, upstream), (upstream, client)):
                threading.Thread(target=self._pump, args=(a, b), daemon=True, name="proxy-pump").start()

    def _pump(self, src: socket.socket, dst: socket.socket) -> None:
        try:
            while data := src.recv(65536):
                dst.sendall(data)
        except Exception:  # noqa: BLE001 - reset, closed (eventlet says EOFError): the connection is over
            pass
        finally:
            for s in (src, dst):
                self._close(s)

    def _close(self, s: socket.socket) -> None:
        with self._lock:
            self._socks.discard(s)
        with suppress(OSError):
            s.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, b"\x01\x00\x00\x00\x00\x00\x00\x00")  # RST
        with suppress(OSError):
            s.close()

    def cut(self) -> None:
        self.cuts += 1
        with self._lock:
            listener, self._listener = self._listener, None
            socks = list(self._socks)
        if listener is not None:
            with suppress(OSError):
                listener.close()
        for s in socks:
            with suppress(OSError):
                s.shutdown(socket.SHUT_RDWR)
            self._close(s)

    def mend(self) -> None:
        self.start()

    def close(self) -> None:
        self.cut()
