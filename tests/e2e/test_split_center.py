"""One center as several processes from one command (`yiwang run --split --scale intake=2`, app/supervisor.py): the
reports are taken in by two intake processes and dispatched; an intake process killed with SIGKILL is started again
and nothing is lost; SIGTERM drains every process and exits 0, leaving none behind. A scale the center cannot run
is refused with one clear line before anything starts."""
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from app.runner import StartupError
from app.supervisor import plan
from tests.e2e.test_center_http import Center, _wait_status

TOWN = "320612119"  # 张芝山镇: no other test runs this center
SERVICES = "intake,triage,dispatch,gateway"


def children(pid: int) -> dict[int, str]:
    """The processes whose parent is `pid`, with their command lines."""
    out = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
            if int(stat.rsplit(")", 1)[1].split()[1]) == pid:
                out[int(entry.name)] = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode()
        except (OSError, ValueError, IndexError):
            continue
    return out


def service_of(cmdline: str) -> str:
    return cmdline.split("--services ", 1)[1].split()[0]


def intakes(pid: int) -> set[int]:
    return {p for p, cmd in children(pid).items() if service_of(cmd) == "intake"}


@pytest.fixture(scope="module")
def center(amqp_uri, database_url):
    c = Center(TOWN, amqp_uri, database_url, services=SERVICES, extra_args=["--scale", "intake=2"])
    deadline = time.monotonic() + 60  # the gateway answers first; wait until the other processes are up too
    while len(children(c.proc.pid)) < 5 and time.monotonic() < deadline:
        time.sleep(0.2)
    yield c
    if c.proc.poll() is None:
        c.stop()


def report(center, headers, n: int) -> str:
    body = {"description": f"张芝山镇东方路路灯不亮（第{n}处）", "category": "0105", "region": TOWN,
            "location": {"lon": round(121.0 + n * 0.003, 6), "lat": round(31.93 + n * 0.003, 6), "address": f"东方路{n}号"}}
    r = center.http.post("/api/v1/reports", headers=headers, json=body)
    assert r.status_code == 202, r.text
    return r.json()["case_id"]


def test_one_command_runs_a_process_per_service_and_two_intakes(center):
    kids = children(center.proc.pid)
    assert sorted(service_of(c) for c in kids.values()) == ["dispatch", "gateway", "intake", "intake", "triage"], kids
    headers = center.token("dispatcher")
    ids = [report(center, headers, n) for n in range(12)]
    for case_id in ids:
        _wait_status(center, headers, case_id, "dispatched", timeout=30)


def test_a_killed_intake_process_is_started_again_and_nothing_is_lost(center):
    headers = center.token("dispatcher")
    before = intakes(center.proc.pid)
    victim = min(before)
    os.kill(victim, signal.SIGKILL)
    ids = [report(center, headers, 100 + n) for n in range(8)]  # the other intake takes them meanwhile
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline and not (len(intakes(center.proc.pid)) == 2 and victim not in intakes(center.proc.pid)):
        time.sleep(0.2)
    after = intakes(center.proc.pid)
    assert len(after) == 2 and victim not in after, f"intake not restarted: {before} → {after}\n{center.tail()}"
    for case_id in ids:
        _wait_status(center, headers, case_id, "dispatched", timeout=30)


def test_sigterm_stops_every_process_and_exits_0(center):
    kids = set(children(center.proc.pid))
    assert center.stop() == 0, center.tail()
    assert not [p for p in kids if Path(f"/proc/{p}").exists() and "zombie" not in _state(p)], "a process left behind"


def _state(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/status").read_text().split("State:", 1)[1].split("\n", 1)[0].lower()
    except (OSError, IndexError):
        return "gone"


def test_a_scale_the_center_cannot_run_is_refused():
    assert plan(["intake", "triage", "gateway"], {"intake": 3}) == ["intake", "intake", "intake", "triage", "gateway"]
    for scale, says in (({"gateway": 2}, "HTTP port"), ({"supervision": 2}, "timers"), ({"intake": 0}, "between 1"),
                        ({"feedback": 1}, "does not run")):
        with pytest.raises(StartupError, match=says):
            plan(["intake", "triage", "gateway", "supervision"], scale)
    cli = subprocess.run([sys.executable, "-m", "app.cli", "run", "--region", TOWN, "--scale", "gateway=2"],
                         capture_output=True, text=True, timeout=60,
                         env={**os.environ, "YIWANG_DATABASE_URL": "postgresql://nobody@127.0.0.1:1/none"})
    assert cli.returncode != 0 and "gateway runs as one process per center" in cli.stderr + cli.stdout
