"""Benchmarks P1–P7 of QUALITY.md against real centers (`./taskw bench`, `./taskw bench -- --quick`).

Sets up everything itself and removes it afterwards, also on failure or Ctrl-C: a fresh RabbitMQ vhost
(`yiwang-bench-<pid>`), a fresh PostgreSQL database per center (`yw_bench_<pid>_<region>`), and for P1 and P2
one center (`yiwang run --region 320612001`, all services in one process) on a free port of 127.0.0.1; for P3,
after that center has stopped, three centers in the same vhost (city 320600, county 320612, township 320612001).

P1  throughput, accepted intake → `dispatched`: N reports POSTed with bounded concurrency, timed from the
    first POST to the last `dispatched` event seen by a queue of the benchmark bound to
    `{path}.dispatched` before posting. Side by side, repeat by repeat: a bare kombu relay with the same
    hops and guarantees (tests/perf/kombu_relay.py: producer → q1 → stage → q2 → stage → q3 → sink, each
    in its own process; 3 confirmed persistent publishes to durable queues, 2 consume stages that ack after
    their work). Medians of --repeat runs and the ratio Yiwang / kombu (target ≥ 1.0).
P2  latency at a steady offered load (open loop: reports go out on schedule whatever the answers do):
    time the `dispatched` event is seen minus time the 202 arrived, matched by case id (the event's
    `subject`). p50 / p90 / p99 / max (targets p50 ≤ 50 ms, p99 ≤ 300 ms) and cases never dispatched.
    It can be negative: when the gateway is slow to answer after its commit, the chain may finish first.
    Also shown: POST → dispatched, POST → 202, and how late the sender was against its schedule.
P3  the same at a three-tier route: the same reports (every one of a township-tier category, given or
    classified, in 320612001) POSTed open loop at the city at --p3-rate (default --rate), routed city →
    county → township and dispatched there; latency from the city's 202 to the township's `dispatched`
    (`320600.320612.320612001.dispatched`). Target: p99 ≤ 2 × P2's p99, the ratio taken from P2 in the same
    run. On the 2-core machine one center tops out near 45 cases/s and three centers share the cores, so
    at 50/s both P2 and P3 are over capacity (queues grow for the whole run); run `--rate 20` too.
P4  scaling out a slow stage: a center (320612002) with every service but triage in one process, and triage —
    made deliberately slow (tests/perf/slow_stage.py: it waits --p4-delay ms per event, one worker per process)
    — in 1, then 2, then 4 processes competing on its queues; --p4-cases reports as in P1 at each count.
    Speed-up over one process (targets ≥ 1.8× at 2, ≥ 3× at 4); the stage's own limit is shown beside it.
P5  (tests/perf/p5_bench.py, in a process of its own): the sweep, the evaluation, the duplicate lookup, the case
    list and the board at --p5-sizes stored cases (10 k and 1 M), each size seeded into a database of its own.
P6  the resident memory of the center's processes after each phase (a long run: --skip-p2 --repeat 1 --cases N).
P2 and P3 wait for the last `dispatched` until --timeout seconds pass without a new one (at most 10 × --timeout).

Notes per run: CPU per case of the center (per process with --split; per center in P3), of this benchmark,
of RabbitMQ and PostgreSQL (all their processes: other users of the machine count too), how busy the machine
was and how much of that was other processes (others' work on the machine). Before anything starts the
machine's idle load is sampled for 2 s.
--split runs each center's services as 4 processes instead of one; --profile FILE runs them under cProfile.

W1 (tests/perf/tracks_bench.py): vehicle warnings on ≥ 200 seeded vehicle-days with ground truth — `dwell` precision and
recall, `route_deviation` delay, false warnings per 100 vehicle-days (--skip-w1 to leave it out).
W2 (tests/perf/warnings_bench.py): `hotspot` recall and false rate on seeded cases with planted clusters (--skip-w2).

P7 (tests/perf/stream_bench.py): --streams screens (500) hold `GET /api/v1/stream` open on one center while reports
arrive at --stream-rate per second (17: about 50 case events a second) for --seconds; every event must reach every
screen; p50/p99 from an event's commit to its arrival.

Figures are printed, never asserted: the exit code is 0 when the benchmark ran, 1 when it could not.
"""
from __future__ import annotations

import argparse
import asyncio
import json
import math
import os
import re
import secrets
import signal
import socket
import ssl
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

import httpx
from kombu import Connection, Consumer, Queue
from rich.console import Console
from rich.table import Table

from shared.messaging import topology
from tests.perf.stream_bench import P7, Screens, measure

ROOT = Path(__file__).resolve().parents[2]
HOST = "127.0.0.1"
AMQP_BASE = f"amqp://guest:guest@{HOST}:5672/"
PG_BASE = f"postgresql://postgres@{HOST}:5432"
RUN = str(os.getpid())
VHOST = f"yiwang-bench-{RUN}"
DB_PREFIX = f"yw_bench_{RUN}_"
console = Console(highlight=False)

# What grid workers report in 金沙街道: half with a category, half left to triage's classifier.
REPORTS = [
    ("人民路与建设路路口垃圾桶满溢，周边垃圾散落", "0301"),
    ("金沙菜场门口有人乱倒垃圾，垃圾堆越来越大", None),
    ("育才路小区门口污水井盖破损，行人容易踩空", "0102"),
    ("公园北门公厕无人打扫，卫生状况差", None),
    ("通甲路沿街店招松动，大风天有掉落危险", "0303"),
    ("新金路绿化带被人踩踏毁绿，草皮裸露", None),
    ("金沙老街墙面有人乱涂乱画", "1105"),
    ("学校门口电线杆上贴满小广告牛皮癣", None),
]


# ---- set-up and clean-up ------------------------------------------------------------------------
def rabbitmqctl(*args: str, check: bool = True) -> subprocess.CompletedProcess:
    return subprocess.run(["rabbitmqctl", "-q", *args], check=check, capture_output=True, text=True, timeout=60)


def create_vhost() -> str:
    rabbitmqctl("delete_vhost", VHOST, check=False)  # a leftover of an earlier run with the same pid
    rabbitmqctl("add_vhost", VHOST)
    rabbitmqctl("set_permissions", "-p", VHOST, "guest", ".*", ".*", ".*")
    return AMQP_BASE + VHOST


def delete_vhost() -> None:
    r = rabbitmqctl("delete_vhost", VHOST, check=False)
    if r.returncode != 0 and "not found" not in (r.stderr + r.stdout).lower():
        console.print(f"[yellow]could not delete vhost {VHOST}: {r.stderr.strip()[:200]}[/]")


def drop_databases() -> None:
    import sqlalchemy as sa

    engine = sa.create_engine(f"postgresql+psycopg2://postgres@{HOST}:5432/postgres", poolclass=sa.pool.NullPool,
                              connect_args={"connect_timeout": 5})
    try:
        with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            names = conn.execute(sa.text("SELECT datname FROM pg_database WHERE datname LIKE :p"),
                                 {"p": DB_PREFIX.replace("_", r"\_") + "%"}).scalars().all()
            for name in names:
                conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    finally:
        engine.dispose()


def batches(region: str) -> str:
    """How many events each consumer took per transaction so far (group commit): its inbox rows per distinct
    PostgreSQL transaction id (`xmin`) that wrote them."""
    import sqlalchemy as sa

    engine = sa.create_engine(f"postgresql+psycopg2://postgres@{HOST}:5432/{DB_PREFIX}{region}",
                              poolclass=sa.pool.NullPool)
    try:
        with engine.connect() as conn:
            rows = conn.execute(sa.text("SELECT consumer, count(*), count(DISTINCT xmin::text) FROM inbox "
                                        "GROUP BY consumer ORDER BY count(*) DESC")).all()
    finally:
        engine.dispose()
    return ", ".join(f"{c} {n / t:.1f} events/transaction ({n:,})" for c, n, t in rows) or "no events consumed"


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind((HOST, 0))
        return s.getsockname()[1]


def yiwang_command() -> list[str]:
    script = Path(sys.executable).parent / "yiwang"
    return [str(script)] if script.exists() else [sys.executable, "-m", "app.cli"]


def cpu_seconds(pid: int) -> float | None:
    """User + system CPU time of a process, from /proc (None when unavailable)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    except (OSError, IndexError, ValueError):
        return None


def rss_mb(pid: int) -> float | None:
    """Resident memory of a process in MB, from /proc (None when unavailable)."""
    try:
        line = next(x for x in Path(f"/proc/{pid}/status").read_text().splitlines() if x.startswith("VmRSS:"))
        return int(line.split()[1]) / 1024
    except (OSError, StopIteration, ValueError):
        return None


SERVERS = {"beam.smp": "rabbitmq", "postgres": "postgres"}


def servers_cpu() -> dict[int, tuple[str, float]]:
    """CPU seconds of each RabbitMQ and PostgreSQL process now alive (other users' work included)."""
    found = {}
    for d in Path("/proc").iterdir():
        if not d.name.isdigit():
            continue
        try:
            raw = (d / "stat").read_text()
        except OSError:
            continue
        comm = raw[raw.find("(") + 1:raw.rfind(")")]
        if comm in SERVERS:
            fields = raw.rsplit(")", 1)[1].split()
            found[int(d.name)] = (SERVERS[comm], (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK"))
    return found


def servers_note(before: dict, after: dict, cases: int) -> str:
    """CPU per case of the servers over an interval (processes that exited meanwhile are not counted)."""
    totals = {name: 0.0 for name in SERVERS.values()}
    for pid, (name, seconds) in after.items():
        totals[name] += seconds - before.get(pid, (name, 0.0))[1]
    return ", ".join(f"{k} CPU {1000 * v / max(1, cases):.1f} ms/case" for k, v in totals.items())


def own_cpu() -> float:
    """User + system CPU time of this process (all its threads)."""
    t = os.times()
    return t.user + t.system


def all_cpu() -> dict[int, float]:
    """CPU seconds of every process now alive."""
    found = {}
    for d in Path("/proc").iterdir():
        if d.name.isdigit() and (c := cpu_seconds(int(d.name))) is not None:
            found[int(d.name)] = c
    return found


def command_of(pid: int) -> str:
    try:
        words = Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace").split()
    except OSError:
        return "?"
    return " ".join(words[:6])[:70] if words else "?"


def machine_note(busy0: tuple[float, float], busy1: tuple[float, float], procs0: dict[int, float],
                 procs1: dict[int, float], ours: set[int]) -> str:
    """How busy the machine was over an interval, and how much of it went to processes that are neither this
    benchmark and its centers (`ours`) nor RabbitMQ and PostgreSQL: other people's work (top two named).
    "unattributed" is the kernel's own time and processes that ended within the interval."""
    if busy1[1] <= busy0[1]:
        return ""
    hz = os.sysconf("SC_CLK_TCK")
    total, busy = (busy1[1] - busy0[1]) / hz, (busy1[0] - busy0[0]) / hz
    deltas = {pid: c - procs0.get(pid, 0.0) for pid, c in procs1.items()}
    servers = set(servers_cpu())
    others = sorted(((d, pid) for pid, d in deltas.items() if pid not in ours and pid not in servers and d > 0),
                    reverse=True)
    other = sum(d for d, _ in others)
    unattributed = max(0.0, busy - sum(d for d in deltas.values() if d > 0))
    top = "; ".join(f"{pid} {100 * d / total:.0f}% {command_of(pid)}" for d, pid in others[:2] if d / total >= 0.01)
    return (f"machine busy {100 * busy / total:.0f}% of {os.cpu_count()} cores: other processes {100 * other / total:.0f}%"
            + (f" (top: {top})" if top else "") + f", unattributed {100 * unattributed / total:.0f}%")


def idle_load(seconds: float = 2.0) -> str:
    """How busy the machine is before the benchmark starts anything, and which processes use it most."""
    b0, t0 = machine_busy(), all_cpu()
    time.sleep(seconds)
    note = machine_note(b0, machine_busy(), t0, all_cpu(), {os.getpid()})
    return f"before the benchmark, {seconds:g}s: " + (note or "machine load unknown")


def machine_busy() -> tuple[float, float]:
    """(busy, total) jiffies of all CPUs since boot, from /proc/stat."""
    try:
        values = [int(v) for v in Path("/proc/stat").read_text().splitlines()[0].split()[1:]]
    except (OSError, ValueError):
        return 0.0, 0.0
    idle = values[3] + (values[4] if len(values) > 4 else 0)
    return float(sum(values) - idle), float(sum(values))


CITY, COUNTY, TOWN = "320600", "320612", "320612001"  # P3: the three tiers of one route
ONE_PROCESS = ["intake,triage,dispatch,supervision,feedback,gateway"]
SPLIT = ["gateway,intake", "triage", "dispatch", "supervision,feedback"]


class Center:
    """One center as `yiwang run` subprocesses (all services in one, or --split over several); stopped with
    SIGTERM (then SIGKILL after a grace period)."""

    def __init__(self, region: str, amqp_uri: str, log_path: Path, groups: list[str], profile: str | None = None):
        self.region = region
        self.groups = groups
        self.profile = profile
        self.port = free_port()
        self.url = f"http://{HOST}:{self.port}"
        self.token = secrets.token_hex(24)
        self.log_path = log_path
        self.procs: dict[str, subprocess.Popen] = {}
        self.env = dict(os.environ, YIWANG_AMQP_URI=amqp_uri, YIWANG_DATABASE_URL=f"{PG_BASE}/{DB_PREFIX}{{region}}",
                        YIWANG_ADMIN_TOKEN=self.token, YIWANG_LOG_LEVEL="WARNING", YIWANG_ENV="local",
                        YIWANG_RATE_LIMIT_TOKEN="off", YIWANG_RATE_LIMIT_ADDRESS="off")  # a load, not an abuse

    def start(self, timeout: float = 90.0) -> None:
        # one after the other: each process creates and migrates the database and declares the topology
        for group in self.groups:
            command = None
            if self.profile:
                suffix = "" if len(self.groups) == 1 else "." + group.replace(",", "-")
                command = [sys.executable, "-m", "cProfile", "-o", self.profile + suffix, "-m", "app.cli"]
            self.add(group, command=command, timeout=timeout)

    def add(self, group: str, command: list[str] | None = None, env: dict[str, str] | None = None,
            timeout: float = 90.0) -> None:
        """Start one more process of the center running the services of `group` ("triage", or "triage#2" for a
        second process of the same services) and wait until it serves."""
        services = group.split("#")[0]
        log = open(self.log_path, "ab")
        self.procs[group] = subprocess.Popen(
            [*(command or yiwang_command()), "run", "--region", self.region, "--services", services,
             "--port", str(self.port)],
            cwd=ROOT, env={**self.env, **(env or {})}, stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL)
        log.close()
        self._wait_ready(group, time.monotonic() + timeout)

    def _wait_ready(self, group: str, deadline: float) -> None:
        proc = self.procs[group]
        services = group.split("#")[0].split(",")
        copies = sum(1 for g in self.procs if g.split("#")[0] == group.split("#")[0])  # this one included
        while time.monotonic() < deadline:
            if proc.poll() is not None:
                raise RuntimeError(f"the center process {group} exited with {proc.returncode} during start-up:\n"
                                   f"{self.log_tail()}")
            if "gateway" in services:
                try:
                    if httpx.get(self.url + "/readyz", timeout=2).status_code == 200:
                        return
                except httpx.HTTPError:
                    pass
            elif self._consuming(services, copies):
                return
            time.sleep(0.25)
        raise RuntimeError(f"the center process {group} was not ready in time:\n{self.log_tail()}")

    def _consuming(self, services: list[str], copies: int = 1) -> bool:
        """True when every handler queue of these services exists and has `copies` consumers."""
        r = rabbitmqctl("list_queues", "-p", VHOST, "name", "consumers", check=False)
        prefixes = tuple(f"yiwang.{self.region}.{s}." for s in services)
        queues = [q for q in (line.split() for line in r.stdout.splitlines())
                  if len(q) == 2 and q[0].startswith(prefixes) and ".retry." not in q[0] and not q[0].endswith(".dlq")]
        return r.returncode == 0 and bool(queues) and all(c.isdigit() and int(c) >= copies for _, c in queues)

    def stop(self, grace: float = 30.0) -> dict[str, int]:
        """SIGTERM every process still running; their exit codes."""
        running = {g: p for g, p in self.procs.items() if p.poll() is None}
        for proc in running.values():
            proc.send_signal(signal.SIGTERM)
        codes = {}
        for group, proc in running.items():
            try:
                codes[group] = proc.wait(grace)
            except subprocess.TimeoutExpired:
                console.print(f"[yellow]center process {group} did not stop within {grace:.0f}s of SIGTERM; "
                              f"killing it[/]")
                proc.kill()
                codes[group] = proc.wait(10)
        return codes

    def drain(self, timeout: float = 300.0) -> float | None:
        """Wait until none of this center's handler queues holds a message (three polls in a row, 0.5 s apart):
        the work behind the measured event (supervision, feedback, the audit trail) is done before the next run
        starts, so a run never measures the backlog of the one before. Returns the seconds it took, or None when the
        queues still held messages after `timeout`."""
        r = rabbitmqctl("list_queues", "-p", VHOST, "name", "consumers", check=False)
        names = [q[0] for q in (line.split() for line in r.stdout.splitlines())  # the handlers' (not the parked)
                 if len(q) == 2 and q[0].startswith(f"yiwang.{self.region}.") and q[1].isdigit() and int(q[1]) > 0]
        start, quiet = time.monotonic(), 0
        with Connection(self.env["YIWANG_AMQP_URI"], connect_timeout=5) as conn:
            channel = conn.channel()
            while quiet < 3 and time.monotonic() - start < timeout:
                ready = sum(channel.queue_declare(q, passive=True).message_count for q in names)
                quiet = quiet + 1 if ready == 0 else 0
                time.sleep(0.5)
        return max(0.0, time.monotonic() - start - 1.5) if quiet >= 3 else None

    def rss(self) -> dict[str, float]:
        """Resident memory (MB) of each running process of the center."""
        return {g: mb for g, p in self.procs.items() if p.poll() is None and (mb := rss_mb(p.pid)) is not None}

    def cpu(self) -> dict[str, float] | None:
        values = {g: cpu_seconds(p.pid) for g, p in self.procs.items()}
        return None if not values or any(v is None for v in values.values()) else values

    def cpu_note(self, before: dict | None, after: dict | None, cases: int) -> str:
        if not before or not after or not cases:
            return ""
        total = sum(after.values()) - sum(before.values())
        note = f"center CPU {1000 * total / cases:.1f} ms/case"
        if len(after) > 1:
            note += " (" + ", ".join(f"{g} {1000 * (after[g] - before[g]) / cases:.1f}" for g in after) + ")"
        return note

    def log_tail(self, lines: int = 25) -> str:
        try:
            return "\n".join(self.log_path.read_text(errors="replace").splitlines()[-lines:])
        except OSError:
            return "(no log)"

    def log_levels(self) -> dict[str, int]:
        counts: dict[str, int] = {}
        try:
            text = self.log_path.read_text(errors="replace")
        except OSError:
            return counts
        for m in re.finditer(r'"level":\s*"(\w+)"', text):
            counts[m.group(1)] = counts.get(m.group(1), 0) + 1
        return counts


# ---- observing `dispatched` --------------------------------------------------------------------
class Watcher:
    """A queue of the benchmark bound to `{path}.dispatched`: records when each case's first
    `dispatched` event arrives (time.monotonic()), by case id."""

    def __init__(self, amqp_uri: str, center: str, tag: str = ""):
        self.amqp_uri = amqp_uri
        self.key = topology.routing_key(center, "dispatched")
        self.queue = f"bench.watch.{RUN}" + (f".{tag}" if tag else "")
        self.last_new = time.monotonic()  # when a case was last seen for the first time
        self.seen: dict[str, float] = {}
        self.events = 0
        self.cond = threading.Condition()
        self._ready = threading.Event()
        self._stop = threading.Event()
        self._error: BaseException | None = None
        self._thread = threading.Thread(target=self._run, name="watcher", daemon=True)

    def start(self) -> "Watcher":
        self._thread.start()
        if not self._ready.wait(15):
            raise RuntimeError(f"the watcher could not consume: {self._error!r}")
        return self

    def stop(self) -> None:
        self._stop.set()
        self._thread.join(5)

    def _on_message(self, message) -> None:
        now = time.monotonic()
        try:
            subject = json.loads(message.body)["subject"]
        except (ValueError, KeyError, TypeError):
            return
        with self.cond:
            self.events += 1
            if subject not in self.seen:
                self.seen[subject] = now
                self.last_new = now
                self.cond.notify_all()

    def _run(self) -> None:
        try:
            with Connection(self.amqp_uri, connect_timeout=5) as conn:
                channel = conn.channel()
                q = Queue(self.queue, exchange=topology.CHAIN, routing_key=self.key, durable=False,
                          exclusive=True, auto_delete=True)
                consumer = Consumer(channel, queues=[q], on_message=self._on_message, no_ack=True)
                consumer.consume()
                self._ready.set()
                while not self._stop.is_set():
                    try:
                        conn.drain_events(timeout=0.2)
                    except TimeoutError:
                        pass
        except BaseException as exc:  # noqa: BLE001 - reported by start() or wait_for()
            self._error = exc
            self._ready.set()

    def wait_for(self, case_ids, timeout: float, stalled: bool = False) -> list[str]:
        """Wait until every case id was seen, or timeout; return the ids never seen. With stalled=True the
        wait goes on while cases keep arriving: it ends `timeout` seconds after the later of now and the last
        new case, and at most 10 × timeout from now (a backlog over capacity drains, it is not lost)."""
        wanted = set(case_ids)
        start = time.monotonic()
        with self.cond:
            while True:
                missing = [c for c in wanted if c not in self.seen]
                deadline = start + timeout
                if stalled:
                    deadline = min(max(deadline, self.last_new + timeout), start + 10 * timeout)
                left = deadline - time.monotonic()
                if not missing or left <= 0 or self._error is not None:
                    return missing
                self.cond.wait(min(left, 1.0))

    def stats(self) -> tuple[int, int]:
        """(dispatched events received, distinct cases among them)."""
        with self.cond:
            return self.events, len(self.seen)

    def when(self, case_id: str) -> float | None:
        with self.cond:
            return self.seen.get(case_id)


# ---- posting reports ----------------------------------------------------------------------------
class Reporter:
    """POSTs reports: one keep-alive httpx client per thread, or (async) one client per request in flight,
    reused — so that no request waits for a connection and no pool is scanned at length."""

    def __init__(self, center: Center, region: str | None = None):
        self.center = center
        self.region = region or center.region  # where the problem is: P3 posts at the city about a township
        self._local = threading.local()
        self._clients: list[httpx.Client] = []
        self._idle: list[httpx.AsyncClient] = []
        self._async_clients: list[httpx.AsyncClient] = []
        self._lock = threading.Lock()
        self._n = 0
        self._ssl = ssl.create_default_context()  # shared: building one per client costs ~20 ms of CPU
        self._headers = {"Authorization": f"Bearer {center.token}"}

    def client(self) -> httpx.Client:
        c = getattr(self._local, "client", None)
        if c is None:
            c = httpx.Client(base_url=self.center.url, timeout=30.0, headers=self._headers, verify=self._ssl)
            self._local.client = c
            with self._lock:
                self._clients.append(c)
        return c

    def body(self) -> dict:
        with self._lock:
            self._n += 1
            n = self._n
        description, category = REPORTS[n % len(REPORTS)]
        body = {"description": f"{description}（第{n}号）", "region": self.region,
                # every report ~300 m from the others: reports of one category nearby would be merged (并单)
                "location": {"lon": round(120.5 + (n % 200) * 0.0032, 6), "lat": round(31.6 + (n // 200 % 200) * 0.0032, 6),
                             "address": f"金沙街道测试点{n % 50}号"}}
        if category:
            body["category"] = category
        return body

    def post(self) -> tuple[str | None, float, float, str | None]:
        """One report: (case_id or None, sent at, answered at, error)."""
        body = self.body()
        client = self.client()
        sent = time.monotonic()
        try:
            r = client.post("/api/v1/reports", json=body)
        except httpx.HTTPError as exc:
            return None, sent, time.monotonic(), f"{type(exc).__name__}: {exc}"[:200]
        return self._outcome(r, sent, time.monotonic())

    async def apost(self) -> tuple[str | None, float, float, str | None]:
        """One report from the event loop, on an idle client (a new one when every client is busy)."""
        body = self.body()
        if self._idle:
            client = self._idle.pop()
        else:
            client = httpx.AsyncClient(base_url=self.center.url, timeout=120.0, headers=self._headers,
                                       verify=self._ssl)
            self._async_clients.append(client)
        sent = time.monotonic()
        try:
            r = await client.post("/api/v1/reports", json=body)
        except httpx.HTTPError as exc:
            return None, sent, time.monotonic(), f"{type(exc).__name__}: {exc}"[:200]
        finally:
            self._idle.append(client)
        return self._outcome(r, sent, time.monotonic())

    async def aclose(self) -> None:
        for c in self._async_clients:
            await c.aclose()
        self._async_clients, self._idle = [], []

    @staticmethod
    def _outcome(r: httpx.Response, sent: float, answered: float):
        if r.status_code != 202:
            return None, sent, answered, f"HTTP {r.status_code}: {r.text[:160]}"
        return r.json()["case_id"], sent, answered, None

    def close(self) -> None:
        for c in self._clients:
            c.close()


# ---- P1 -------------------------------------------------------------------------------------------
@dataclass
class Throughput:
    label: str
    count: int
    seconds: float | None  # None: not all arrived
    missing: int = 0
    errors: list[str] = field(default_factory=list)
    note: str = ""

    @property
    def rate(self) -> float | None:
        return self.count / self.seconds if self.seconds else None


def p1_yiwang(center: Center, watcher: Watcher, reporter: Reporter, n: int, concurrency: int,
              timeout: float) -> Throughput:
    results: list[tuple] = []
    lock = threading.Lock()
    counter = iter(range(n))
    t0_box: list[float] = []
    barrier = threading.Barrier(concurrency, action=lambda: t0_box.append(time.monotonic()))

    def worker() -> None:
        reporter.client()  # this thread's client exists before the clock starts
        barrier.wait()
        while True:
            with lock:
                i = next(counter, None)
            if i is None:
                return
            r = reporter.post()
            with lock:
                results.append(r)

    cpu0, busy0, bench0, srv0 = center.cpu(), machine_busy(), own_cpu(), servers_cpu()
    events0 = watcher.stats()
    threads = [threading.Thread(target=worker, daemon=True) for _ in range(concurrency)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout + n)  # bounded
    t0 = t0_box[0]
    accepted = [r[0] for r in results if r[0]]
    errors = [r[3] for r in results if r[3]]
    t_http = max((r[2] for r in results), default=t0) - t0
    missing = watcher.wait_for(accepted, timeout)
    cpu1, busy1, bench1, srv1 = center.cpu(), machine_busy(), own_cpu(), servers_cpu()
    events1 = watcher.stats()
    last = max((watcher.when(c) for c in accepted if watcher.when(c) is not None), default=None)
    notes = [f"intake {len(accepted) / t_http:.0f}/s" if t_http > 0 else ""]
    notes.append(center.cpu_note(cpu0, cpu1, len(accepted)))
    notes.append(f"bench CPU {1000 * (bench1 - bench0) / max(1, n):.1f} ms/case")
    notes.append(servers_note(srv0, srv1, n))
    duplicates = (events1[0] - events0[0]) - (events1[1] - events0[1])
    if duplicates:
        notes.append(f"{duplicates} duplicate dispatched events")
    if busy1[1] > busy0[1]:
        notes.append(f"machine busy {100 * (busy1[0] - busy0[0]) / (busy1[1] - busy0[1]):.0f}%")
    return Throughput("Yiwang", len(accepted), None if missing or last is None else last - t0, len(missing), errors,
                      ", ".join(x for x in notes if x))


def p1_kombu(amqp_uri: str, n: int, concurrency: int, rep: int, timeout: float) -> Throughput:
    qs = [f"bench.kombu.{rep}.q{i}" for i in (1, 2, 3)]
    base = [sys.executable, "-m", "tests.perf.kombu_relay"]
    common = ["--amqp", amqp_uri, "--count", str(n), "--idle", str(timeout)]
    procs: list[subprocess.Popen] = []

    def spawn(*args: str) -> subprocess.Popen:
        p = subprocess.Popen([*base, *args, *common], cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                             stdin=subprocess.DEVNULL, text=True)
        procs.append(p)
        return p

    def expect(p: subprocess.Popen, word: str, wait: float) -> list[str]:
        box: list[str] = []

        def read() -> None:
            for line in p.stdout:
                parts = line.split()
                if parts and parts[0] == word:
                    box.extend(parts)
                    return
                if parts and parts[0] == "error":
                    box.extend(parts)
                    return
                if line.strip():
                    box.append("output:" + line.strip()[:200])
        t = threading.Thread(target=read, daemon=True)
        t.start()
        t.join(wait)
        if not box or box[0] != word:
            raise RuntimeError(f"kombu relay: expected {word!r} from {' '.join(p.args[3:5])}, got {box[:6]} "
                               f"(exit {p.poll()})")
        return box

    busy0, srv0 = machine_busy(), servers_cpu()
    try:
        sink = spawn("sink", "--in", qs[2])
        stages = [spawn("stage", "--in", qs[0], "--out", qs[1]), spawn("stage", "--in", qs[1], "--out", qs[2])]
        for p in (sink, *stages):
            expect(p, "ready", 30)
        producer = spawn("produce", "--out", qs[0], "--concurrency", str(concurrency))
        expect(producer, "ready", 30)
        t0 = float(expect(producer, "start", 30)[1])
        _, first, last = expect(sink, "done", timeout + n)
        busy1, srv1 = machine_busy(), servers_cpu()
        for p in procs:
            p.wait(30)
        note = servers_note(srv0, srv1, n)
        if busy1[1] > busy0[1]:
            note += f", machine busy {100 * (busy1[0] - busy0[0]) / (busy1[1] - busy0[1]):.0f}%"
        return Throughput("kombu relay", n, float(last) - t0, 0, [], note)
    finally:
        for p in procs:
            if p.poll() is None:
                p.terminate()
                try:
                    p.wait(5)
                except subprocess.TimeoutExpired:
                    p.kill()
                    p.wait(5)
            if p.stdout:
                p.stdout.close()
        try:  # leave the vhost clean between repeats
            with Connection(amqp_uri, connect_timeout=5) as conn:
                ch = conn.channel()
                for q in qs:
                    ch.queue_delete(q)
        except Exception:  # noqa: BLE001 - the vhost is deleted at the end anyway
            pass


# ---- P2 -------------------------------------------------------------------------------------------
@dataclass
class Latency:
    offered: int
    rate: float
    seconds: float
    latencies: list[float]  # seconds, 202 → dispatched seen
    end_to_end: list[float]  # seconds, POST sent → dispatched seen
    intake: list[float]  # seconds, POST sent → 202
    lags: list[float]  # seconds, how late each POST left against its schedule
    missing: int
    errors: list[str]
    note: str = ""
    label: str = "P2"


def percentile(values: list[float], p: float) -> float | None:
    """Nearest-rank percentile (p in 0..100)."""
    if not values:
        return None
    s = sorted(values)
    return s[max(0, math.ceil(p / 100 * len(s)) - 1)]


def latency_run(label: str, centers: list[Center], watcher: Watcher, reporter: Reporter, rate: float,
                seconds: float, timeout: float) -> Latency:
    """Open-loop reports at `rate` for `seconds` at centers[0]; latency 202 → `dispatched` seen by watcher."""
    total = int(round(rate * seconds))
    cpu0 = [c.cpu() for c in centers]
    busy0, events0, srv0, procs0 = machine_busy(), watcher.stats(), servers_cpu(), all_cpu()
    results: list[tuple] = []
    lags: list[float] = []
    bench0 = own_cpu()

    async def send(scheduled: float) -> None:
        lags.append(time.monotonic() - scheduled)
        results.append(await reporter.apost())

    async def offer() -> None:
        # open loop on one event loop (its clock is time.monotonic()): every report leaves on schedule as
        # its own task, whatever the answers to the earlier ones do
        tasks = []
        t0 = time.monotonic() + 0.2
        try:
            for i in range(total):
                delay = t0 + i / rate - time.monotonic()
                if delay > 0:
                    await asyncio.sleep(delay)
                tasks.append(asyncio.create_task(send(t0 + i / rate)))
            # asyncio.wait, not wait_for(gather(...)): on Ctrl-C / SIGTERM a cancelled gather would be reported
            # as "exception was never retrieved" with a traceback after the results
            done, pending = await asyncio.wait(tasks, timeout=timeout + 150)
            for task in pending:
                task.cancel()
            for task in done:
                task.result()  # raises what a send raised
            if pending:
                raise TimeoutError(f"{len(pending)} of {total} POSTs unanswered {timeout + 150:g}s after the last")
        finally:
            for task in tasks:  # a Ctrl-C / SIGTERM lands in one of them: no "exception never retrieved" noise
                if task.done() and not task.cancelled():
                    task.exception()
            await reporter.aclose()

    asyncio.run(offer())
    posted = time.monotonic()
    accepted = [(r[0], r[1], r[2]) for r in results if r[0]]
    missing = watcher.wait_for([c for c, _, _ in accepted], timeout, stalled=True)
    drained = time.monotonic()
    bench1 = own_cpu()
    seen = [(watcher.when(c), sent, answered) for c, sent, answered in accepted if watcher.when(c) is not None]
    latencies = [at - answered for at, _, answered in seen]
    cpu1, busy1, srv1 = [c.cpu() for c in centers], machine_busy(), servers_cpu()
    if len(centers) == 1:
        notes = [centers[0].cpu_note(cpu0[0], cpu1[0], len(accepted))]
    else:
        parts = [f"{c.region} {1000 * (sum(a.values()) - sum(b.values())) / max(1, len(accepted)):.1f}"
                 for c, b, a in zip(centers, cpu0, cpu1, strict=True) if a and b]
        if len(parts) == len(centers):
            all_ms = sum(1000 * (sum(a.values()) - sum(b.values())) for b, a in zip(cpu0, cpu1, strict=True)) / max(1, len(accepted))
            notes = [f"centers CPU {all_ms:.1f} ms/case (" + ", ".join(parts) + ")"]
        else:
            notes = ["(a center process exited: no CPU figures)"]
    notes += [f"bench CPU {1000 * (bench1 - bench0) / max(1, total):.1f} ms/case", servers_note(srv0, srv1, total)]
    events1 = watcher.stats()
    duplicates = (events1[0] - events0[0]) - (events1[1] - events0[1])
    if duplicates:
        notes.append(f"{duplicates} duplicate dispatched events")
    ours = {os.getpid(), *(p.pid for c in centers for p in c.procs.values())}
    notes.append(machine_note(busy0, busy1, procs0, all_cpu(), ours))
    if seen:
        last = max(at for at, _, _ in seen)
        notes.append(f"last dispatched {max(0.0, last - posted):.1f}s after the last answer"
                     + (f" (waited {drained - posted:.0f}s)" if missing else ""))
    return Latency(total, rate, seconds, latencies, [at - sent for at, sent, _ in seen],
                   [r[2] - r[1] for r in results if r[0]], lags, len(missing),
                   [r[3] for r in results if r[3]], ", ".join(n for n in notes if n), label)


# ---- report -----------------------------------------------------------------------------------------
def ms(v: float | None) -> str:
    return "—" if v is None else f"{1000 * v:.1f}"


def rate_str(v: float | None) -> str:
    return "—" if v is None else f"{v:.1f}"


def median(values: list[float]) -> float | None:
    return statistics.median(values) if values else None


def latency_table(r: Latency, title: str) -> None:
    t = Table(title=f"{title}: open loop at {r.rate:g} cases/s for {r.seconds:g} s ({r.offered} offered), "
                    f"202 answer → dispatched seen, ms")
    for col in ("measured", "count", "p50", "p90", "p99", "max"):
        t.add_column(col, justify="right" if col != "measured" else "left")
    lat = r.latencies
    t.add_row("[bold]202 → dispatched[/]", str(len(lat)), *[ms(percentile(lat, p)) for p in (50, 90, 99, 100)])
    t.add_row("POST → dispatched seen", str(len(r.end_to_end)),
              *[ms(percentile(r.end_to_end, p)) for p in (50, 90, 99, 100)])
    t.add_row("POST → 202 (intake)", str(len(r.intake)), *[ms(percentile(r.intake, p)) for p in (50, 90, 99, 100)])
    t.add_row("send lag vs schedule", str(len(r.lags)), *[ms(percentile(r.lags, p)) for p in (50, 90, 99, 100)])
    console.print(t)


def report(p1: list[tuple[Throughput, Throughput]], p2s: list[Latency], p3: Latency | None, args,
           levels: dict[str, dict[str, int]], log_paths: list[Path]) -> None:
    p2 = p2s[0] if p2s else None  # at --rate: P3 is compared with it
    if p1:
        t = Table(title=f"P1 throughput: {args.cases} cases, concurrency {args.concurrency}, accepted intake → "
                        f"dispatched (3 confirmed publishes, 2 consuming stages)")
        for col in ("run", "Yiwang cases/s", "kombu relay cases/s", "ratio Yiwang/kombu", "never dispatched",
                    "POST errors"):
            t.add_column(col, justify="left" if col == "run" else "right")
        for i, (y, k) in enumerate(p1, 1):
            ratio = y.rate / k.rate if y.rate and k.rate else None
            t.add_row(str(i), rate_str(y.rate), rate_str(k.rate), "—" if ratio is None else f"{ratio:.3f}",
                      str(y.missing), str(len(y.errors)))
        ym = median([y.rate for y, _ in p1 if y.rate])
        km = median([k.rate for _, k in p1 if k.rate])
        ratio = ym / km if ym and km else None
        t.add_row("[bold]median[/]", f"[bold]{rate_str(ym)}[/]", f"[bold]{rate_str(km)}[/]",
                  f"[bold]{'—' if ratio is None else f'{ratio:.3f}'}[/]", "", "")
        console.print(t)
        for i, (y, k) in enumerate(p1, 1):
            console.print(f"  run {i}: Yiwang: {y.note}; kombu: {k.note}")
        for y, _ in p1:
            for e in y.errors[:3]:
                console.print(f"[yellow]POST error: {e}[/]")
        console.print("P1: ratio " + ("—" if ratio is None else f"{ratio:.3f}") + " (target ≥ 1.0) → "
                      + ("—" if ratio is None else "[green]meets P1[/]" if ratio >= 1.0 else "[red]below P1[/]"))
    lost = f"never dispatched (waited until {args.timeout:g}s passed without a new one)"
    for run in p2s:
        latency_table(run, f"P2 latency at {run.rate:g}/s, one center (320612001 unless --region)")
        p50, p99 = percentile(run.latencies, 50), percentile(run.latencies, 99)
        ok = p50 is not None and p99 is not None and p50 <= 0.050 and p99 <= 0.300 and not run.missing
        # P2 counts from the 202; a center over capacity can keep reports waiting before it (group commit queues
        # them there): then the figure from the 202 flatters, and the verdict says so
        waited = percentile(run.intake, 99)
        hidden = waited is not None and waited > 0.300
        console.print(f"P2 at {run.rate:g}/s: p50 {ms(p50)} ms (target ≤ 50), p99 {ms(p99)} ms (target ≤ 300), "
                      f"{lost}: {run.missing}, POST errors: {len(run.errors)} → "
                      + ("[green]meets P2[/]" if ok and not hidden else "[red]below P2[/]")
                      + (f" — over capacity: reports waited up to {ms(waited)} ms (p99) for their 202" if hidden else "")
                      + (f" ({run.note})" if run.note else ""))
        for e in run.errors[:3]:
            console.print(f"[yellow]POST error: {e}[/]")
    if p3:
        latency_table(p3, f"P3 latency, three tiers: POST at {CITY} → {COUNTY} → dispatched at {TOWN}")
        p50, p99 = percentile(p3.latencies, 50), percentile(p3.latencies, 99)
        p2_99 = percentile(p2.latencies, 99) if p2 else None
        ratio = p99 / p2_99 if p99 is not None and p2_99 else None
        if p2 is None:
            versus = "P2 not measured in this run (--skip-p2): no ratio, no verdict"
        elif ratio is None:
            versus = "no ratio (no latencies)"
        else:
            versus = f"P3 p99 / P2 p99 = {ratio:.2f} (target ≤ 2.0)"
            e2e3, e2e2 = percentile(p3.end_to_end, 99), percentile(p2.end_to_end, 99)
            if e2e3 is not None and e2e2:  # the 202 hides time queued at the city's gateway
                versus += f"; POST → dispatched p99 ratio {e2e3 / e2e2:.2f}"
            if p2.rate != p3.rate:
                versus += f" — [yellow]at different rates (P2 {p2.rate:g}/s, P3 {p3.rate:g}/s): not the P3 comparison[/]"
        ok = ratio is not None and ratio <= 2.0 and not p3.missing and p2 is not None and p2.rate == p3.rate
        verdict = ("" if ratio is None else " → " + ("[green]meets P3[/]" if ok else "[red]below P3[/]"))
        console.print(f"P3: p50 {ms(p50)} ms, p99 {ms(p99)} ms, {lost}: {p3.missing}, POST errors: {len(p3.errors)}; "
                      f"{versus}{verdict}" + (f" ({p3.note})" if p3.note else ""))
        for e in p3.errors[:3]:
            console.print(f"[yellow]POST error: {e}[/]")
    for name, counts in levels.items():
        if counts:
            console.print(f"{name} log lines by level (YIWANG_LOG_LEVEL=WARNING): {counts}")
    for path in log_paths:
        console.print(f"log kept at {path}")


# ---- P4: a slow stage in 1, 2 and 4 processes ----------------------------------------------------------------
P4_TOWN = "320612002"  # a center of its own: nothing left in the queues of P1–P3 reaches it
P4_PROCESSES = (1, 2, 4)
P4_TARGETS = {2: 1.8, 4: 3.0}  # QUALITY.md P4: speed-up over one process


def p4_run(amqp_uri: str, log_path: Path, centers: list[Center], cases: int, concurrency: int, delay_ms: float,
           timeout: float) -> list[tuple[int, Throughput]]:
    """The center with every service but triage in one process, and triage — made deliberately slow by
    tests/perf/slow_stage.py, one worker per process — in 1, then 2, then 4 processes competing on its queues;
    at each count, `cases` reports as in P1 (from an idle center)."""
    center = Center(P4_TOWN, amqp_uri, log_path, ["gateway,intake,dispatch,supervision,feedback"])
    centers.append(center)
    center.start()
    slow = {"YIWANG_BENCH_SLOW_MS": f"{delay_ms:g}", "YIWANG_MAX_WORKERS": "1"}
    watcher = Watcher(amqp_uri, P4_TOWN, "p4").start()
    reporter = Reporter(center)
    rows: list[tuple[int, Throughput]] = []
    try:
        for n in P4_PROCESSES:
            while (running := sum(1 for g in center.procs if g.startswith("triage"))) < n:
                center.add(f"triage#{running + 1}", command=[sys.executable, "-m", "tests.perf.slow_stage"], env=slow)
            if not rows:
                warm_up(reporter, watcher, 10, timeout)
            center.drain()
            result = p1_yiwang(center, watcher, reporter, cases, concurrency, timeout)
            console.print(f"P4: triage in {n} slow process(es): {rate_str(result.rate)} cases/s ({result.note})")
            rows.append((n, result))
    finally:
        reporter.close()
        watcher.stop()
        center.stop()
    return rows


def p4_table(rows: list[tuple[int, Throughput]], delay_ms: float) -> None:
    table = Table(title=f"P4 — scaling out a slow stage: triage waits {delay_ms:g} ms per event (one worker per "
                        f"process), 1 / 2 / 4 processes on its queues")
    for col in ("processes", "cases/s", "the stage's own limit", "speed-up", "target", "never dispatched"):
        table.add_column(col, justify="right")
    one = rows[0][1].rate if rows else None
    for n, t in rows:
        up = t.rate / one if t.rate and one else None
        target = P4_TARGETS.get(n)
        verdict = "" if target is None or up is None else (
            f"≥ {target:g}× → " + ("[green]meets P4[/]" if up >= target else "[red]below P4[/]"))
        table.add_row(str(n), rate_str(t.rate), f"{n * 1000 / delay_ms:.1f}/s",
                      "—" if up is None else f"{up:.2f}×", verdict, str(t.missing))
    console.print(table)


# ---- P6: memory as the cases add up ------------------------------------------------------------------------
P6_LIMIT_MB = 300.0


@dataclass
class Memory:
    """P6: the resident memory of the center's processes after each phase, with the cases it had taken by then."""
    rows: list[tuple[str, int, dict[str, float]]] = field(default_factory=list)

    def sample(self, phase: str, center: Center, watcher: Watcher) -> None:
        self.rows.append((phase, watcher.stats()[1], center.rss()))

    def peak(self) -> float | None:
        return max((max(r.values()) for _, _, r in self.rows if r), default=None)


def p6_table(memory: Memory) -> None:
    table = Table(title=f"P6 — resident memory of the center's processes (target < {P6_LIMIT_MB:g} MB each)")
    for col in ("after", "cases taken", "RSS (MB)"):
        table.add_column(col)
    for phase, cases, rss in memory.rows:
        table.add_row(phase, str(cases), ", ".join(f"{g} {mb:.0f}" for g, mb in rss.items()) or "—")
    console.print(table)
    peak = memory.peak()
    console.print(f"P6: peak {'—' if peak is None else f'{peak:.0f}'} MB → "
                  + ("—" if peak is None else "[green]meets P6[/]" if peak < P6_LIMIT_MB else "[red]below P6[/]")
                  + " (a long run: --skip-p2 --repeat 1 --cases 100000)")


# ---- the history in docs/performance.md ---------------------------------------------------------------------
HISTORY = ROOT / "docs" / "performance.md"
HISTORY_HEADING = "## History: every full `./taskw bench` run"
HISTORY_COLUMNS = ("date (UTC)", "commit", "machine", "P1 ratio (cases/s vs kombu)", "P2 p50 / p99",
                   "P3 p99 (× P2)", "P4 speed-up at 2 / 4", "P5 1 M vs 10 k", "P6 peak RSS", "P7 p99")


def machine() -> str:
    model = next((line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
                  if line.startswith("model name")), "?")
    kb = next((int(line.split()[1]) for line in Path("/proc/meminfo").read_text().splitlines()
               if line.startswith("MemTotal")), 0)
    return f"{os.cpu_count()} cores {model}, {kb / 2**20:.0f} GB"


def commit() -> str:
    def git(*a: str) -> str:
        return subprocess.run(["git", *a], cwd=ROOT, capture_output=True, text=True).stdout.strip()
    return (git("rev-parse", "--short", "HEAD") or "?") + (" (changed)" if git("status", "--porcelain") else "")


def history_row(p1: list[tuple[Throughput, Throughput]], p2s: list[Latency], p3: Latency | None,
                p4: list[tuple[int, Throughput]], p5: dict[str, dict[str, float]], peak_mb: float | None,
                p7: P7 | None) -> list[str]:
    ym, km = median([y.rate for y, _ in p1 if y.rate]), median([k.rate for _, k in p1 if k.rate])
    cells = [time.strftime("%Y-%m-%d %H:%M", time.gmtime()), commit(), machine(),
             f"{ym / km:.3f} ({ym:.1f} vs {km:.1f})" if ym and km else "—"]
    p2_99 = percentile(p2s[0].latencies, 99) if p2s else None
    cells.append("; ".join(f"{ms(percentile(r.latencies, 50))} / {ms(percentile(r.latencies, 99))} ms at {r.rate:g}/s"
                           for r in p2s) or "—")
    p3_99 = percentile(p3.latencies, 99) if p3 else None
    cells.append("—" if p3 is None else f"{ms(p3_99)} ms at {p3.rate:g}/s"
                 + (f" ({p3_99 / p2_99:.2f}×)" if p3_99 is not None and p2_99 else ""))
    rates = dict((n, t.rate) for n, t in p4)
    one = rates.get(1)
    cells.append(" / ".join(f"{rates[n] / one:.2f}×" if one and rates.get(n) else "—" for n in (2, 4)) if p4 else "—")
    cells.append(p5_cell(p5))
    cells.append("—" if peak_mb is None else f"{peak_mb:.0f} MB")
    cells.append("—" if p7 is None else f"{ms(p7.p99)} ms, {p7.connected} streams")
    return cells


def p5_cell(p5: dict[str, dict[str, float]]) -> str:
    """The largest size against the smallest, operation by operation, worst first."""
    if len(p5) < 2:
        return "—"
    small, large = p5[min(p5, key=int)], p5[max(p5, key=int)]
    ratios = sorted(((large[op] / small[op], op) for op in small if small[op] > 0 and op in large), reverse=True)
    return ", ".join(f"{op} {r:.1f}×" for r, op in ratios)


def append_history(cells: list[str], path: Path = HISTORY) -> None:
    """Add the run as the last row of the history table (made at the end of the file the first time)."""
    lines = path.read_text().splitlines() if path.exists() else []
    row = "| " + " | ".join(c.replace("|", "/") for c in cells) + " |"
    if HISTORY_HEADING not in lines:
        lines += ["", HISTORY_HEADING, "", "| " + " | ".join(HISTORY_COLUMNS) + " |",
                  "|" + "---|" * len(HISTORY_COLUMNS)]
    at = lines.index(HISTORY_HEADING) + 1
    while at < len(lines) and not lines[at].startswith("|"):  # the blank line under the heading
        at += 1
    while at < len(lines) and lines[at].startswith("|"):  # to the end of the table
        at += 1
    lines.insert(at, row)
    path.write_text("\n".join(lines) + "\n")


# ---- main -----------------------------------------------------------------------------------------
def p7_run(center: Center, reporter: Reporter, streams: int, rate: float, seconds: float) -> P7:
    """P7: `streams` screens open on the center while reports arrive at `rate`/s for `seconds`."""
    r = reporter.client().post("/api/v1/tokens", json={"role": "viewer", "region": center.region, "name": "大屏"})
    screens = Screens(center.port, r.json()["token"], streams)
    try:
        deadline = time.monotonic() + 60
        while screens.connected() < streams and time.monotonic() < deadline:
            time.sleep(0.2)
        console.print(f"P7: {screens.connected()} of {streams} streams open; {rate:g} reports/s for {seconds:g}s")
        start = time.monotonic()
        for n in range(int(rate * seconds)):
            time.sleep(max(0.0, start + n / rate - time.monotonic()))
            reporter.client().post("/api/v1/reports", json=reporter.body())
        return measure(screens, streams, rate)
    finally:
        screens.close()


def p7_table(r: P7) -> None:
    table = Table(title="P7 — the live stream: open screens, every event delivered, commit → screen")
    for col in ("streams open", "reports/s", "events", "deliveries", "missing", "p50", "p99", "max", "target"):
        table.add_column(col)
    ok = r.missing == 0 and r.p99 is not None and r.p99 <= 1.0 and r.connected == r.streams
    table.add_row(f"{r.connected}/{r.streams}", f"{r.rate:g}", str(r.events), str(r.deliveries), str(r.missing),
                  ms(r.p50), ms(r.p99), ms(r.max),
                  "[green]meets P7[/]" if ok else "[red]below P7[/] (p99 ≤ 1 s, nothing missing)")
    console.print(table)


def parse(argv=None) -> argparse.Namespace:
    p = argparse.ArgumentParser(prog="bench", description="Benchmarks P1 (throughput vs a bare kombu relay), "
                                                          "P2 (latency at a steady load, one center) and P3 (the "
                                                          "same over a three-tier route) against real centers.")
    p.add_argument("--cases", type=int, default=1000, help="P1: cases per run (default 1000)")
    p.add_argument("--concurrency", type=int, default=20, help="P1: concurrent POSTs / publishers (default 20)")
    p.add_argument("--repeat", type=int, default=3, help="P1: runs of each side, medians reported (default 3)")
    p.add_argument("--rate", type=float, default=50.0, help="P2: offered cases per second (default 50)")
    p.add_argument("--high-rate", type=float, default=200.0,
                   help="P2 again at this rate after the first (default 200; 0 leaves it out)")
    p.add_argument("--p3-rate", type=float, default=None,
                   help="P3: offered cases per second (default: --rate; P3's ratio compares like with like only "
                        "when both are equal)")
    p.add_argument("--seconds", type=float, default=20.0, help="P2 and P3: seconds of load (default 20)")
    p.add_argument("--timeout", type=float, default=60.0,
                   help="seconds to wait for the next dispatched event before giving up (P1: after the last "
                        "POST; P2, P3: after the last POST or the last new dispatched, at most 10 × this; "
                        "default 60)")
    p.add_argument("--region", default=TOWN, help=f"P1 and P2: the center to run (default {TOWN}, a township)")
    p.add_argument("--quick", action="store_true",
                   help="smoke run: P1 100 cases, 1 repeat; P2 (at --rate only) and P3 5 s each; P4 30 cases")
    p.add_argument("--skip-p1", action="store_true")
    p.add_argument("--skip-p2", action="store_true")
    p.add_argument("--skip-p3", action="store_true")
    p.add_argument("--skip-p4", action="store_true")
    p.add_argument("--p4-cases", type=int, default=100, help="P4: cases per process count (default 100)")
    p.add_argument("--p4-delay", type=float, default=200.0,
                   help="P4: milliseconds the slow triage waits per event (default 200: 5 events/s per process)")
    p.add_argument("--skip-p5", action="store_true")
    p.add_argument("--p5-sizes", default="10000,1000000",
                   help="P5: stored cases to seed and measure at (default 10000,1000000; seeding 1 M takes minutes)")
    p.add_argument("--skip-p7", action="store_true")
    p.add_argument("--skip-w1", action="store_true", help="skip W1, the vehicle warnings (tests/perf/tracks_bench.py)")
    p.add_argument("--skip-w2", action="store_true", help="skip W2, the hotspots (tests/perf/warnings_bench.py)")
    p.add_argument("--streams", type=int, default=500, help="P7: open streams (default 500)")
    p.add_argument("--stream-rate", type=float, default=17.0,
                   help="P7: reports per second while the streams are open (default 17: about 50 changes/s)")
    p.add_argument("--split", action="store_true",
                   help="run each center as 4 processes (" + " | ".join(SPLIT) + ") instead of one")
    p.add_argument("--keep-log", action="store_true", help="keep the centers' log files")
    p.add_argument("--profile", metavar="FILE", help="run the centers under cProfile, writing their stats to FILE "
                                                      "(P3's centers to FILE.p3-<region>; slows them down; for "
                                                      "finding hot spots, not for figures)")
    args = p.parse_args(argv)
    if args.p3_rate is None:
        args.p3_rate = args.rate
    if args.quick:
        args.cases, args.repeat, args.seconds = min(args.cases, 100), 1, min(args.seconds, 5.0)
        args.p4_cases, args.high_rate = min(args.p4_cases, 30), 0.0
    for name in ("cases", "concurrency", "repeat", "p4_cases"):
        if getattr(args, name) < 1:
            p.error(f"--{name.replace('_', '-')} must be at least 1")
    if args.high_rate < 0 or args.high_rate * args.seconds > 100_000:
        p.error("--high-rate must be 0 (left out) or positive, at most 100000 cases in --seconds")
    if min(args.rate, args.p3_rate, args.seconds, args.timeout, args.p4_delay) <= 0:
        p.error("--rate, --p3-rate, --seconds, --timeout and --p4-delay must be positive")
    if args.cases > 100_000 or max(args.rate, args.p3_rate) * args.seconds > 100_000 or args.repeat > 20:
        p.error("bounded: at most 100000 cases per run, 100000 P2 or P3 cases and 20 repeats")
    return args


def _terminated(signum, frame):
    raise KeyboardInterrupt


def warm_up(reporter: Reporter, watcher: Watcher, n: int, timeout: float) -> None:
    """Not timed: connections, pools and the first-use paths of every service (and every tier)."""
    warm = [reporter.post() for _ in range(n)]
    errors = [w[3] for w in warm if w[3]]
    if errors:
        raise RuntimeError(f"warm-up: {len(errors)} of {n} reports refused, e.g. {errors[0]}")
    missing = watcher.wait_for([w[0] for w in warm], timeout)
    if missing:
        raise RuntimeError(f"warm-up: {len(missing)} of {n} cases not dispatched at {watcher.key} in {timeout:g}s")


def main(argv=None) -> int:
    args = parse(argv)
    signal.signal(signal.SIGTERM, _terminated)  # so that the clean-up below runs
    tmp = Path(tempfile.gettempdir())
    centers: list[Center] = []  # every center started, stopped in `finally` if still running
    watchers: list[Watcher] = []
    reporters: list[Reporter] = []
    levels: dict[str, dict[str, int]] = {}
    p1: list[tuple[Throughput, Throughput]] = []
    p3 = None
    p2s: list[Latency] = []  # P2 at --rate, then at --high-rate
    p4: list[tuple[int, Throughput]] = []
    memory = Memory()
    p7: P7 | None = None
    failed = False
    started = time.monotonic()
    profile = str(Path(args.profile).resolve()) if args.profile else None
    groups = SPLIT if args.split else ONE_PROCESS

    def start_center(region: str, log_name: str, profile_file: str | None) -> Center:
        center = Center(region, amqp_uri, tmp / f"yiwang-bench-{RUN}-{log_name}.log", groups, profile_file)
        centers.append(center)
        center.start()
        console.print(f"bench: center {region} ready at {center.url} (" + ", ".join(
            f"{g}: pid {p.pid}" for g, p in center.procs.items()) + ")")
        return center

    def stop(centers_now: list[Center]) -> None:
        for c in centers_now:
            for group, rc in c.stop().items():
                if rc != 0:
                    console.print(f"[yellow]center {c.region} process {group} exited with {rc} after SIGTERM "
                                  f"(expected 0)[/]")

    try:
        console.print(f"bench: {idle_load()}")
        console.print(f"bench: vhost {VHOST}, databases {DB_PREFIX}*")
        amqp_uri = create_vhost()
        if not (args.skip_p1 and args.skip_p2):
            center = start_center(args.region, "center", profile)
            watcher = Watcher(amqp_uri, args.region, "p12").start()
            watchers.append(watcher)
            reporter = Reporter(center)
            reporters.append(reporter)
            memory.sample("start", center, watcher)
            warm_up(reporter, watcher, min(20, args.cases), args.timeout)
            if not args.skip_p1:
                for rep in range(1, args.repeat + 1):
                    y = p1_yiwang(center, watcher, reporter, args.cases, args.concurrency, args.timeout)
                    behind = center.drain()
                    k = p1_kombu(amqp_uri, args.cases, args.concurrency, rep, args.timeout)
                    console.print(f"P1 run {rep}/{args.repeat}: Yiwang {rate_str(y.rate)} cases/s "
                                  f"({y.missing} never dispatched; the rest of the work behind them "
                                  + (f"done {behind:.1f}s later" if behind is not None else "NOT done in 300 s")
                                  + f"), kombu relay {rate_str(k.rate)} cases/s")
                    p1.append((y, k))
                    memory.sample(f"P1 run {rep}", center, watcher)
                console.print(f"P1 batches: {batches(center.region)}")
            if not args.skip_p2:
                for rate in (args.rate, args.high_rate) if args.high_rate else (args.rate,):
                    center.drain()  # from an idle center, as a user meets it
                    run = latency_run("P2", [center], watcher, reporter, rate, args.seconds, args.timeout)
                    console.print(f"P2: {len(run.latencies)} of {run.offered} dispatched at {rate:g}/s")
                    p2s.append(run)
                    memory.sample(f"P2 at {rate:g}/s", center, watcher)
                center.drain()  # P3's township is this one: nothing of P2 left in its queues
            # P3 runs the same regions (by default the township is this center): one consumer per queue
            watcher.stop()
            stop([center])
        if not args.skip_p3:
            # top down, so that each parent's subtree queue exists before its children publish
            tiers = [start_center(code, f"p3-{code}", f"{profile}.p3-{code}" if profile else None)
                     for code in (CITY, COUNTY, TOWN)]
            watcher = Watcher(amqp_uri, TOWN, "p3").start()
            watchers.append(watcher)
            reporter = Reporter(tiers[0], region=TOWN)  # POSTed at the city, about a place in the township
            reporters.append(reporter)
            warm_up(reporter, watcher, 20, args.timeout)
            p3 = latency_run("P3", tiers, watcher, reporter, args.p3_rate, args.seconds, args.timeout)
            console.print(f"P3: {len(p3.latencies)} of {p3.offered} dispatched at {TOWN}")
        if not args.skip_p4:
            p4 = p4_run(amqp_uri, tmp / f"yiwang-bench-{RUN}-p4.log", centers, args.p4_cases, args.concurrency,
                        args.p4_delay, args.timeout)
        if not args.skip_p7:
            center = start_center(args.region, "p7", None)
            reporter = Reporter(center)
            reporters.append(reporter)
            p7 = p7_run(center, reporter, args.streams, args.stream_rate, args.seconds)
            stop([center])
    except (Exception, KeyboardInterrupt, BaseExceptionGroup) as exc:
        # BaseExceptionGroup: anyio (under httpx) wraps a KeyboardInterrupt that lands in its task group
        failed = True
        console.print(f"[red]bench failed: {type(exc).__name__}: {exc}[/]")
        for c in centers:
            if c.procs:
                console.print(f"center {c.region} log (tail):\n{c.log_tail()}")
    finally:
        for r in reporters:
            r.close()
        for w in watchers:
            w.stop()
        stop(centers)
        for cleanup in (delete_vhost, drop_databases):
            try:
                cleanup()
            except Exception as exc:  # noqa: BLE001 - say what is left behind, and go on
                failed = True
                console.print(f"[red]clean-up {cleanup.__name__} failed: {exc} (vhost {VHOST}, "
                              f"databases {DB_PREFIX}*)[/]")
        kept = args.keep_log or failed
        for c in centers:
            levels[f"center {c.region} ({'P3' if '-p3-' in c.log_path.name else 'P1/P2'})"] = c.log_levels()
            if not kept and c.log_path.exists():
                c.log_path.unlink()
    report(p1, p2s, p3, args, levels, [c.log_path for c in centers if kept and c.log_path.exists()])
    if memory.rows:
        p6_table(memory)
    if p4:
        p4_table(p4, args.p4_delay)
    if p7 is not None:
        p7_table(p7)
    p5: dict[str, dict[str, float]] = {}
    if not args.skip_p5:  # P5: its own databases, seeded; in a process of its own (eventlet, like a center)
        with tempfile.NamedTemporaryFile(suffix=".json") as out:
            sizes = "5000,10000" if args.quick else args.p5_sizes
            done = subprocess.run([sys.executable, "-m", "tests.perf.p5_bench", "--sizes", sizes, "--json", out.name],
                                  cwd=ROOT)
            if done.returncode == 0:
                p5 = json.loads(Path(out.name).read_text() or "{}")
            else:
                failed = True
                console.print(f"[red]P5 failed (exit {done.returncode})[/]")
    if not args.skip_w1:  # W1: vehicle warnings on seeded tracks with ground truth (no center needed)
        from tests.perf import tracks_bench
        tracks_bench.main(["--vehicles", "20", "--days", "10"] if args.quick else [])
    if not args.skip_w2:  # W2: hotspots on seeded cases with ground truth (no center needed)
        from tests.perf import warnings_bench
        warnings_bench.main(["--seeds", "1"] if args.quick else [])
    partial = args.quick or args.profile or any(getattr(args, f"skip_p{n}") for n in (1, 2, 3, 4, 5, 7))
    if not failed and not partial:  # the history holds whole runs only
        append_history(history_row(p1, p2s, p3, p4, p5, memory.peak(), p7))
        console.print(f"bench: the run is the last row of {HISTORY.relative_to(ROOT)}'s history")
    console.print(f"bench: done in {time.monotonic() - started:.0f}s")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
