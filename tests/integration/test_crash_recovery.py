"""kill -9 of a consuming process during a load loses nothing and doubles nothing: unacknowledged events are
redelivered to the restarted process, the inbox skips what was already done, the outbox re-sends what a
killed process had committed but not yet published."""
import signal
import threading
import time

from tests.e2e.test_center_http import Center, _report
from tests.support import wait_until

REGION = "320612120"


def _kill9(center):
    center.proc.send_signal(signal.SIGKILL)
    center.proc.wait(10)


def test_killing_triage_and_dispatch_mid_load_loses_and_doubles_nothing(amqp_uri, database_url):
    started: list[Center] = []

    def spawn(services):
        started.append(Center(REGION, amqp_uri, database_url, services=services))
        return started[-1]
    ids: list[str] = []
    loader = None
    try:
        front = spawn("gateway,intake,supervision,feedback")
        triage, dispatch = spawn("triage"), spawn("dispatch")
        grid, viewer = front.token("gridworker"), front.token("viewer")

        def load():
            for i in range(150):
                ids.append(_report(front, grid, description=f"第{i}号窨井盖缺失，行人容易踩空", category=None))
        loader = threading.Thread(target=load)
        loader.start()
        wait_until(lambda: len(ids) > 40, timeout=60, what="load under way")
        _kill9(triage)
        time.sleep(0.5)
        spawn("triage")
        wait_until(lambda: len(ids) > 90, timeout=60, what="more load")
        _kill9(dispatch)
        time.sleep(0.5)
        spawn("dispatch")
        loader.join(120)
        assert len(ids) == 150

        def all_dispatched():
            total = front.http.get("/api/v1/cases", headers=viewer,
                                   params={"status": "dispatched", "page_size": 1}).json()["total"]
            return total == len(ids)
        wait_until(all_dispatched, timeout=90, interval=0.5, what="every case dispatched")
        for case_id in ids:
            types = [t["type"] for t in front.http.get(f"/api/v1/cases/{case_id}", headers=viewer).json()["timeline"]]
            assert types == ["received", "triaged", "dispatched"], (case_id, types)
    finally:
        if loader is not None:
            loader.join(5)
        for c in started:
            if c.proc.poll() is None:
                c.stop()
