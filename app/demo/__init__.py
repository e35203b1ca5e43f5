"""`yiwang demo`: start a three-tier chain and drive a simulated day of cases through it.

The demo starts the city center (320600), the county center (320612) and the first townships of the county
(two unless --townships says otherwise), each as its own `yiwang run` process with its own database, on one
broker, and the 12345 platform's simulator (app.simulators.hotline) in the demo's own process. Then it plays
a compressed working day over HTTP only, with cases arriving on every channel at once:

- 12345 work orders (source hotline), pushed by the simulator to the city, which routes them down the chain;
  the simulator takes the city's signed updates and makes the satisfaction visit (回访) after each `resolved`:
  a dissatisfied citizen sends the case back for rework, and a hotline case closes only after its visit;
- grid workers' patrol reports and walk-ins at each township (grid, desk), some categories sent straight to
  the nearest team (网格化自动派遣); desk entries at the city's own desk;
- sensor storms at the townships: 20–40 alerts of one type from one spot within seconds, which the center
  groups into one case; an all-clear for one of them; devices' heartbeats;
- a citizens' app at the townships speaking Open311 GeoReport v2 (open311);
- a few callers and app users reporting again what a grid worker has just reported (并单: merged);
- the day's monitoring (监测预警, app.demo.monitoring; BRIEF.md scenarios 8 and 9): two 危化品 tankers' trackers
  stream their positions to the city (POST /api/v1/tracks) — one stops 25 minutes at a closed plant (a red `dwell`
  and a case for 应急管理局 and 公安), the other leaves its permitted route (`route_deviation`) — and eleven noise
  complaints around one street market of a township raise a `hotspot` there, which the township's dispatcher turns
  into a proactive task (未诉先办, a case of source `proactive`).

Around every center it plays the people — units that sign for (签收), return (退单, with a reason code and the
basis), escalate (上报), ask for more time (延期) or to suspend a case (挂账), are slow, and resolve (办结); desks
that review the returns (退单审核: one approved, one refused), decide extensions and suspensions and void a test
message (作废); grid workers and dispatchers who verify (核查) and send back for rework (返工); the desks that
supervise (督办), the city also cases it follows in its subtree, and review hotline cases still waiting after their
visit. An urgent case its unit does not sign for shows an escalation chain (催办 → 督办 → 提级) telling the duty
rosters by webhook and SMS — the centers send them to a stub gateway in the demo's process (app.stub_gateway) —
once the chain's clock moves on (app.demo.workflow). It shows progress per center and per channel while it runs and
ends with the evaluation by region and by unit as the city sees its whole subtree (行政问效, with the 12345
rates), the ranking (红黑榜), the city's board and where to look next.

The package, by concern: `places`, `reports` and `day` generate the day (pure: no I/O but the catalog, the region
boundaries and the sensor types; reproducible with a seed; unit-tested on their own); `chain` and `process` start
and stop the centers, `broker` asks RabbitMQ; `client` is a center's HTTP API; `sim` holds the run's state, which
`reporters` (sending the day) and `people` (working the cases) share; `workflow` holds the moments every day
shows (reviewed returns, an extension, a suspension, a void, an escalation chain); `monitoring` the warnings every
day shows (the tankers, the hot spot and its task); `driver` plays the day; `progress` shows it, `summary`,
`evaluation` and `next_steps` end it.
"""
from __future__ import annotations

import contextlib
import logging
import random
import signal
import sys
import threading
import time
import uuid
from dataclasses import dataclass, field
from datetime import timedelta

from rich.console import Console

from app.demo.broker import dead_letter_counts
from app.demo.chain import (
    VAR,
    Chain,
    build_nodes,
    center_env,
    check_database_url,
    check_ports,
    plan_chain,
    prepare_centers,
    start_chain,
    start_hotline,
    start_stub,
    stop_chain,
)
from app.demo.client import Stats
from app.demo.day import plan_day
from app.demo.driver import drive
from app.demo.errors import DemoError
from app.demo.progress import announce, day_line
from app.demo.serve import print_screens, serve
from app.demo.sim import FINAL, Sim
from app.demo.summary import print_summary
from app.demo.workflow import ChainClock, clock_path
from shared.catalog import Catalog, load_catalog

__all__ = ["DemoError", "main"]


@dataclass(frozen=True)
class Options:
    """What `yiwang demo` was asked for, checked."""

    cases: int      # --cases: the day's cases
    minutes: float  # --minutes: the time limit of the run
    keep: bool      # --keep: leave the centers running at the end
    once: bool      # --once: end after the day (else the chain keeps running until Ctrl-C)
    seed: int       # --seed, or a random one: the generated day and the simulated people
    run_id: str = field(default_factory=lambda: uuid.uuid4().hex[:8])  # in the reports' Idempotency-Keys

    @property
    def limit(self) -> float:
        """The time limit in seconds."""
        return self.minutes * 60

    @property
    def span(self) -> float:
        """The seconds over which the day's arrivals come in: the first part of the run."""
        return min(0.3 * self.limit, 60.0)


def main(args, settings) -> int:
    """Entry point of `yiwang demo` (called from app.cli with parsed args and the settings)."""
    try:
        return _run(args, settings)
    except DemoError as exc:
        print(f"yiwang demo: {exc}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:  # before the centers started
        print("yiwang demo: interrupted", file=sys.stderr)
        return 130


def _read_options(args) -> Options:
    """The flags of `yiwang demo`, checked (the townships and the ports are the chain's)."""
    minutes = float(getattr(args, "minutes", 4.0))
    keep = bool(getattr(args, "keep", False))
    once = bool(getattr(args, "once", False))
    seed = getattr(args, "seed", None)
    seed = seed if seed is not None else random.randrange(1, 10**6)
    if args.cases < 1:
        raise DemoError("--cases must be at least 1")
    if minutes <= 0:
        raise DemoError("--minutes must be positive")
    return Options(args.cases, minutes, keep, once, seed)


def _console() -> Console:
    """Where the demo prints (httpx's request logs quietened)."""
    logging.getLogger("httpx").setLevel(logging.WARNING)
    logging.getLogger("httpcore").setLevel(logging.WARNING)
    console = Console()
    if not console.is_terminal:
        console = Console(width=150)  # a log file or a pipe: wide enough for the tables
    return console


def _run(args, settings) -> int:
    """Check everything before anything starts (each failure one clear line), then run the chain."""
    console = _console()
    catalog = load_catalog()
    options = _read_options(args)
    chain = plan_chain(int(getattr(args, "townships", 2)), args.port, catalog)
    check_database_url(settings.database_url)
    check_ports(chain)
    prepare_centers(chain.regions, settings, console)
    env = center_env(settings, chain)
    announce(console, chain, catalog, settings, options.cases, options.minutes, options.seed)
    with _signals_caught() as interrupted:
        code = _run_chain(chain, options, env, catalog, console, interrupted, settings)
    if code == 130:
        print("yiwang demo: interrupted; the centers were stopped", file=sys.stderr)
    return code


@contextlib.contextmanager
def _signals_caught():
    """While the chain runs, Ctrl-C or SIGTERM sets the flag yielded: the run stops at its next step and the
    centers are stopped; a second one interrupts at once. The previous handlers are restored after."""
    interrupted = threading.Event()
    previous = {}

    def on_signal(signum, frame):
        if interrupted.is_set():
            raise KeyboardInterrupt
        interrupted.set()

    for sig in (signal.SIGINT, signal.SIGTERM):
        previous[sig] = signal.signal(sig, on_signal)
    try:
        yield interrupted
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)


def _run_chain(chain: Chain, options: Options, env: dict, catalog: Catalog, console,
               interrupted: threading.Event, settings) -> int:
    """Start the stub gateway of webhooks and SMS, the centers and the 12345 platform's simulator, play the day, print
    the summary; in the end stop everything, or leave the centers running with --keep if the day went through. 0, or
    130 when interrupted."""
    stats = Stats()
    clock = ChainClock(clock_path(VAR))  # before the centers start: they read it
    nodes = build_nodes(chain, env, stats, catalog)
    leave_running = False
    hotline = stub = None
    try:
        stub = start_stub(chain.stub_port)
        start_chain(nodes, env["YIWANG_ADMIN_TOKEN"], catalog, interrupted, console)
        hotline = start_hotline(nodes[0], chain.hotline_port, options.seed)
        sim = Sim(nodes, options.seed, stats, catalog, hotline)
        sim.script.clock, sim.script.stub, sim.script.database_for = clock, stub, settings.database_for
        ok = _play_day(sim, chain, options, console, interrupted)
        leave_running = options.keep
        if not ok:
            raise _still_open(sim, options.minutes)
        print_screens(console, sim)
        if not options.once:
            serve(sim, chain, options.seed, options.run_id, console, interrupted)  # until Ctrl-C: the normal end
        return 0
    except KeyboardInterrupt:
        leave_running = False
        return 130
    finally:
        if hotline is not None:
            hotline.stop()
        stop_chain(nodes, leave_running, console)
        if stub is not None:
            stub.stop()


def _play_day(sim: Sim, chain: Chain, options: Options, console, interrupted: threading.Event) -> bool:
    """Plan the day, drive it through the chain and print the summary. True if every case ended final."""
    sim.dead_before = dead_letter_counts(chain.regions)
    sim.since = (sim.script.now() - timedelta(seconds=5)).isoformat(timespec="seconds")
    arrivals = plan_day(options.cases, chain.townships, seed=options.seed, catalog=sim.catalog, span=options.span,
                        now=sim.script.now())  # the chain's clock (a run on the same databases goes on from the last)
    console.print(day_line(arrivals, options.cases, options.span, chain.city), highlight=False)
    t0 = time.monotonic()
    ok = drive(sim, arrivals, options.cases, options.run_id, options.limit, options.span, console, interrupted)
    took = time.monotonic() - t0
    if interrupted.is_set():
        raise KeyboardInterrupt
    print_summary(console, sim, sim.catalog, options.keep, took)
    return ok


def _still_open(sim: Sim, minutes: float) -> DemoError:
    """The error when the time limit ran out with cases still open."""
    counts = sim.counts()
    still = {s: n for s, n in counts.items() if n and s not in FINAL}
    return DemoError(f"{sum(still.values())} of {len(sim.cases)} cases still open when the time limit of "
                     f"{minutes:g} min ran out ({', '.join(f'{n} {s}' for s, n in still.items())}); allow "
                     f"more with --minutes, or look for stuck cases in var/demo-*.log and "
                     f"`yiwang dlq list --region CODE`")
