"""QUALITY R2 drill: restart RabbitMQ, then PostgreSQL, during a load on a running center, and report whether
every accepted case reaches `dispatched` by itself, how long recovery took, and whether anything was doubled.

    ./taskw drill            (needs root: it stops and starts the machine's RabbitMQ and PostgreSQL)

Not part of `./taskw test`: it bounces shared services. Uses its own vhost and database, removed at the end."""
import eventlet

eventlet.monkey_patch()  # noqa: E402

import subprocess  # noqa: E402
import threading  # noqa: E402
import time  # noqa: E402

import sqlalchemy as sa  # noqa: E402

from tests.e2e.test_center_http import REPORT, Center  # noqa: E402
from tests.support import somewhere  # noqa: E402

PG = "$(ls /etc/postgresql)"
OUTAGES = {
    "RabbitMQ": ("rabbitmqctl -q stop_app", "rabbitmqctl -q start_app"),
    "PostgreSQL": (f"pg_ctlcluster --skip-systemctl-redirect {PG} main stop -m fast",
                   f"pg_ctlcluster --skip-systemctl-redirect {PG} main start"),
}


def drill(name: str, stop: str, start: str, cases: int = 200, down_seconds: float = 5.0) -> None:
    vhost, region = f"yiwang-drill-{int(time.time())}", "320612003"
    db = f"yw_drill_{region}"
    subprocess.run(["rabbitmqctl", "-q", "add_vhost", vhost], check=True)
    subprocess.run(["rabbitmqctl", "-q", "set_permissions", "-p", vhost, "guest", ".*", ".*", ".*"], check=True)
    center = Center(region, f"amqp://guest:guest@127.0.0.1:5672/{vhost}",
                    "postgresql://postgres@127.0.0.1:5432/yw_drill_{region}")
    try:
        grid, viewer = center.token("gridworker"), center.token("viewer")
        accepted, refused = [], []

        def load():
            for i in range(cases):
                try:
                    r = center.http.post("/api/v1/reports", headers=grid, json={**REPORT, "description": f"第{i}号井盖破损",
                                                                                   "location": somewhere()})
                    (accepted.append(r.json()["case_id"]) if r.status_code == 202 else refused.append(r.status_code))
                except Exception as exc:  # noqa: BLE001 - counted, reported
                    refused.append(type(exc).__name__)
                time.sleep(0.05)
        loader = threading.Thread(target=load)
        loader.start()
        time.sleep(3)
        subprocess.run(stop, shell=True, check=True)
        time.sleep(down_seconds)
        subprocess.run(start, shell=True, check=True)
        back = time.monotonic()
        loader.join()
        dispatched, deadline = 0, time.monotonic() + 120
        while time.monotonic() < deadline:
            try:
                dispatched = center.http.get("/api/v1/cases", headers=viewer,
                                             params={"status": "dispatched", "page_size": 1}).json()["total"]
            except Exception:  # noqa: BLE001 - the center may still be reconnecting
                pass
            if dispatched == len(accepted):
                break
            time.sleep(1)
        recovered = time.monotonic() - back
        odd = sum([t["type"] for t in center.http.get(f"/api/v1/cases/{c}", headers=viewer).json()["timeline"]]
                  != ["received", "triaged", "dispatched"] for c in accepted)
        print(f"{name} down {down_seconds:.0f} s during a load of {cases}: accepted {len(accepted)}, refused "
              f"{len(refused)} {sorted(set(map(str, refused)))}, dispatched {dispatched}/{len(accepted)}, "
              f"all dispatched {recovered:.1f} s after {name} returned, cases with another timeline: {odd}")
    finally:
        center.stop()
        subprocess.run(["rabbitmqctl", "-q", "delete_vhost", vhost], check=False)
        engine = sa.create_engine("postgresql+psycopg2://postgres@127.0.0.1:5432/postgres", isolation_level="AUTOCOMMIT")
        with engine.connect() as conn:
            conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{db}" WITH (FORCE)'))
        engine.dispose()


if __name__ == "__main__":
    for name, (stop, start) in OUTAGES.items():
        drill(name, stop, start)
