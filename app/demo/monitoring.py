"""The day's monitoring (监测预警; BRIEF.md scenarios 8 and 9, CONTRACTS.md §7, docs/warnings.md): besides the
reports, orders and sensor storms of the day, every run shows warnings the centers raise themselves and what the
centers do with them.

- 危化品车辆 (scenario 8): two tankers' trackers stream their positions to the city (`POST /api/v1/tracks` with the
  city's sensor token: a tracking platform holds a city token), the trips laid by the vehicle-track simulator
  (app.simulators.tracks). The first stops STAY_MINUTES at a closed plant of the reference data
  (services/warning/data/enterprises.toml) and is still there at its last fix: a red `dwell`, with the area it can
  reach in 5 minutes and the teams there, and a case the city dispatches to 应急管理局 (lead) and 公安 (assisting).
  The second leaves its permitted route on 世纪大道: a `route_deviation`, and a case of its own (one case per
  vehicle). The trips end now on the chain's clock — at night, before the tankers' night ban began, so that no
  `night_driving` joins in.
- 类案高发 → 未诉先办 (scenario 9): HOTSPOT_REPORTS noise complaints (噪声扰民) around one street market of the first
  township, by its grid workers and at its desk (most are merged into the first: 并单), raise a `hotspot` there. On a
  center with no history the count needed is the rule's `min_cases` (services/warning/data/warnings.toml: 10 for
  1701): a 2 × 2 block of cells never seen before expects 4 × 0.05 × 7 = 1.4 cases a week, and 10 of them have a
  Poisson tail far below `p_max`. The township's dispatcher finds the warning (`GET /api/v1/warnings?kind=hotspot`)
  and opens a proactive task (`POST /api/v1/warnings/{id}/act {"action": "task"}`): a case of source `proactive`,
  routed and dispatched like any case, which the township's people then work to its close.

The plans are pure (`plan_tankers`, `plan_hotspot`: reproducible with a seed; unit-tested against the detectors).
`start` plays them once per run, in a thread of its own while the day goes on (app.demo.driver waits for it);
`monitoring_lines` reads back from the centers what came of them, for the summary.
"""
from __future__ import annotations

import math
import random
import threading
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from app.demo.client import error_text, expect
from app.demo.errors import DemoError
from app.demo.places import ESTATES, ROADS, full_name, nudge, scatter
from app.demo.reports import CITIZENS, GRID_WORKERS, DemoReport
from app.simulators import tracks
from shared.catalog import Catalog
from shared.clock import CHINA
from shared.geo import distance_m

if TYPE_CHECKING:  # (sim imports this module)
    from app.demo.chain import Node
    from app.demo.sim import Sim

#: the tankers of the day: what each shows (the warning kind it is meant to raise)
TANKER_EVENTS = ("dwell", "route_deviation")
STAY_MINUTES = 25.0        # the first tanker's stay at the closed plant (BRIEF.md scenario 8)
TRACK_BATCH_S = 300        # each tracker batch holds this many seconds of its track (a trip is sent in ~20 batches)
BATCH_PAUSE = 0.4          # seconds between two rounds of batches: the trackers stream while the day goes on
#: the hot spot: how many complaints, of which category, how far around the market, and what they say
HOTSPOT_REPORTS = 11       # "eleven complaints" (BRIEF.md scenario 9); the rule needs min_cases (10) on a new center
HOTSPOT_CATEGORY = "1701"  # 噪声扰民
HOTSPOT_METRES = (20.0, 150.0)
HOTSPOT_AWAY_M = 2000.0    # a new market this far from every earlier hot spot's centre (a run on the same databases)
HOTSPOT_TEXTS = ("{place}马路市场每天凌晨四点就开始摆摊，喇叭叫卖声吵得人睡不着",
                 "{place}夜市音响开得很大，晚上十点以后还在放歌，噪音扰民",
                 "{place}早市商贩用高音喇叭循环叫卖，噪音太吵，老人孩子休息不好",
                 "{place}市场卸货和叫卖的噪声很大，反映多次了还是老样子")
HOTSPOT_SIDES = ("东口", "西口", "南侧", "北侧", "对面居民楼", "旁边的小区")
REPORT_PAUSE = 0.3         # seconds between two of the complaints
WARNING_WAIT = 30.0        # seconds to wait for the hot spot's warning after the last complaint
TASK_NOTE = "未诉先办：联合市场监管所整治马路市场噪声，规范早市经营时间和高音喇叭使用"


@dataclass(frozen=True)
class Tanker:
    """One tanker of the day: the warning kind it is meant to raise, its trip (the simulator's, with its truth) and,
    for a stay, the place."""

    event: str                 # "dwell" or "route_deviation" (TANKER_EVENTS)
    trip: tracks.VehicleDay
    place: str | None = None   # the closed plant it stops at (an enterprise's id)


@dataclass(frozen=True)
class Hotspot:
    """The hot spot of the day: the township, the street market and its point, and the complaints about it."""

    town: str
    market: str
    spot: tuple[float, float]
    reports: list[DemoReport]


@dataclass
class Monitoring:
    """What the day's monitoring needs and what came of it (shared by the demo's threads)."""

    started: bool = False
    state: str = ""            # tankers → hotspot → done
    tankers: list[Tanker] = field(default_factory=list)
    batches: int = 0           # tracker batches sent, and their points
    points: int = 0
    raised: dict[str, list[dict]] = field(default_factory=dict)  # vehicle id → the warnings the tracks answer named
    hotspot: Hotspot | None = None
    reports: list[str] = field(default_factory=list)  # the complaints' cases
    warning_id: str | None = None                     # the hot spot's warning
    task_case: str | None = None                      # the proactive case (未诉先办) it was turned into
    notes: list[str] = field(default_factory=list)    # what did not come as meant, one line each


# ---- the plans (pure) ---------------------------------------------------------------------------------------------
def closed_plant(fleet: tracks.Fleet) -> str:
    """The first closed enterprise of the reference data that the tankers' route passes close enough to turn off to."""
    route = tracks.route_line(fleet.routes[tracks.TRIP_ROUTE])
    for plant in fleet.enterprises("closed"):
        try:
            fleet.turn_off("hazmat", "", route, plant.id)
        except ValueError:
            continue
        return plant.id
    raise DemoError(f"no closed enterprise in services/warning/data/enterprises.toml lies by the tankers' route "
                    f"{tracks.TRIP_ROUTE} (routes.toml): the day's tanker has nowhere to stop")


def plan_tankers(seed: int | str, now: datetime, run_id: str, fleet: tracks.Fleet | None = None) -> list[Tanker]:
    """The day's tankers (TANKER_EVENTS), vehicle ids `HZ-{run_id}-1` and `-2` (new vehicles every run): the first
    stops STAY_MINUTES at `closed_plant` and is still there at its last fix; the second leaves its route on 世纪大道
    and drives on to the licensed plant at the route's end. Each trip ends at `now`, or — when it would touch the
    tankers' forbidden hours — as late before `now` as keeps it out of them (`tracks.daytime_end`). Reproducible."""
    fleet = fleet or tracks.Fleet()
    rng = random.Random(f"{seed}-tankers")
    now = now.astimezone(CHINA).replace(microsecond=0)
    plant = closed_plant(fleet)
    out = []
    for n, event in enumerate(TANKER_EVENTS, 1):
        vehicle, plate = f"HZ-{run_id}-{n}", f"苏FD{rng.randrange(10000):04d}"
        if event == "dwell":
            trip = tracks.tanker_trip(rng, fleet, vehicle, plate, now, stop_at=plant, stay_minutes=STAY_MINUTES)
        else:
            trip = tracks.tanker_trip(rng, fleet, vehicle, plate, now, deviate=True)
        end = tracks.daytime_end(now, trip.duration.total_seconds() / 3600)
        out.append(Tanker(event, trip if end == now else tracks.shifted(trip, end), plant if event == "dwell" else None))
    return out


def plan_hotspot(seed: int | str, town: str, catalog: Catalog, now: datetime,
                 avoid: list[tuple[float, float]] | None = None) -> Hotspot:
    """HOTSPOT_REPORTS noise complaints (HOTSPOT_CATEGORY, named) around one street market of `town`, each within
    HOTSPOT_METRES of it (so all lie in one 2 × 2 block of the hot-spot grid): two of three by grid workers on patrol,
    the rest residents at the township's desk. The market lies HOTSPOT_AWAY_M from every point of `avoid` (earlier hot
    spots' centres) if one of 50 draws does, else as far from them as drawn. Reproducible."""
    rng = random.Random(f"{seed}-hotspot-{town}")
    now = now.astimezone(CHINA).replace(microsecond=0)
    spots = [scatter(rng, town, catalog) for _ in range(50)]

    def away(s: tuple[float, float]) -> float:
        return min((distance_m(s[0], s[1], a[0], a[1]) for a in avoid or []), default=math.inf)

    spot = next((s for s in spots if away(s) >= HOTSPOT_AWAY_M), max(spots, key=away))
    market = f"{rng.choice(ROADS)}马路市场"
    prefix, here = full_name(town, catalog), catalog.regions.name(town)
    reports = []
    for n in range(HOTSPOT_REPORTS):
        lon, lat = nudge(rng, *spot, *HOTSPOT_METRES)
        side = rng.choice(HOTSPOT_SIDES + tuple(f"旁{e}" for e in ESTATES[:3]))
        text = rng.choice(HOTSPOT_TEXTS).format(place=f"{market}{side}")
        body: dict = {"category": HOTSPOT_CATEGORY, "region": town,
                      "location": {"lon": lon, "lat": lat, "address": f"{prefix}{market}{side}"},
                      "occurred_at": (now - timedelta(minutes=rng.randint(5, 180))).isoformat()}
        if n % 3 != 2:
            body["description"] = f"巡查发现：{text}（周边居民反映，第{rng.randint(1, 24)}网格）"
            body["reporter"] = {"name": f"{here}网格员{rng.choice(GRID_WORKERS)}", "phone": _phone(rng)}
            reports.append(DemoReport("gridworker", HOTSPOT_CATEGORY, body))
        else:
            body["description"] = f"群众反映：{text}"
            body["reporter"] = {"name": rng.choice(CITIZENS), "phone": _phone(rng)}
            reports.append(DemoReport("dispatcher", HOTSPOT_CATEGORY, body))
    return Hotspot(town, market, spot, reports)


def _phone(rng: random.Random) -> str:
    return rng.choice(("13", "15", "18")) + "".join(str(rng.randrange(10)) for _ in range(9))


# ---- playing them -------------------------------------------------------------------------------------------------
def start(sim: Sim, run_id: str) -> threading.Thread | None:
    """Once per run: play the day's monitoring in a thread of its own (None when it has been started already)."""
    m = sim.monitoring
    if m.started:
        return None
    m.started = True
    thread = threading.Thread(target=play, args=(sim, run_id), daemon=True)
    thread.start()
    return thread


def play(sim: Sim, run_id: str) -> None:
    """The tankers, then the hot spot; what fails goes to `notes` (and to the problems the summary shows)."""
    m = sim.monitoring
    for state, step in (("tankers", stream_tankers), ("hotspot", raise_hotspot)):
        m.state = state
        try:
            step(sim, run_id)
        except DemoError as exc:
            _note(sim, str(exc))
        except Exception as exc:  # noqa: BLE001 - the demo goes on; the summary says what failed
            _note(sim, f"{state}: {type(exc).__name__}: {exc}")
    m.state = "done"


def stream_tankers(sim: Sim, run_id: str) -> None:
    """The tankers' trackers send their batches to the city, taking turns, BATCH_PAUSE apart; each warning named in an
    answer brings its vehicle's case into the day."""
    m, city = sim.monitoring, sim.city
    token = city.tokens.get("sensor")
    if token is None:
        raise DemoError(f"{city.label} has no sensor token: the tankers' tracks cannot be sent")
    m.tankers = plan_tankers(sim.seed, sim.script.now(), run_id)
    rng = random.Random(f"{sim.seed}-trackers")
    queues = [tracks.batches(t.trip, rng, every_s=TRACK_BATCH_S) for t in m.tankers]
    while any(queues) and not sim.stop.is_set():
        for q in queues:
            if q:
                _send_batch(sim, city, token, q.pop(0))
        sim.stop.wait(BATCH_PAUSE)
    for t in m.tankers:
        kinds = {w["kind"] for w in m.raised.get(t.trip.vehicle_id, [])}
        if t.event not in kinds and not sim.stop.is_set():
            _note(sim, f"tanker {t.trip.vehicle_id}: its tracks raised no {t.event} "
                       f"(raised: {', '.join(sorted(kinds)) or 'nothing'})")


def _send_batch(sim: Sim, city: Node, token: str, body: dict) -> None:
    """POST /api/v1/tracks: one tracker batch → {accepted, warnings}."""
    m = sim.monitoring
    r = city.http.call("POST", "/api/v1/tracks", token, json=body)
    answer = expect(r, 202)
    m.batches += 1
    m.points += len(body["points"])
    sim.stats.inc("sent.tracks")
    for w in answer["warnings"]:
        m.raised.setdefault(body["vehicle_id"], []).append(w)
        _enter(sim, city, w["case_id"], "sensor")


def raise_hotspot(sim: Sim, run_id: str) -> None:
    """The complaints around the market at the first township, its hot spot found at its desk and tasked (未诉先办)."""
    m = sim.monitoring
    town = next((n for n in sim.nodes if n.tier == "township"), None)
    if town is None:
        raise DemoError("no township in the chain: no hot spot")
    earlier = _warnings(town, "hotspot")
    avoid = [(float(c[0]), float(c[1])) for w in earlier if (c := (w.get("evidence") or {}).get("center"))]
    m.hotspot = plan_hotspot(sim.seed, town.region, sim.catalog, sim.script.now(), avoid)
    for i, report in enumerate(m.hotspot.reports):
        if sim.stop.is_set():
            return
        r = town.http.call("POST", "/api/v1/reports", town.tokens[report.role], json=report.body,
                           headers={"Idempotency-Key": f"demo-{run_id}-hotspot-{i:02d}"})
        case_id = expect(r, 202)["case_id"]
        m.reports.append(case_id)
        sim.stats.inc("sent.hotspot")
        _enter(sim, town, case_id, "grid" if report.role == "gridworker" else "desk")
        sim.stop.wait(REPORT_PAUSE)
    warning = _wait_for_hotspot(sim, town, set(m.reports))
    m.warning_id = warning["id"]
    if warning["status"] != "open":
        raise DemoError(f"the complaints joined hot spot {warning['id']} of an earlier run, already "
                        f"{warning['status']}: nothing to task")
    r = town.http.call("POST", f"/api/v1/warnings/{warning['id']}/act", town.tokens["dispatcher"],
                       json={"action": "task", "note": TASK_NOTE})
    acted = expect(r, 200)
    m.task_case = acted["task_case_id"]
    sim.stats.inc("act.task")
    if m.task_case:
        _enter(sim, town, m.task_case, "proactive")


def _wait_for_hotspot(sim: Sim, town: Node, cases: set[str]) -> dict:
    """The township's hot-spot warning holding some of `cases`, as its desk lists them; DemoError after
    WARNING_WAIT seconds."""
    waited = 0.0
    while not sim.stop.is_set():
        found = next((w for w in _warnings(town, "hotspot") if cases & set(w["case_ids"])), None)
        if found is not None:
            return found
        if waited >= WARNING_WAIT:
            break
        sim.stop.wait(1.0)
        waited += 1.0
    hotspot = sim.monitoring.hotspot
    raise DemoError(f"{town.label}: no hotspot warning within {WARNING_WAIT:.0f} s of {len(cases)} noise complaints "
                    f"around {hotspot.market if hotspot else 'the market'} (GET /api/v1/warnings?kind=hotspot)")


def _warnings(node: Node, kind: str, token: str = "dispatcher") -> list[dict]:
    """The newest 100 warnings of one kind at a center, as its `token`'s role sees them."""
    r = node.http.call("GET", "/api/v1/warnings", node.tokens[token], params={"kind": kind, "page_size": 100})
    if r.status_code != 200:
        raise DemoError(f"{node.label}: GET /api/v1/warnings?kind={kind} → {error_text(r)}")
    return r.json()["items"]


def _enter(sim: Sim, node: Node, case_id: str, source: str) -> None:
    """A case of the monitoring joins the day: the people work it and the day waits for it to be final."""
    if case_id and case_id not in sim.entered:
        sim.entered[case_id] = node.region
        sim.cases.setdefault(case_id, {"id": case_id, "status": "received", "center": node.region, "source": source})


def _note(sim: Sim, line: str) -> None:
    sim.monitoring.notes.append(line)
    sim.stats.surprises.append(f"monitoring: {line}")


# ---- what came of it ----------------------------------------------------------------------------------------------
def monitoring_status(sim: Sim) -> str:
    """The monitoring so far, in one line for the progress (from what the answers said)."""
    m = sim.monitoring
    if not m.started:
        return "not started"
    kinds = [f"{w['kind']} {w['level']}" for ws in list(m.raised.values()) for w in list(ws)]
    hot = (f"task case {m.task_case}" if m.task_case else f"warning {m.warning_id}" if m.warning_id
           else f"{len(m.reports)}/{HOTSPOT_REPORTS} complaints")
    return (f"tankers {m.batches} batches ({m.points} points) → {', '.join(kinds) or 'no warning yet'} · "
            f"hot spot: {hot}" + (f" · [red]{len(m.notes)} problem(s)[/red]" if m.notes else ""))


def monitoring_lines(sim: Sim) -> list[str]:
    """What came of the day's monitoring, read back from the centers: each tanker's warnings at the city (GET
    /api/v1/warnings) and its case; the hot spot's warning at the township and the proactive case it became."""
    m = sim.monitoring
    if not m.started:
        return ["  监测预警 not played in this run"]
    lines = _tanker_lines(sim) + _hotspot_lines(sim)
    lines += [f"  (problem: {note})" for note in m.notes]
    return lines


def _tanker_lines(sim: Sim) -> list[str]:
    m, city = sim.monitoring, sim.city
    if not m.tankers:
        return ["  危化品车辆 the tankers' tracks were not sent"]
    mine = {t.trip.vehicle_id for t in m.tankers}
    found: dict[str, list[dict]] = {}
    for kind in ("dwell", "route_deviation", "night_driving", "fatigue"):
        for w in _warnings(city, kind, "viewer"):
            vehicle = ((w.get("evidence") or {}).get("vehicle") or {}).get("id")
            if vehicle in mine:
                found.setdefault(vehicle, []).append(w)
    lines = [f"  危化品车辆 {len(m.tankers)} tankers' trackers sent {m.batches} batches ({m.points} points, out of order, "
             f"some twice) to the city (POST /api/v1/tracks); its warnings (GET /api/v1/warnings at the city):"]
    for t in m.tankers:
        trip = t.trip
        meant = (f"stops {STAY_MINUTES:g} min at {t.place} and is still there at its last fix" if t.event == "dwell"
                 else "leaves its permitted route on 世纪大道")
        lines.append(f"    tanker {trip.vehicle_id} ({trip.plate}), {trip.points[0]['at'][11:16]}–"
                     f"{trip.points[-1]['at'][11:16]}, {meant}:")
        ws = sorted(found.get(trip.vehicle_id, []), key=lambda w: w["at"])
        if not any(w["kind"] == t.event for w in ws):
            lines.append(f"      NO {t.event} warning read back")
        for w in ws:
            lines.append(f"      {w['kind']} {w['level']} {w['id']} ({w['status']}) — {w['title']}{_where(w)}")
        for case_id in sorted({c for w in ws for c in w["case_ids"]}):
            lines.append(f"      → case {_case_line(sim, case_id)}")
    return lines


def _where(w: dict) -> str:
    """A vehicle warning's place, the area the vehicle can reach in 5 minutes and the teams there."""
    ev = w.get("evidence") or {}
    place = ev.get("place") or {}
    out = f"; at {place['id']} ({place['licence']}, {place['distance_m']} m)" if place else ""
    reach = ev.get("reachable") or {}
    if reach.get("regions"):
        out += f"; reachable in {reach.get('minutes', 5):g} min: {', '.join(reach['regions'])} (r {reach['radius_m']} m)"
    teams = ev.get("teams") or []
    if teams:
        out += f"; {len(teams)} teams there, nearest {teams[0]['name']} {teams[0]['distance_m']} m"
    return out


def _hotspot_lines(sim: Sim) -> list[str]:
    m = sim.monitoring
    hot = m.hotspot
    if hot is None:
        return ["  类案高发 the hot spot's complaints were not sent"]
    town = sim.by_region[hot.town]
    merged = sum(1 for c in m.reports if sim.cases.get(c, {}).get("status") == "merged")
    lines = [f"  类案高发 {len(m.reports)} noise complaints ({HOTSPOT_CATEGORY} {sim.catalog.category(HOTSPOT_CATEGORY).name}) "
             f"around {hot.market} at {town.label}, by grid workers and at the desk ({merged} merged into another: 并单); "
             f"its warnings (GET /api/v1/warnings?kind=hotspot at {town.region}):"]
    mine = set(m.reports)
    ws = [w for w in _warnings(town, "hotspot", "viewer") if mine & set(w["case_ids"])]
    if not ws:
        lines.append("      NO hotspot warning read back")
    for w in ws:
        ev = w.get("evidence") or {}
        lines.append(f"      hotspot {w['level']} {w['id']} ({w['status']}) — {w['title']}; count {ev.get('count')}, "
                     f"expected {ev.get('expected')}, p {ev.get('p_value', 0):.1e}, box {ev.get('bbox')}")
        if w.get("task_case_id"):
            lines.append(f"      未诉先办 tasked by {w.get('acted_by')} (POST /api/v1/warnings/{w['id']}/act "
                         f"{{\"action\": \"task\"}}) → proactive case {_case_line(sim, w['task_case_id'])}")
        else:
            lines.append("      未诉先办 NOT tasked")
    return lines


def _case_line(sim: Sim, case_id: str) -> str:
    """A case as the city answers for it (it holds every case of the chain, up to date, wherever the case went — a
    township's copy of a case it escalated stops at the hand-over): its id, source, status, category and units."""
    city = sim.city
    r = city.http.call("GET", f"/api/v1/cases/{case_id}", city.tokens["viewer"])
    if r.status_code != 200:
        return f"{case_id} ({error_text(r)})"
    c = r.json()
    units = c.get("unit") or "no unit"
    if c.get("assisting_units"):
        units += f" lead, {', '.join(c['assisting_units'])} assisting"
    return (f"{case_id} (source {c['source']}, {c['status']}, {c['priority']}, category {c['category']}, at "
            f"{c['center']}: {units})")
