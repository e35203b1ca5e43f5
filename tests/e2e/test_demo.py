"""`yiwang demo --once` end to end, as a user runs it: the chain of four centers on the real RabbitMQ (this module's
vhost) and PostgreSQL (databases of their own, dropped with the run's), a short day — and in it BRIEF.md scenarios 8
and 9 (issue 12): a tanker's red `dwell` at the closed plant and another's `route_deviation`, each with its case, and
a hot spot the township turned into a proactive task (未诉先办), all closed with the day. The summary's lines are what
the centers answer (app/demo/monitoring.py reads them back), so a missing warning or task fails here."""
import os
import random
import re
import socket
import subprocess
import sys

import pytest

PORTS = 6  # the four centers, the 12345 platform's simulator, the stub gateway


def _free_ports(n: int) -> int:
    """The first of `n` consecutive free ports."""
    for _ in range(50):
        base = random.randrange(20000, 40000)
        try:
            for port in range(base, base + n):
                with socket.socket() as s:
                    s.bind(("0.0.0.0", port))
        except OSError:
            continue
        return base
    raise RuntimeError("no block of free ports")


@pytest.mark.timeout(900)
def test_the_demos_day_shows_the_tankers_dwell_and_deviation_and_the_hot_spots_proactive_task(amqp_uri, database_url,
                                                                                              tmp_path):
    env = {**os.environ, "YIWANG_AMQP_URI": amqp_uri,
           "YIWANG_DATABASE_URL": database_url.replace("{region}", "demo_{region}")}
    for name in ("YIWANG_CLOCK_FILE", "YIWANG_HOTLINE_URL", "YIWANG_WEBHOOK_URL", "YIWANG_SMS_URL"):
        env.pop(name, None)
    cmd = [sys.executable, "-m", "app.cli", "demo", "--once", "--cases", "12", "--minutes", "8", "--seed", "5",
           "--port", str(_free_ports(PORTS))]
    r = subprocess.run(cmd, cwd=tmp_path, env=env, capture_output=True, text=True, timeout=840)  # var/ in tmp_path
    out = r.stdout
    assert r.returncode == 0, f"{out[-4000:]}\n{r.stderr[-3000:]}"
    section = out[out.index("监测预警 · the day's warnings"):out.index("渠道 · cases by channel")]
    dwell = re.search(r"dwell red (W320600-[0-9a-f]+) \(open\) — .*; at E-XD-02 \(closed, \d+ m\); reachable in 5 min: "
                      r"\d{6,9}", section)
    assert dwell, section
    assert re.search(r"route_deviation red W320600-[0-9a-f]+ \(open\)", section), section
    tanker_cases = re.findall(r"→ case (320600-\d{8}-\d+) \(source sensor, closed, urgent, category 1405, at 320600",
                              section)
    assert len(set(tanker_cases)) == 2, "one case per tanker, closed with the day"
    assert re.search(r"hotspot (yellow|red) W320612001-[0-9a-f]+ \(tasked\)", section), section
    task = re.search(r"未诉先办 tasked by .* → proactive case (320612001-\d{8}-\d+) \(source proactive, closed, \w+, "
                     r"category 1701, at 3206\d+", section)  # (its unit may have escalated it to the county)
    assert task, section
    assert "read back" not in section and "NOT tasked" not in section and "(problem:" not in section, section
