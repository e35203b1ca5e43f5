"""Driving the day through the chain: the reporters send the day's arrivals at their times, and the day's monitoring
(app.demo.monitoring: the tankers' tracks, a hot spot and its proactive task) plays, while the people of every center
work their cases, until every case of the run has been final for a while — or time is up, or the demo is
interrupted — with the progress on screen."""
from __future__ import annotations

import threading
import time

from app.demo.day import Arrival
from app.demo.errors import DemoError
from app.demo.monitoring import start as start_monitoring
from app.demo.people import center_loop, work_loop
from app.demo.progress import Display
from app.demo.reporters import submit
from app.demo.sim import Sim
from app.demo.workflow import escalate_late, ready_to_escalate, submit_specials

SETTLE = 5.0             # the day is over once every case has been final this long (a late visit may reopen one)
WORKERS = 3              # threads per center running the tasks its people queue


def drive(sim: Sim, arrivals: list[Arrival], cases: int, run_id: str, limit: float, span: float, console,
          interrupted) -> bool:
    """Send the day's arrivals, play the day's monitoring and the people until every case has been final for SETTLE
    seconds with no 12345 visit due, or time is up. True if all final."""
    started = time.monotonic()
    submit_specials(sim)  # the day's test message and its late case (once per run: app.demo.workflow)
    submitter, workers = _start_threads(sim, arrivals, run_id, started)
    monitor = start_monitoring(sim, run_id)  # the tankers and the hot spot (once per run: app.demo.monitoring)
    senders = [submitter] + ([monitor] if monitor else [])
    display = Display(sim, len(arrivals), cases, started, limit, span, console)
    all_final = False
    try:
        display.start()
        all_final = _until_final(sim, senders, display, interrupted, started, limit)
    finally:
        sim.stop.set()
        display.stop()
        for w in workers + senders:
            w.join(timeout=10)
    return bool(all_final)


def _start_threads(sim: Sim, arrivals: list[Arrival], run_id: str,
                   started: float) -> tuple[threading.Thread, list[threading.Thread]]:
    """Start the reporters' thread (it sends the day) and, at every center, the thread watching its lists and
    WORKERS threads running its people's tasks."""
    workers = []
    for node in sim.nodes:
        workers.append(threading.Thread(target=center_loop, args=(sim, node), daemon=True))
        workers += [threading.Thread(target=work_loop, args=(sim, node), daemon=True) for _ in range(WORKERS)]
    submitter = threading.Thread(target=submit, args=(sim, arrivals, run_id, started), daemon=True)
    submitter.start()
    for w in workers:
        w.start()
    return submitter, workers


def _until_final(sim: Sim, senders: list[threading.Thread], display: Display, interrupted, started: float,
                 limit: float) -> bool:
    """Every second: check the centers are alive, refresh the cases (every 2 s) and the display; return once nothing
    is being sent any more (`senders`: the reporters' thread and the monitoring's) and every case has been final for
    SETTLE seconds (True), or when interrupted or out of time (False)."""
    final_since: float | None = None  # since when every case has been final with no visit due
    last_refresh = 0.0
    while True:
        time.sleep(1.0)
        dead = [n for n in sim.nodes if not n.center.alive()]
        if dead:
            raise DemoError(f"center {dead[0].region} stopped unexpectedly (exit {dead[0].center.process.returncode}); "
                            f"see {dead[0].center.log_path}")
        if time.monotonic() - last_refresh >= 2.0:
            last_refresh = time.monotonic()
            try:
                sim.refresh()
            except DemoError as exc:
                sim.stats.surprises.append(str(exc))
        sending = any(t.is_alive() for t in senders)
        if ready_to_escalate(sim, sending):  # the rest of the day is final: the late case's chain fires
            sim.script.late_state = "escalating"
            threading.Thread(target=escalate_late, args=(sim,), daemon=True).start()
        if sending or not sim.all_final():
            final_since = None
        elif final_since is None:
            final_since = time.monotonic()
        all_final = final_since is not None and time.monotonic() - final_since >= SETTLE
        display.update(all_final)
        if all_final or interrupted.is_set() or time.monotonic() - started > limit:
            return all_final
