"""The chaos scenarios of QUALITY.md R1, R2, R4, R5 and R6, each against real center processes on vhosts and
databases of its own, each ending with the accounting of `tests.chaos.accounting`. `Sizes` says how big: `FULL`
is QUALITY.md's (`./taskw chaos`), `SHORT` is what `./taskw test` runs (tests/chaos/test_short.py).
What each does, and what its recovery figure measures: docs/chaos.md."""
from __future__ import annotations

import json
import subprocess
import threading
import time
import uuid
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, replace
from datetime import datetime
from functools import partial

import httpx
import sqlalchemy as sa

from tests.chaos import harness as h
from tests.chaos.accounting import Attempt, Expect, Tally, account, alpha, mark

TOWN_A = "320612001"                                 # R1, R2, R4: one township center (金沙街道)
CITY, COUNTY, TOWN = "320600", "320612", "320612107"  # R5, R6: the chain down to 十总镇
SPLIT = ("intake", "triage", "dispatch", "supervision", "feedback")
DISPATCHED = Expect("dispatched", ("received", "triaged", "dispatched"), (TOWN_A,))
ROUTED_DOWN = Expect("dispatched", ("received", "routed", "routed", "triaged", "dispatched"), (TOWN, COUNTY, CITY))
AT_TOWN = Expect("dispatched", ("received", "triaged", "dispatched"), (TOWN, COUNTY, CITY))
HOTLINE = Expect("closed", ("received", "triaged", "dispatched", "accepted", "resolved", "verified", "visited",
                            "closed"), (TOWN_A,), updates=("dispatched", "accepted", "resolved", "closed"))


@dataclass(frozen=True)
class Sizes:
    r1_cases: int = 5000
    r1_rate: float = 30.0        # reports a second offered (about what one split center takes on 2 cores)
    r1_pause: float = 3.0        # seconds a killed process stays dead
    r2_cases: int = 1000
    r2_rate: float = 15.0
    r2_down: float = 10.0        # seconds each server stays down
    r4_orders: int = 100
    r4_outage: float = 600.0     # the platform's outage, seconds of the centers' clock
    r4_speed: float = 5.0        # how much faster than real time the centers' clock runs in R4
    r5_cut: float = 600.0        # real seconds the federation link stays cut
    r5_rate: float = 0.5         # reports a second at the township and at the city while cut
    r6_cases: int = 1000
    settle_stall: float = 180.0  # give up waiting for the last cases after this long without progress


FULL = Sizes()
SHORT = Sizes(r1_cases=150, r1_rate=5.0, r1_pause=1.0, r2_cases=100, r2_rate=5.0, r2_down=5.0, r4_orders=12,
              r4_outage=30.0, r4_speed=3.0, r5_cut=15.0, r5_rate=1.0, r6_cases=10, settle_stall=90.0)


def _report(region: str, category: str = "0107", what: str = "井盖破损") -> Callable[[int, str], dict]:
    def body(i: int, key: str) -> dict:
        return {"description": f"第{i}号{what}，请尽快处理 {mark(key)}", "category": category, "region": region,
                "location": h.spread(i)}
    return body


def _garbage(i: int, key: str) -> dict:  # a township-tier category: the city routes it down to 十总镇
    return {"description": f"十总镇老街第{i}号门口暴露垃圾，气味很大 {mark(key)}", "category": "1101", "region": TOWN,
            "location": h.spread(i, lon=120.95, lat=32.05)}


def _reached(load: h.Load, accepted: float) -> bool:
    return load.accepted() >= accepted or load.done()


def _keys(box: h.Sandbox, tag: str) -> Callable[[int], str]:
    return lambda i: f"{tag}{box.letters}{alpha(i)}"


def _settle(tally_now: Callable[[], Tally], stall: float) -> float:
    def progress():
        t = tally_now()
        return t.attempted - t.lost, t.attempted
    return h.settle(progress, stall=stall)


def _parked(procs: list[h.Proc]) -> str:
    """What each center parked: dead letters and unroutable events, by type and where they were addressed."""
    from collections import Counter

    from app.composition import all_subscriptions
    from shared.messaging import dlq

    out = []
    for p in procs:
        try:
            parked = dlq.list_dead(p.amqp_uri, all_subscriptions(p.region), limit=10_000)
        except Exception as exc:  # noqa: BLE001 - a note, not a verdict
            out.append(f"{p.region}: could not list ({type(exc).__name__})")
            continue
        dead = Counter(f"{d.type} ({d.error})" for d in parked if not d.queue.endswith(".unroutable"))
        kept = Counter(f"{d.type} to {d.routing_key}" for d in parked if d.queue.endswith(".unroutable"))
        out.append(f"{p.region}: {sum(dead.values())} dead letters{_counted(dead)}, "
                   f"{sum(kept.values())} unroutable{_counted(kept)}")
    return "parked: " + "; ".join(out)


def _counted(c) -> str:
    return f" [{', '.join(f'{n}x {what}' for what, n in c.most_common(5))}]" if c else ""


def _event_times(database_url: str, center: str, kind: str) -> dict[str, float]:
    """case id → when the event of that type was recorded (epoch seconds, the centers' clock)."""
    url = database_url.replace("{region}", center).replace("postgresql://", "postgresql+psycopg2://", 1)
    engine = sa.create_engine(url, poolclass=sa.pool.NullPool)
    try:
        with engine.connect() as conn:
            rows = conn.execute(sa.text("SELECT case_id, min(at) FROM timeline WHERE type = :t GROUP BY case_id"),
                                {"t": kind}).all()
    finally:
        engine.dispose()
    return {case_id: at.timestamp() for case_id, at in rows}


def _split_center(box: h.Sandbox, uri: str, db: str, gateways: int) -> list[h.Proc]:
    """One township center as one process per service (and `gateways` gateways): the first gateway alone first
    (it creates and migrates the database), then the others together."""
    first = box.center(TOWN_A, uri, db, services="gateway")
    rest = [box.center(TOWN_A, uri, db, services="gateway", start=False) for _ in range(gateways - 1)]
    rest += [box.center(TOWN_A, uri, db, services=s, start=False) for s in SPLIT]
    for p in rest:
        p.start(wait=False)
    for p in rest:
        p.wait_ready()
    return [first, *rest]


# ---- R1: kill -9 of every process in turn ----------------------------------------------------------------------
def r1(size: Sizes) -> Tally:
    """A township center split into one process per service and two gateways behind the load's round-robin; during
    a load of `r1_cases` reports every process in turn is killed with SIGKILL, left dead `r1_pause` s and started
    again. Recovery: the longest a restarted process took to serve again."""
    started = time.monotonic()
    with h.Sandbox("r1") as box:
        uri, db = box.vhost("c"), box.database_url("c")
        procs = _split_center(box, uri, db, gateways=2)
        gateways = [p for p in procs if p.gateway]
        grid = gateways[0].token("gridworker")
        load = h.Load([g.url for g in gateways], grid, _report(TOWN_A), _keys(box, "ra"), rate=size.r1_rate,
                      concurrency=16, drop_every=25).start(size.r1_cases)
        h.say(f"R1: {size.r1_cases} reports at {size.r1_rate:g}/s over {len(procs)} processes "
              f"({', '.join(p.services or 'all' for p in procs)})")
        victims = [gateways[0], *[p for p in procs if not p.gateway], gateways[1]]
        ready: list[str] = []
        slowest = 0.0
        for n, p in enumerate(victims, 1):
            share = n * size.r1_cases / (len(victims) + 1)
            h.wait_for(partial(_reached, load, share), 3600, "the load's progress")
            p.kill9()
            h.say(f"R1: kill -9 {p.label} at {load.accepted()} accepted")
            time.sleep(size.r1_pause)
            took = p.start()
            slowest = max(slowest, took)
            ready.append(f"{p.services} {took:.1f} s")
        load.join()
        h.say(f"R1: load done ({load.accepted()} accepted); waiting for the cases to settle")

        def tally() -> Tally:
            return account("R1 kill -9", load.attempts.values(), h.observe(db, [TOWN_A]), {"report": DISPATCHED})
        _settle(tally, size.settle_stall)
        t = tally()
        t.recovery = slowest
        received = _event_times(db, TOWN_A, "received")
        retried = [a for a in load.attempts.values() if a.failures and a.answers]
        taken = sum(1 for a in retried if a.last_sent and received.get(a.case_id or "", a.last_sent) < a.last_sent - 0.05)
        dropped = sum(1 for a in retried if "answer dropped" in a.failures)
        t.notes += [f"{len(retried)} reports needed a retry ({', '.join(sorted({f for a in retried for f in a.failures}))}"
                    f"; every 25th report's first answer dropped by the client on purpose: {dropped}); {taken} of "
                    "them had been taken before their answer was lost (the retry with the same key must answer the "
                    "same case, else they are doubled)",
                    f"killed in turn, each dead {size.r1_pause:g} s, then serving again after: {', '.join(ready)}",
                    _parked(gateways[:1])]
    t.duration = time.monotonic() - started
    return t


# ---- R2: RabbitMQ, then PostgreSQL, stopped and started during a load --------------------------------------------
def r2(size: Sizes, server: str) -> Tally:
    """`server` ("RabbitMQ" or "PostgreSQL") stopped for `r2_down` s once a third of a load of `r2_cases` reports
    is accepted, then started; the load goes on. Recovery: from the server's return until every case accepted
    before it is dispatched and the first report answered after it too (every service back, end to end)."""
    stop, start = {"RabbitMQ": (h.stop_rabbitmq, h.start_rabbitmq),
                   "PostgreSQL": (h.stop_postgres, h.start_postgres)}[server]
    started = time.monotonic()
    h.ensure_servers()
    with h.Sandbox(f"r2{server[0].lower()}") as box:
        uri, db = box.vhost("c"), box.database_url("c")
        procs = _split_center(box, uri, db, gateways=1)
        grid = procs[0].token("gridworker")
        n = size.r2_cases
        load = h.Load([procs[0].url], grid, _report(TOWN_A), _keys(box, "rb"), rate=size.r2_rate,
                      concurrency=8).start(n)
        h.wait_for(lambda: load.accepted() >= n // 3, timeout=3600, what="a third of the load")
        h.say(f"R2: stopping {server} at {load.accepted()} accepted")
        try:
            stop()
            time.sleep(size.r2_down)
        finally:
            start()  # never leave the machine without it
        back = time.time()
        h.say(f"R2: {server} back after {size.r2_down:g} s down; {load.accepted()} accepted")
        load.join()
        if not any(a.answered_at and a.answered_at >= back for a in load.attempts.values()):
            load.start(10, first=n)  # the load ended during the outage: probes to measure recovery with
            load.join()

        def tally() -> Tally:
            return account(f"R2 {server}", load.attempts.values(), h.observe(db, [TOWN_A]), {"report": DISPATCHED})
        _settle(tally, size.settle_stall)
        t = tally()
        dispatched = _event_times(db, TOWN_A, "dispatched")
        answered = [(a.answered_at, a.case_id or "") for a in load.attempts.values() if a.answered_at]
        backlog = [case_id for at, case_id in answered if at < back]
        fresh = [dispatched[case_id] for at, case_id in answered if at >= back and case_id in dispatched]
        if fresh and all(c in dispatched for c in backlog):  # else something never got there: the accounting says
            drained = max((dispatched[c] for c in backlog), default=back) - back
            t.recovery = max(0.0, drained, min(fresh) - back)
            t.notes.append(f"the first report answered after the return dispatched {min(fresh) - back:.1f} s after "
                           "it; " + (f"every case accepted before it, {drained:.1f} s after it" if drained > 0 else
                                     "every case accepted before the outage was dispatched before it ended"))
        refused = sum(1 for a in load.attempts.values() if a.failures)
        failures = sorted({f for a in load.attempts.values() for f in a.failures})
        t.notes += [f"{server} down {size.r2_down:g} s; {refused} reports needed a retry"
                    + (f" ({', '.join(failures)})" if failures else ""),
                    _parked(procs[:1])]
    t.duration = time.monotonic() - started
    return t


# ---- R4: the 12345 platform down, then answering 500 and 429; the sender killed ----------------------------------
def r4(size: Sizes) -> Tally:
    """A township center taking 12345 orders, its feedback service (the 12345 sender) in a process of its own, the
    platform (app/simulators/hotline.py) down (503) from the start. `r4_orders` orders are taken and worked to
    `verified` while it is down; half-way through the outage the sender is killed with SIGKILL and started again;
    the last quarter the platform answers 500, then 429 with Retry-After; then it is back, and the sender is killed
    once more while it delivers. The outage lasts `r4_outage` seconds of the centers' clock, which runs `r4_speed`
    times as fast as the real one once the orders are verified. Recovery: from the platform's return until every
    update has arrived (real seconds)."""
    from app.simulators.hotline import HotlineSimulator
    from shared.clock import CHINA

    started = time.monotonic()
    with h.Sandbox("r4") as box:
        uri, db = box.vhost("c"), box.database_url("c")
        secret = "chaos-hotline-" + uuid.uuid4().hex
        port = h.free_port()
        clock_file = box.clock_file()
        env = {"YIWANG_HOTLINE_URL": f"http://{h.HOST}:{port}", "YIWANG_HOTLINE_SECRET": secret,
               "YIWANG_HOTLINE_POLL_SECONDS": "0.5"}
        main = box.center(TOWN_A, uri, db, services="gateway,intake,triage,dispatch,supervision",
                          env={**env, "YIWANG_CLOCK_FILE": clock_file})
        sender = box.center(TOWN_A, uri, db, services="feedback", env={**env, "YIWANG_CLOCK_FILE": clock_file})
        token = main.token("hotline")["Authorization"].split()[1]
        sim = HotlineSimulator(main.url, token, secret, port=port, seed=4, visit_delay=0.5, mix={"satisfied": 1.0})
        sim.start()
        box.closers.append(sim.stop)
        sim.set_faults(down=True)
        t_down = time.monotonic()
        down_at = time.time()  # the centers' clock reads the same now: its offset is 0 until the clock runs fast
        clock = h.FastClock(clock_file, size.r4_speed)

        def outage_done(share: float) -> Callable[[], bool]:
            return lambda: time.time() + clock.offset() - down_at >= share * size.r4_outage
        h.say(f"R4: platform down for {size.r4_outage:g} s of the centers' clock; {size.r4_orders} orders")
        dispatcher, viewer = main.token("dispatcher"), main.token("viewer")
        handlers: dict[str, dict] = {}
        lock = threading.Lock()
        attempts: dict[str, Attempt] = {}
        driven: list[str] = []
        client = httpx.Client(base_url=main.url, timeout=15)
        box.closers.append(client.close)

        def act(case_id: str, action: str, headers: dict, body: dict) -> None:
            key = f"{case_id}-{action}"
            for _ in range(60):
                r = client.post(f"/api/v1/cases/{case_id}/{action}", json=body, headers={**headers, "Idempotency-Key": key})
                if r.status_code == 200:
                    return
                if r.status_code not in h.RETRY_STATUSES:
                    raise RuntimeError(f"{action} {case_id}: {r.status_code} {r.text[:300]}")
                time.sleep(1)
            raise RuntimeError(f"{action} {case_id}: no 200 in 60 tries")

        def one(i: int) -> None:
            order_no = f"ORD{box.letters}{alpha(i)}".upper()
            body = {"order_no": order_no, "channel": "phone", "kind": "complaint", "title": "井盖破损",
                    "content": f"第{i}号小区门口的污水井盖破损，晚上路过很危险", "caller": {"name": "刘先生", "phone": "13911112222"},
                    "address": f"人民路{i}号", "location": h.spread(i), "region": TOWN_A, "category": "0107",
                    "urgent": False, "received_at": datetime.now(CHINA).replace(microsecond=0).isoformat()}
            a = Attempt(order_no, "order", first_sent=time.time())
            with lock:
                attempts[order_no] = a
            while not a.answers and time.time() - a.first_sent < 300:
                a.tries += 1
                try:
                    case_id = sim.push(body)
                except Exception as exc:  # noqa: BLE001 - counted; retried with the same order number
                    a.failures.append(type(exc).__name__)
                    time.sleep(1)
                    continue
                a.answers.append(case_id or "")
            if not a.case_id:
                return
            case_id = a.case_id
            case = h.wait_for_case(client, viewer, case_id, lambda c: c["status"] == "dispatched", timeout=300)
            with lock:
                if case["unit"] not in handlers:
                    handlers[case["unit"]] = main.token("handler", unit=case["unit"])
                handler = handlers[case["unit"]]
            act(case_id, "accept", handler, {})
            act(case_id, "resolve", handler, {"note": "已更换井盖"})
            act(case_id, "verify", dispatcher, {"passed": True})
            with lock:
                driven.append(case_id)

        with ThreadPoolExecutor(8) as pool:
            for f in [pool.submit(one, i) for i in range(size.r4_orders)]:
                f.result()
        worked = time.monotonic() - t_down
        h.say(f"R4: {len(driven)} orders taken and verified while the platform is down ({worked:.0f} s)")
        if size.r4_speed != 1:
            # Only now: every process reads the clock file once a second, so while it runs fast their clocks
            # disagree by up to (speed - 1) s, and two steps of one case recorded that close together by two
            # processes could be stamped out of order (docs/chaos.md). From here on a case's next event is
            # minutes of its clock away from its last.
            clock.start()
            box.closers.append(clock.stop)
        h.wait_for(outage_done(1 / 2), timeout=3600, what="half the outage")
        sender.kill9()
        h.say("R4: kill -9 the 12345 sender (feedback) half-way through the outage")
        time.sleep(1)
        sender.start()
        h.wait_for(outage_done(3 / 4), timeout=3600, what="3/4 of the outage")
        sim.set_faults(fail_rate=1.0)
        h.say("R4: the platform answers 500")
        h.wait_for(outage_done(7 / 8), timeout=3600, what="7/8 of the outage")
        sim.set_faults(throttle=10)  # Retry-After: 10 (seconds of the centers' clock for the sender)
        h.say("R4: the platform answers 429 with Retry-After")
        h.wait_for(outage_done(1), timeout=3600, what="the outage's end")
        sim.set_faults()
        back = time.monotonic()
        outage_real = back - t_down
        h.say("R4: the platform is back")

        def delivered() -> int:
            return sum(len(o["updates"]) for o in sim.state()["orders"])
        try:
            h.wait_for(lambda: delivered() >= max(1, len(driven)), timeout=120, what="the first deliveries")
            sender.kill9()
            h.say(f"R4: kill -9 the 12345 sender while it delivers ({delivered()} updates in)")
            time.sleep(1)
            sender.start()
        except RuntimeError as exc:
            h.say(f"R4: {exc}; the second kill is skipped")

        def updates() -> dict[str, list[str]]:
            return {o["order_no"]: o["updates"] for o in sim.state()["orders"]}

        def tally() -> Tally:
            return account("R4 12345 down", attempts.values(),
                           h.observe(db, [TOWN_A], key_of=lambda row: row["external_ref"]),
                           {"order": HOTLINE}, updates=updates())
        _settle(tally, size.settle_stall)
        t = tally()
        everything = time.monotonic()
        t.recovery = everything - back if t.ok == len(attempts) else None
        totals = sim.state()["totals"]
        compressed = (f"{size.r4_outage:g} s of outage by the centers' clock in {outage_real:.0f} s real (the clock "
                      f"ran {size.r4_speed:g}x once the {worked:.0f} s of taking and working the orders were over, "
                      "until the end)" if size.r4_speed != 1 else f"{size.r4_outage:g} s of outage, real time")
        t.notes += [compressed + "; 503 for the first 3/4 (sender killed half-way), then 500, then 429",
                    "the platform counted: " + json.dumps({k: totals[k] for k in (
                        "updates_received", "duplicates", "out_of_order", "bad_signatures", "faults_injected")}),
                    _parked([main])]
        if size.r4_speed != 1:
            clock.stop()
    t.duration = time.monotonic() - started
    return t


# ---- R5: a federation link cut -------------------------------------------------------------------------------------
def r5(size: Sizes) -> Tally:
    """City, county and township each on a vhost of its own (standing for its own broker), linked by exchange
    federation (infra/rabbitmq/federate.sh), the township's link to the county through a TCP proxy. The proxy is cut
    (every connection reset, new ones refused) for `r5_cut` s while reports arrive at the township (handled there)
    and at the city (routed down: they wait at the county's side of the link); then mended.
    Recovery: from the link's return until every case is everywhere it must be."""
    started = time.monotonic()
    with h.Sandbox("r5") as box:
        subprocess.run(["rabbitmq-plugins", "-q", "enable", "rabbitmq_federation"], check=True, timeout=120,
                       capture_output=True)
        uris = {code: box.vhost(code) for code in (CITY, COUNTY, TOWN)}
        db = box.database_url("fed")
        centers = {code: box.center(code, uris[code], db, env={"YIWANG_FEDERATED": "true"}, start=False)
                   for code in (CITY, COUNTY, TOWN)}
        for c in centers.values():
            c.start(wait=False)
        for c in centers.values():
            c.wait_ready()
        proxy = h.TcpProxy((h.HOST, 5672)).start()
        box.closers.append(proxy.close)

        def via_proxy(code: str) -> str:
            return uris[code].replace(":5672/", f":{proxy.port}/")
        for parent, child, parent_uri, child_uri in ((CITY, COUNTY, uris[CITY], uris[COUNTY]),
                                                     (COUNTY, TOWN, via_proxy(COUNTY), via_proxy(TOWN))):
            subprocess.run(["bash", str(h.FEDERATE), _vhost(uris[parent]), parent_uri, _vhost(uris[child]),
                            child_uri, child], check=True, timeout=120, capture_output=True)
        for vhost_of, key in ((CITY, f"{CITY}.{COUNTY}.routed"), (COUNTY, f"{CITY}.{COUNTY}.{TOWN}.routed"),
                              (TOWN, f"{CITY}.{COUNTY}.{TOWN}.#"), (COUNTY, f"{CITY}.{COUNTY}.#")):
            h.wait_for(partial(_bound, _vhost(uris[vhost_of]), key), 120, f"federation binding {key} on {vhost_of}'s broker")
        town, city = centers[TOWN], centers[CITY]
        town_load = h.Load([town.url], town.token("gridworker"), _report(TOWN, "1101", "门口暴露垃圾"),
                           _keys(box, "rt"), kind="town", rate=size.r5_rate, concurrency=4)
        city_load = h.Load([city.url], city.token("dispatcher"), _garbage, _keys(box, "rc"), kind="city",
                           rate=size.r5_rate, concurrency=4)
        town_load.start(3).join()
        city_load.start(3).join()  # linked: these cross at once
        n = max(1, int(size.r5_cut * size.r5_rate * 0.8))
        proxy.cut()
        cut_at, cut_epoch = time.monotonic(), time.time()
        h.say(f"R5: link 320612 <-> {TOWN} cut (proxy closed, connections reset) for {size.r5_cut:g} s; "
              f"{n} reports at each side meanwhile")
        town_load.start(n, first=3)
        city_load.start(n, first=3)
        town_load.join()
        city_load.join()
        h.wait_for(lambda: time.monotonic() - cut_at >= size.r5_cut, timeout=3600, what="the cut's end")
        town_keys = {k for k, a in town_load.attempts.items() if a.answers and a.first_sent >= cut_epoch}
        city_keys = {k for k, a in city_load.attempts.items() if a.answers and a.first_sent >= cut_epoch}

        def while_cut() -> tuple[int, int, int]:
            """(township reports dispatched at the township, city reports the county routed to the township,
            cases of either that crossed the cut link)."""
            seen = h.observe(db, [CITY, COUNTY, TOWN])
            handled = {c.key for c in seen if c.center == TOWN and c.key in town_keys and c.status == "dispatched"}
            routed = {c.key for c in seen if c.center == COUNTY and c.key in city_keys and c.owner == TOWN}
            crossed = {c.key for c in seen if (c.center == TOWN and c.key in city_keys)
                       or (c.center != TOWN and c.key in town_keys)}
            return len(handled), len(routed), len(crossed)
        try:  # both sides keep working: wait for it (the link stays cut meanwhile)
            h.wait_for(lambda: while_cut()[:2] == (len(town_keys), len(city_keys)), 120, "work on both sides")
        except RuntimeError:
            pass
        handled, routed, crossed = while_cut()
        proxy.mend()
        back = time.monotonic()
        cut_for = back - cut_at
        h.say(f"R5: link mended after {cut_for:.0f} s; while cut the township dispatched {handled}/{len(town_keys)} "
              f"of its reports, the county routed {routed}/{len(city_keys)} of the city's towards it, {crossed} "
              "crossed the cut link")
        attempts = [*town_load.attempts.values(), *city_load.attempts.values()]

        def tally() -> Tally:
            return account("R5 link cut", attempts, h.observe(db, [CITY, COUNTY, TOWN]),
                           {"town": AT_TOWN, "city": ROUTED_DOWN})
        _settle(tally, size.settle_stall)
        t = tally()
        t.recovery = time.monotonic() - back if t.ok == len(attempts) else None
        t.notes += [f"cut {cut_for:.0f} s by closing a TCP proxy the township's link to the county ran through (every "
                    f"connection reset, new ones refused); meanwhile the township dispatched {handled}/{len(town_keys)} "
                    f"of its reports, the county routed {routed}/{len(city_keys)} of the city's towards it, and "
                    f"{crossed} cases crossed the link (must be 0)", _parked(list(centers.values()))]
        if crossed:
            t.broken.append(f"{crossed} cases crossed the link while it was cut: the cut was not real")
        if (handled, routed) != (len(town_keys), len(city_keys)):
            t.broken.append(f"while cut, the township dispatched only {handled}/{len(town_keys)} of its reports and "
                            f"the county routed {routed}/{len(city_keys)} of the city's")
    t.duration = time.monotonic() - started
    return t


def _vhost(uri: str) -> str:
    return uri.rsplit("/", 1)[1]


def _bound(vhost: str, key: str) -> bool:
    """Whether a federation link binds `key` to `yiwang.chain` on the vhost (mirrored from the downstream)."""
    out = h.rabbitmqctl("list_bindings", "-p", vhost, "source_name", "destination_name", "routing_key").stdout
    return key in {line.split("\t")[2] for line in out.splitlines()
                   if line.startswith("yiwang.chain\tfederation:") and line.count("\t") == 2}


# ---- R6: cases handed to centers that are not running --------------------------------------------------------------
def r6(size: Sizes) -> Tally:
    """The city runs alone and routes `r6_cases` reports down towards township 十总镇 (via county 320612): the first
    half while neither runs, the next third once the county runs, the rest once the township has run and been
    killed (SIGKILL); then the township starts again. Recovery: from the township's (last) start until every case is
    dispatched there and its copies are up to date at the county and the city."""
    started = time.monotonic()
    with h.Sandbox("r6") as box:
        uri, db = box.vhost("c"), box.database_url("c")
        city = box.center(CITY, uri, db)
        load = h.Load([city.url], city.token("dispatcher"), _garbage, _keys(box, "rd"), kind="city", concurrency=8)
        n = size.r6_cases
        first, second = n // 2, n // 3
        load.start(first).join()
        inbound = f"yiwang.{COUNTY}.triage.route"
        h.wait_for(lambda: h.messages_in(uri, inbound) >= first, 300, "the hand-overs waiting in the county's queue")
        h.say(f"R6: {first} cases wait in {inbound} for a county that never ran")
        county = box.center(COUNTY, uri, db)
        load.start(second, first=first).join()
        town = box.center(TOWN, uri, db)
        town.kill9()
        h.say(f"R6: county started; the township ran and was killed; {n - first - second} more cases")
        load.start(n - first - second, first=first + second).join()
        time.sleep(2)
        town.start()
        back = time.monotonic()

        def tally() -> Tally:
            return account("R6 not running", load.attempts.values(), h.observe(db, [CITY, COUNTY, TOWN]),
                           {"city": ROUTED_DOWN})
        _settle(tally, size.settle_stall)
        t = tally()
        t.recovery = time.monotonic() - back if t.ok == len(load.attempts) else None
        t.notes.append(_parked([city, county, town]))
    t.duration = time.monotonic() - started
    return t


SCENARIOS: dict[str, Callable[[Sizes], list[Tally]]] = {
    "R1": lambda s: [r1(s)],
    "R2": lambda s: [r2(s, "RabbitMQ"), r2(s, "PostgreSQL")],
    "R4": lambda s: [r4(s)],
    "R5": lambda s: [r5(s)],
    "R6": lambda s: [r6(s)],
}


def sized(base: Sizes, cases: int | None = None, outage: float | None = None, down: float | None = None,
          rate: float | None = None) -> Sizes:
    """`base` with the load (`cases`: R1, R2, R6 reports; R4 orders), the outage (R4's, R5's), R2's time down or
    R1's and R2's offered rate changed."""
    s = base
    if rate:
        s = replace(s, r1_rate=rate, r2_rate=rate)
    if down:
        s = replace(s, r2_down=down)
    if cases:
        s = replace(s, r1_cases=cases, r2_cases=cases, r6_cases=cases, r4_orders=cases)
    if outage:
        s = replace(s, r4_outage=outage, r5_cut=outage)
    return s
