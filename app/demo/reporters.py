"""The reporters of the simulated day: each arrival sent at its time to the gateway of its center by its channel —
grid workers' and desks' reports, the 12345 platform's orders (through its simulator, to the city), a citizens'
Open311 app, sensors' alerts, all-clears and heartbeats — and what the answers say about the cases they made."""
from __future__ import annotations

import queue
import threading
import time
from datetime import datetime

from app.demo.chain import Node
from app.demo.client import error_text
from app.demo.day import Arrival
from app.demo.errors import DemoError
from app.demo.sim import Sim
from app.simulators.hotline import HotlineError
from shared.clock import CHINA


def submit(sim: Sim, arrivals: list[Arrival], run_id: str, started: float, concurrency: int = 6) -> None:
    """Send the day's arrivals to their centers, each at its time (seconds after `started`)."""
    work: queue.Queue = queue.Queue()
    for i, arrival in enumerate(arrivals):
        work.put((i, arrival))
    repeated = {a.duplicate_of for a in arrivals if a.duplicate_of is not None}
    cleared = {a.storm for a in arrivals if a.storm and a.body.get("resolved")}

    def worker():
        while not sim.stop.is_set():
            try:
                i, arrival = work.get_nowait()
            except queue.Empty:
                return
            wait = started + arrival.at - time.monotonic()
            if wait > 0 and sim.stop.wait(wait):
                return
            # a unit holds a case a duplicate or an all-clear is about to reach (people.HOLD)
            awaited = i in repeated or (arrival.storm in cleared and not arrival.body.get("resolved"))
            _deliver(sim, arrival, f"demo-{run_id}-{i:05d}", awaited)

    threads = [threading.Thread(target=worker, daemon=True) for _ in range(concurrency)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    if sim.refused and not sim.entered:
        first = next(iter(sim.refused.values()))[0]
        raise DemoError(f"no center took any case; first refusal: {first}")


def _deliver(sim: Sim, arrival: Arrival, key: str, awaited: bool) -> None:
    """Send one arrival and record what came of it: a refusal, or the case it made or joined."""
    node = sim.by_region[arrival.center]
    try:
        case_id = _send(sim, node, arrival, key)
    except DemoError as exc:
        sim.refused.setdefault(arrival.channel, []).append(str(exc))
        return
    finally:
        sim.sent += 1
        sim.stats.inc(f"sent.{arrival.channel}")
    if case_id is None:
        return
    if awaited:
        sim.awaited.add(case_id)
    if arrival.duplicate_of is not None:
        sim.duplicates.add(case_id)
    if case_id not in sim.entered:
        sim.entered[case_id] = node.region
        sim.cases.setdefault(case_id, {"id": case_id, "status": "received", "center": node.region,
                                       "source": arrival.channel})


def _send(sim: Sim, node: Node, arrival: Arrival, key: str) -> str | None:
    """Send one arrival by its channel; the case it made or joined (None: a heartbeat, or no case said).
    Raises DemoError when the center does not take it."""
    if arrival.channel == "hotline":
        return _push_order(sim, arrival.body)
    if arrival.channel == "open311":
        return _open311(sim, node, arrival.body)
    if arrival.channel == "sensor":
        return _alert(sim, node, arrival)
    return _report(sim, node, arrival, key)


def _report(sim: Sim, node: Node, arrival: Arrival, key: str) -> str:
    """POST /api/v1/reports (grid worker or desk), now and then retried with the same Idempotency-Key."""
    token = node.tokens[arrival.role]
    r = node.http.call("POST", "/api/v1/reports", token, json=arrival.body, headers={"Idempotency-Key": key})
    if r.status_code != 202:
        raise DemoError(f"report at {node.label}: {error_text(r)}")
    case_id = r.json()["case_id"]
    if sim.chance(0.05):  # a lost answer: the app sends it again, and must get the same case
        again = node.http.call("POST", "/api/v1/reports", token, json=arrival.body,
                               headers={"Idempotency-Key": key})
        sim.replays += 1
        if again.status_code != 202 or again.json().get("case_id") != case_id:
            sim.stats.surprises.append(f"idempotent retry of {case_id} at {node.label} answered "
                                       f"{again.status_code} {again.text[:200]}")
    return case_id


def _push_order(sim: Sim, body: dict) -> str | None:
    """The 12345 platform pushes a work order to the city (signed; the simulator records order → case)."""
    try:
        return sim.hotline.push(body)
    except HotlineError as exc:
        raise DemoError(f"12345 order {body['order_no']}: {exc}") from None


def _open311(sim: Sim, node: Node, form: dict) -> str | None:
    """A citizens' app: Open311 GeoReport v2 POST requests.json, form-encoded, the api_key a citizen token,
    with answers to the questions the service definition marks required (`attribute[code]`)."""
    answers = {f"attribute[{a['code']}]": _answer(sim, a) for a in _attributes(sim, node, form["service_code"])
               if a.get("required")}
    r = node.http.call("POST", "/open311/v2/requests.json",
                       data={"api_key": node.tokens["citizen"], **form, **answers})
    if r.status_code not in (200, 201, 202):
        raise DemoError(f"Open311 request at {node.label}: {r.status_code} {r.text[:200]}")
    try:
        answer = r.json()[0]
    except (ValueError, LookupError, TypeError):
        raise DemoError(f"Open311 request at {node.label}: {r.status_code} with an answer that is not a list "
                        f"of requests: {r.text[:200]}") from None
    if not answer.get("service_request_id"):  # only a token: the request is queued, its id comes later
        sim.stats.inc("open311.token_only")
    return answer.get("service_request_id")


def _attributes(sim: Sim, node: Node, code: str) -> list[dict]:
    """The attributes of a service (GET services/{code}.json), read once per center and service."""
    key = (node.region, code)
    if key not in sim.service_attributes:
        r = node.http.call("GET", f"/open311/v2/services/{code}.json")
        sim.service_attributes[key] = r.json().get("attributes", []) if r.status_code == 200 else []
    return sim.service_attributes[key]


def _answer(sim: Sim, attribute: dict) -> str:
    """What the citizen answers to a required question: one of its values, now, or a short text."""
    if attribute.get("values"):
        return sim.rng.choice(attribute["values"])["key"]
    if attribute.get("datatype") == "datetime":
        return datetime.now(CHINA).isoformat(timespec="seconds")
    return "1" if attribute.get("datatype") == "number" else "不清楚"


def _alert(sim: Sim, node: Node, arrival: Arrival) -> str | None:
    """A sensor's alert, all-clear or heartbeat: POST /api/v1/alerts → {case_id, grouped}."""
    r = node.http.call("POST", "/api/v1/alerts", node.tokens["sensor"], json=arrival.body)
    if r.status_code != 202:
        raise DemoError(f"alert {arrival.body['alert_type']} from {arrival.body['sensor_id']} at "
                        f"{node.label}: {error_text(r)}")
    answer = r.json()
    if arrival.storm is None:
        sim.stats.inc("sensor.heartbeats")
        return answer["case_id"]
    storm = sim.storms.setdefault(arrival.storm, {"alerts": 0, "grouped": 0, "cases": set(), "all_clear": None})
    if arrival.body.get("resolved"):
        storm["all_clear"] = answer
    else:
        storm["alerts"] += 1
        storm["grouped"] += bool(answer["grouped"])
        if answer["case_id"]:
            storm["cases"].add(answer["case_id"])
    return answer["case_id"]
