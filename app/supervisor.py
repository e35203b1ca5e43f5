"""Run one center as several processes from one command (`yiwang run --split`, `--scale intake=2`), so one
machine's cores all work: this process prepares the center once (database, migrations, topology), then starts one
`yiwang run --services <one>` child per process, restarts a child that dies (after a short, growing pause), and on
SIGTERM or SIGINT passes the signal on and waits until every child has drained and exited.

Any service can run alone in its process; only the message handlers of the hot path take more than one (competing
consumers on the same queues): intake, triage and dispatch. The gateway owns the HTTP port, and the others run
timers (sweeps, polls) meant to run once per center."""
from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from dataclasses import dataclass

import structlog

from app.runner import StartupError, port_free, prepare

log = structlog.get_logger("yiwang.supervisor")

SCALABLE = ("intake", "triage", "dispatch")
MAX_PER_SERVICE = 16
RESTART_PAUSES = (1.0, 2.0, 5.0, 10.0, 30.0)  # a child that keeps dying is restarted less and less often
HEALTHY_S = 60.0                               # a child that ran this long starts the pauses again
STOP_GRACE_S = 60.0                            # then SIGKILL: unacked messages come back, unsent outbox rows are re-sent


def plan(services: list[str], scale: dict[str, int]) -> list[str]:
    """The services, one entry per process: each listed service once, those in `scale` that many times."""
    unknown = sorted(set(scale) - set(services))
    if unknown:
        raise StartupError(f"--scale names {', '.join(unknown)}, which this center does not run (--services)")
    for name, n in scale.items():
        if name not in SCALABLE and n != 1:
            raise StartupError(f"{name} runs as one process per center (only {', '.join(SCALABLE)} take --scale): "
                               + ("it owns the HTTP port" if name == "gateway" else "its timers must run once"))
        if not 1 <= n <= MAX_PER_SERVICE:
            raise StartupError(f"--scale {name}={n}: between 1 and {MAX_PER_SERVICE} processes")
    return [name for name in services for _ in range(scale.get(name, 1))]


@dataclass
class Child:
    service: str
    index: int
    proc: subprocess.Popen | None = None
    started: float = 0.0
    failures: int = 0
    restart_at: float | None = None

    @property
    def name(self) -> str:
        return f"{self.service}-{self.index}"


def supervise(region: str, services: list[str], scale: dict[str, int], port: int, settings) -> int:
    processes = plan(services, scale)
    if "gateway" in services:
        port_free(port)
    prepare(region, settings)  # once, before any child: the children find it done
    counts: dict[str, int] = {}
    children = []
    for service in processes:
        counts[service] = counts.get(service, 0) + 1
        children.append(Child(service, counts[service]))
    stopping: list[int] = []

    def _signal(signum, frame):
        if not stopping:
            log.info("stopping: passing the signal to every process", center=region, signal=signum)
        stopping.append(signum)

    signal.signal(signal.SIGTERM, _signal)
    signal.signal(signal.SIGINT, _signal)
    for child in children:
        _start(child, region, port)
    log.info("center running", center=region, processes=[c.name for c in children],
             pids={c.name: c.proc.pid for c in children if c.proc})
    while not stopping:
        now = time.monotonic()
        for child in children:
            _watch(child, region, port, now)
        time.sleep(0.2)
    return _stop(children, stopping, region)


def _start(child: Child, region: str, port: int) -> None:
    env = {**os.environ, "YIWANG_PROCESS_NAME": f"yiwang-{region}-{child.name}"}
    command = [sys.executable, "-m", "app.cli", "run", "--region", region, "--services", child.service,
               "--port", str(port)]
    # its own session: a Ctrl-C in the terminal reaches this process only, which passes it on once (a second
    # signal makes a center process leave without draining); and it is told to stop if this process dies
    child.proc = subprocess.Popen(command, env=env, start_new_session=True, preexec_fn=_stop_with_parent)
    child.started, child.restart_at = time.monotonic(), None


def _stop_with_parent() -> None:
    """In the child, before exec: SIGTERM when the supervisor dies, even by SIGKILL (Linux prctl PR_SET_PDEATHSIG)."""
    if sys.platform.startswith("linux"):
        import ctypes

        ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGTERM, 0, 0, 0)


def _watch(child: Child, region: str, port: int, now: float) -> None:
    """Restart a child that died, after a pause that grows while it keeps dying."""
    if child.proc is not None:
        code = child.proc.poll()
        if code is None:
            if now - child.started > HEALTHY_S:
                child.failures = 0
            return
        child.proc = None
        pause = RESTART_PAUSES[min(child.failures, len(RESTART_PAUSES) - 1)]
        child.failures += 1
        child.restart_at = now + pause
        log.warning("a process of the center died; restarting it", center=region, process=child.name, code=code,
                    restart_in_s=pause)
    if child.restart_at is not None and now >= child.restart_at:
        _start(child, region, port)


def _stop(children: list[Child], stopping: list[int], region: str) -> int:
    """Pass each signal received on to the running children (a second one makes them leave without draining) and
    wait for them; after STOP_GRACE_S, SIGKILL."""
    running = {c.name: c.proc for c in children if c.proc is not None}
    passed, deadline = 0, time.monotonic() + STOP_GRACE_S
    while any(p.poll() is None for p in running.values()) and time.monotonic() < deadline:
        while passed < len(stopping):
            for proc in running.values():
                if proc.poll() is None:
                    proc.send_signal(stopping[passed])
            passed += 1
        time.sleep(0.1)
    for name, proc in running.items():
        if proc.poll() is None:
            log.warning("a process did not stop in time; killing it", center=region, process=name)
            proc.kill()
    # a process still starting dies of the signal itself (its handler comes with its services): it held no work
    clean = (0, *(-signum for signum in stopping))
    failed = {name: proc.wait() for name, proc in running.items() if proc.wait() not in clean}
    if failed:
        log.warning("stopped; some processes did not exit cleanly", center=region, codes=failed)
        return 1
    log.info("stopped", center=region)
    return 0
