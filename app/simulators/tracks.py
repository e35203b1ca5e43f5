"""Vehicle trackers (危化品/渣土车 GNSS terminals) as a center sees them: tankers and muck trucks driving their
permitted routes on Nantong's roads, with seeded stays, deviations, night trips and long stints, the ground truth of
each, and the batches their trackers send (`POST /api/v1/tracks`: out of order, with duplicates and late points).

Pure apart from `post`: everything is drawn from one `random.Random`, so a seed reproduces a run. The roads, the
enterprises and the points of interest are the warnings' own reference data (services/warning/data/, read through
`services.warning.domain.tracks.reference()`, converted to WGS-84 there): the simulated vehicles drive the same
polylines the corridors are built from. Those polylines are real arterial roads (工农路, 青年路, 人民路, 通沪大道,
世纪大道) typed in from public knowledge: approximate, good to a few hundred metres, not survey data.

Positions are WGS-84, as a GNSS tracker reports them, with Gaussian noise of NOISE_M metres; one every SAMPLE_S
seconds (JT/T 808 terminals commonly report every 30 s while driving), with the speed the terminal measured.

A vehicle-day of a tanker (hazmat): out of the depot, load at the licensed storage company in the development zone,
drive 通沪大道 → 世纪大道 → 兴东 to the licensed plant, unload, drive back. Seeded events, each with its truth:
  a fuel stop (normal: no warning expected)           a stay at the closed plant (`dwell`)
  a stay at the roadside, away from any place (`dwell`) a detour off the corridor (`route_deviation`)
  the same trip at night (`night_driving`)            a day of shuttling without a rest (`fatigue`)
A muck truck's day: two trips from its depot down 工农路 to a building site on 青年路, east to 通沪大道 and the dump,
with its own roadside stays and detours (muck trucks have no night rule).

For other programs (the demo, app/demo/monitoring.py): `tanker_trip` lays one tanker's trip with the events asked for
(a stay at a named place, a detour) and its truth, ending at a given time; `daytime_end` says when a trip must end to
keep out of the class's forbidden hours, and `shifted` moves it there; `batches` cuts a track into what its tracker
sends. The pieces the vehicle-days
are built of are public too: `Drive` (a vehicle's motion, sampled), `route_line`, `detour_path`, `drive_detour` and
`stay_at`, over a `Fleet` (the reference data).
"""
from __future__ import annotations

import json
import math
import random
from dataclasses import asdict, dataclass, field, replace
from datetime import date, datetime, timedelta

from services.warning.domain import tracks as ref_data
from services.warning.domain import tracks_geodesy as geo
from shared.clock import CHINA

SAMPLE_S = 30
NOISE_M = 5.0
BATCH_S = 60
XY = tuple[float, float]


@dataclass
class Truth:
    vehicle_id: str
    kind: str               # dwell | route_deviation | night_driving | fatigue; fuel_stop, stop: expect nothing
    start: str              # ISO 8601: a stay's arrival, the moment the vehicle left the corridor, …
    end: str
    place: str | None = None
    note: str = ""


@dataclass
class VehicleDay:
    vehicle_id: str
    plate: str
    vehicle_class: str
    day: str
    points: list[dict] = field(default_factory=list)     # {at, lon, lat, speed_kmh}, in time order
    truth: list[Truth] = field(default_factory=list)

    @property
    def duration(self) -> timedelta:
        """From the first fix to the last."""
        if not self.points:
            return timedelta(0)
        return datetime.fromisoformat(self.points[-1]["at"]) - datetime.fromisoformat(self.points[0]["at"])


class Drive:
    """A vehicle's true motion (projected metres, seconds from `start`), sampled every SAMPLE_S seconds with GNSS
    noise: `stay` and `go` move it on, `samples` are its tracker's fixes so far."""

    def __init__(self, rng: random.Random, start: datetime, at: XY):
        self.rng, self.t0, self.t, self.pos = rng, start.replace(microsecond=0), 0.0, at
        self.next_sample = 0.0
        self.samples: list[dict] = []

    def now(self) -> datetime:
        return self.t0 + timedelta(seconds=self.t)

    def time_at(self, t: float) -> str:
        """The moment `t` seconds after the start, ISO 8601 (as truths name it)."""
        return (self.t0 + timedelta(seconds=t)).isoformat()

    def _emit_until(self, t_end: float, pos_at, speed: float) -> None:
        while self.next_sample <= t_end:  # whole seconds: SAMPLE_S from a start without microseconds
            x, y = pos_at(self.next_sample)
            nx, ny = x + self.rng.gauss(0, NOISE_M), y + self.rng.gauss(0, NOISE_M)
            (lon, lat), = geo.unproject_many([(nx, ny)])
            kmh = max(0.0, speed + self.rng.gauss(0, 2)) if speed > 0 else 0.0
            self.samples.append({"at": (self.t0 + timedelta(seconds=self.next_sample)).isoformat(),
                                 "lon": round(lon, 7), "lat": round(lat, 7), "speed_kmh": round(kmh, 1)})
            self.next_sample += SAMPLE_S

    def stay(self, seconds: float) -> None:
        x, y = self.pos
        self._emit_until(self.t + seconds, lambda _t: (x, y), 0.0)
        self.t += seconds

    def go(self, line: list[XY], kmh: float, lights: bool = True, exact: bool = False) -> None:
        """Drive along `line` (starting at the current position) at about `kmh` (`exact`: at `kmh`), with the odd
        red light (not when `lights` is False)."""
        pts = [self.pos] + list(line)
        for a, b in zip(pts, pts[1:], strict=False):
            seg = math.dist(a, b)
            if seg < 1:
                continue
            v = (kmh if exact else max(15.0, kmh + self.rng.gauss(0, 5))) / 3.6
            t_start, dur = self.t, seg / v
            self._emit_until(self.t + dur,
                             lambda t, a=a, b=b, t_start=t_start, dur=dur: (
                                 a[0] + (b[0] - a[0]) * (t - t_start) / dur, a[1] + (b[1] - a[1]) * (t - t_start) / dur),
                             v * 3.6)
            self.t += dur
            self.pos = b
            if lights and seg > 800 and self.rng.random() < 0.4:
                self.stay(self.rng.uniform(20, 100))  # a red light or a queue: far shorter than a stay


def _xy(lonlat: tuple[float, float]) -> XY:
    return geo.project(*lonlat)


def route_line(route: ref_data.Route, i: int | None = None, j: int | None = None) -> list[XY]:
    """Vertices i..j of a route (inclusive; reversed when j < i; all by default), projected."""
    pts = [_xy(p) for p in route.line]
    i = 0 if i is None else i % len(pts)
    j = len(pts) - 1 if j is None else j % len(pts)
    return pts[i:j + 1] if i <= j else pts[j:i + 1][::-1]


class Fleet:
    """The reference data as the simulator drives it."""

    def __init__(self) -> None:
        self.ref = ref_data.reference()
        self.routes = {r.id: r for r in self.ref.routes}
        self.places = {p.id: p for p in self.ref.places}

    def at(self, pid: str) -> XY:
        p = self.places[pid]
        return _xy((p.lon, p.lat))

    def enterprises(self, *licences: str) -> list[ref_data.Place]:
        """The enterprises of the reference data whose licence is one of `licences` (all, without), by id."""
        return sorted((p for p in self.places.values() if p.kind == "enterprise"
                       and (not licences or p.licence in licences)), key=lambda p: p.id)

    def corridor(self, cls: str, vehicle: str):
        """The vehicle's permitted area (projected), as the detector builds it; None without routes."""
        return self.ref.corridor(self.ref.routes_for(vehicle, cls))

    def leave_time(self, cls: str, vehicle: str, detour: list[XY], kmh_start: float, t_start: float) -> float:
        """When a vehicle starting along `detour` at `t_start` (seconds) leaves its corridor: the first point of the
        detour polyline outside it, found to a metre by bisection, timed at the speed it was driven."""
        import shapely
        from shapely import LineString
        corridor = self.corridor(cls, vehicle)
        assert corridor is not None
        line = LineString(detour)

        def inside(m: float) -> bool:
            p = line.interpolate(m)
            return bool(shapely.contains_xy(corridor, p.x, p.y))

        if not inside(0.0):
            raise ValueError("a detour must start inside the corridor")
        step = 5.0
        out = next((k * step for k in range(1, int(line.length / step) + 1) if not inside(k * step)), None)
        if out is None:
            raise ValueError("the detour never leaves the corridor")
        lo, hi = out - step, out
        while hi - lo > 0.5:
            mid = (lo + hi) / 2
            if inside(mid):
                lo = mid
            else:
                hi = mid
        return t_start + hi / (kmh_start / 3.6)

    def turn_off(self, cls: str, vehicle: str, line: list[XY], pid: str) -> int:
        """The vertex of `line` nearest the place `pid`, where the vehicle turns off to it. Raises ValueError for an
        unknown place, or one whose way in straight from there leaves the vehicle's corridor (a deviation no truth
        would name)."""
        import shapely
        from shapely import LineString
        if pid not in self.places:
            raise ValueError(f"no place {pid} in the reference data (services/warning/data/enterprises.toml, "
                             "pois.toml)")
        target = self.at(pid)
        k = min(range(len(line)), key=lambda i: math.dist(line[i], target))
        corridor = self.corridor(cls, vehicle)
        spur = LineString([line[k], target])
        marks = [spur.interpolate(spur.length * s / 50) for s in range(51)]
        if corridor is not None and not all(shapely.contains_xy(corridor, [m.x for m in marks], [m.y for m in marks])):
            raise ValueError(f"{self.places[pid].name} ({pid}) lies {spur.length:.0f} m off the route, beyond its "
                             "corridor: the way in would be a deviation")
        return k


def detour_path(a: XY, b: XY, out_m: float, side: int) -> list[XY]:
    """A side road away from segment a→b and back: perpendicular out by `out_m` (to the left for `side` 1, the right
    for -1), along, and back in to `b`."""
    dx, dy = b[0] - a[0], b[1] - a[1]
    n = math.hypot(dx, dy)
    px, py = -dy / n * side, dx / n * side
    m1 = (a[0] + dx * 0.2, a[1] + dy * 0.2)
    m2 = (a[0] + dx * 0.8, a[1] + dy * 0.8)
    return [m1, (m1[0] + px * out_m, m1[1] + py * out_m), (m2[0] + px * out_m, m2[1] + py * out_m), m2, b]


def drive_detour(d: Drive, fleet: Fleet, cls: str, vehicle: str, to: XY, out_m: float, side: int, kmh: float,
                 note: str) -> Truth:
    """Drive to `to` by a side road off the way there (`detour_path`) at exactly `kmh`, with no red lights: the truth
    of the `route_deviation`, from the moment the side road leaves the vehicle's corridor to the return."""
    path = detour_path(d.pos, to, out_m, side)
    t_leave = fleet.leave_time(cls, vehicle, [d.pos] + path, kmh, d.t)
    d.go(path, kmh, lights=False, exact=True)
    return Truth(vehicle, "route_deviation", d.time_at(t_leave), d.now().isoformat(), note=note)


def stay_at(d: Drive, fleet: Fleet, vehicle: str, pid: str, minutes: tuple[float, float], note: str) -> Truth:
    """Turn off straight to the place `pid` at 20 km/h and stay there (between the `minutes` given, drawn on
    arrival): the truth of the stay — a `dwell` at a closed or suspended enterprise, else a `stop` (nothing
    expected). The vehicle is left there."""
    d.go([fleet.at(pid)], 20, lights=False)
    t0 = d.t
    d.stay(d.rng.uniform(*minutes) * 60)
    place = fleet.places[pid]
    kind = "dwell" if place.kind == "enterprise" and place.licence in ("closed", "suspended") else "stop"
    return Truth(vehicle, kind, d.time_at(t0), d.now().isoformat(), pid, note)


def hazmat_day(rng: random.Random, fleet: Fleet, vid: str, plate: str, day: date, events: set[str]) -> VehicleDay:
    main, kfq = fleet.routes["R-HZ-TH-XD"], fleet.routes["R-HZ-KFQ"]
    hour = 21.6 if "night" in events else rng.uniform(6.5, 8.5)
    start = datetime(day.year, day.month, day.day, tzinfo=CHINA) + timedelta(hours=hour)
    d = Drive(rng, start, fleet.at("P-DEPOT-HZ"))
    out = VehicleDay(vid, plate, "hazmat", day.isoformat())
    kmh = rng.uniform(35, 50)
    d.stay(rng.uniform(3, 12) * 60)
    d.go(route_line(kfq, 1, 1), kmh)                   # to the storage company (licensed): load
    d.stay(rng.uniform(25, 45) * 60)
    d.go(route_line(kfq, 0, 0), kmh)
    night_from = d.t
    shuttles = 7 if "fatigue" in events else 1  # 7 legs of 25.6 km: over 4 hours at the wheel
    for trip in range(shuttles):
        there = trip % 2 == 0
        legs = [(0, 11)] if there else [(11, 0)]
        fuel = "fuel" in events and trip == 0
        closed = "closed" in events and trip == 0
        roadside = "roadside" in events and trip == 0
        detour = "detour" in events and trip == 0
        route = route_line(main, *legs[0])
        idx = list(range(len(route)))
        # vertex indices along the way (forward numbering of R-HZ-TH-XD): 3 fuel station, 9→10 closed plant spur,
        # 5→6 世纪大道 (roadside stay), 6→7 or 7→8 (detour)
        i = 1
        while i < len(route):
            vtx = idx[i] if there else len(route) - 1 - idx[i]
            seg_from = d.pos
            if detour and vtx in (7, 8) and there:
                side = rng.choice((-1, 1))
                out.truth.append(drive_detour(d, fleet, "hazmat", vid, route[i], rng.uniform(600, 1500), side,
                                              kmh * 0.8, "detour off 世纪大道"))
                detour = False
                i += 1
                continue
            if roadside and vtx == 6 and there:
                mid = ((seg_from[0] + route[i][0]) / 2, (seg_from[1] + route[i][1]) / 2)
                d.go([mid], kmh)
                t0 = d.t
                d.stay(rng.uniform(20, 35) * 60)
                out.truth.append(Truth(vid, "dwell", d.time_at(t0), d.now().isoformat(), None, "roadside stay"))
                roadside = False
            d.go([route[i]], kmh)
            if fuel and vtx == 3:
                t0 = d.t
                d.stay(rng.uniform(15, 30) * 60)
                out.truth.append(Truth(vid, "fuel_stop", d.time_at(t0), d.now().isoformat(), "P-FUEL-TH"))
                fuel = False
            if closed and vtx == 10 and there:
                back = d.pos
                out.truth.append(stay_at(d, fleet, vid, "E-XD-02", (20, 35), "stay at the closed plant"))
                d.go([back], 20, lights=False)
                closed = False
            i += 1
        d.stay(rng.uniform(4, 9) * 60 if "fatigue" in events else rng.uniform(25, 50) * 60)  # unload / turn
    if "fatigue" in events:
        out.truth.append(Truth(vid, "fatigue", d.time_at(night_from), d.now().isoformat(), note="no rest"))
    for leg in ([(11, 0)] if shuttles % 2 == 1 else []):
        d.go(route_line(main, *leg)[1:], kmh)
    d.go(route_line(kfq, 0, 0), kmh)
    d.stay(rng.uniform(5, 10) * 60)
    if "night" in events:
        out.truth.append(Truth(vid, "night_driving", d.time_at(night_from), d.now().isoformat(), note="night trip"))
    out.points = d.samples
    return out


#: a tanker's trip (`tanker_trip`): out of its depot along this permitted route (通沪大道 → 世纪大道 → 兴东) to the
#: licensed plant at its end; a detour leaves 世纪大道 on the way to this vertex of it
TRIP_ROUTE = "R-HZ-TH-XD"
TRIP_DEPOT = "P-DEPOT-HZ"
DETOUR_VERTEX = 7


def tanker_trip(rng: random.Random, fleet: Fleet, vehicle: str, plate: str, ends_at: datetime, *,
                stop_at: str | None = None, stay_minutes: float = 25.0, deviate: bool = False) -> VehicleDay:
    """One tanker's trip whose last fix is at `ends_at` (time zone required), with the events asked for and their
    truth: out of its depot along TRIP_ROUTE; with `deviate`, a detour of 600–1500 m off 世纪大道 and back
    (`route_deviation`); with `stop_at` (the id of an enterprise or a point of interest), it turns off where the route
    passes nearest, straight to the place, and stays `stay_minutes` — still there at its last fix, so the stay is
    ongoing: a `dwell` at a closed or suspended enterprise (else a `stop`). Without `stop_at` it drives to the route's
    end and unloads a few minutes at the licensed plant there. Raises ValueError for an unknown place, a place whose
    way in from the route leaves the corridor, or a stop before the detour."""
    if ends_at.tzinfo is None:
        raise ValueError("ends_at needs a time zone")
    ends_at = ends_at.replace(microsecond=0)
    route = route_line(fleet.routes[TRIP_ROUTE])
    turn = fleet.turn_off("hazmat", vehicle, route, stop_at) if stop_at is not None else None
    if deviate and turn is not None and turn < DETOUR_VERTEX:
        raise ValueError(f"the tanker would stop at {stop_at} before the detour on 世纪大道")
    d = Drive(rng, ends_at, fleet.at(TRIP_DEPOT))
    out = VehicleDay(vehicle, plate, "hazmat", ends_at.date().isoformat())
    kmh = rng.uniform(35, 50)
    d.stay(rng.uniform(3, 8) * 60)                     # out of the depot
    for i, vertex in enumerate(route):
        if i and deviate and i == DETOUR_VERTEX:
            out.truth.append(drive_detour(d, fleet, "hazmat", vehicle, vertex, rng.uniform(600, 1500),
                                          rng.choice((-1, 1)), kmh * 0.8, "detour off 世纪大道"))
        elif i:
            d.go([vertex], kmh)
        if i == turn:
            assert stop_at is not None
            out.truth.append(stay_at(d, fleet, vehicle, stop_at, (stay_minutes, stay_minutes),
                                     f"stay at {fleet.places[stop_at].name}"))
            break
    else:
        d.stay(rng.uniform(5, 10) * 60)                # unload at the licensed plant
    out.points = d.samples
    return shifted(out, ends_at)


def shifted(day: VehicleDay, ends_at: datetime) -> VehicleDay:
    """The same vehicle-day moved in time so that its last fix is at `ends_at` (its truth moved with it)."""
    if not day.points:
        return day
    by = ends_at - datetime.fromisoformat(day.points[-1]["at"])

    def move(at: str) -> str:
        return (datetime.fromisoformat(at) + by).isoformat()

    points = [{**p, "at": move(p["at"])} for p in day.points]
    truth = [replace(t, start=move(t.start), end=move(t.end)) for t in day.truth]
    first = datetime.fromisoformat(points[0]["at"]).astimezone(CHINA).date().isoformat()
    return VehicleDay(day.vehicle_id, day.plate, day.vehicle_class, first, points, truth)


def daytime_end(at: datetime, hours: float, cls: str = "hazmat", margin_minutes: float = 10.0) -> datetime:
    """When a trip of `hours` that should end at `at` may end instead, to lie wholly outside the class's forbidden
    hours (tankers: 22:00–06:00 China time) with `margin_minutes` to spare at both ends: `at` itself when the trip
    fits before it, else the latest moment before `at` that it fits — e.g. the evening before the night began. A class
    without a night rule: `at`. Raises ValueError for a trip longer than the day allows."""
    c = ref_data.reference().vehicle_class(cls)
    if c.night_start is None or c.night_end is None:
        return at
    length, margin = timedelta(hours=hours), timedelta(minutes=margin_minutes)
    local = at.astimezone(CHINA)
    for back in range(3):
        day = local.date() - timedelta(days=back)
        opens = datetime.combine(day, c.night_end, CHINA) + margin
        closes = datetime.combine(day + timedelta(days=1 if c.night_start <= c.night_end else 0), c.night_start,
                                  CHINA) - margin
        end = min(local, closes)
        if end - length >= opens:
            return end.astimezone(at.tzinfo)
    raise ValueError(f"a trip of {hours:g} h does not fit between {c.night_end:%H:%M} and {c.night_start:%H:%M}")


def muck_day(rng: random.Random, fleet: Fleet, vid: str, plate: str, day: date, events: set[str]) -> VehicleDay:
    gn, qn, th = fleet.routes["R-MK-GN"], fleet.routes["R-MK-QN"], fleet.routes["R-MK-TH"]
    start = datetime(day.year, day.month, day.day, tzinfo=CHINA) + timedelta(hours=rng.uniform(7, 9))
    d = Drive(rng, start, fleet.at("P-DEPOT-MK"))
    out = VehicleDay(vid, plate, "muck", day.isoformat())
    kmh = rng.uniform(30, 45)
    d.stay(rng.uniform(3, 10) * 60)
    for trip in range(2):
        d.go(route_line(gn, 1, 4), kmh)                             # 工农路 south to 青年路
        d.go(route_line(qn, 2, 0), kmh)                             # 青年路 west to the site: load
        d.stay(rng.uniform(22, 35) * 60)                            # (a rest too, clearly over 20 min)
        east = route_line(qn, 1, 5)
        for k, p in enumerate(east):
            if "detour" in events and trip == 0 and k == 2:
                out.truth.append(drive_detour(d, fleet, "muck", vid, p, rng.uniform(500, 1200), rng.choice((-1, 1)),
                                              kmh * 0.8, "detour off 青年路"))
                continue
            d.go([p], kmh)
            if "roadside" in events and trip == 1 and k == 3:
                t0 = d.t
                d.stay(rng.uniform(25, 40) * 60)
                out.truth.append(Truth(vid, "dwell", d.time_at(t0), d.now().isoformat(), None, "roadside stay"))
        d.go(route_line(th, 1, 3), kmh)                             # 通沪大道 to the dump: unload
        d.stay(rng.uniform(10, 25) * 60)
        d.go(route_line(th, 2, 0), kmh)
        d.go(route_line(qn, 4, 3), kmh)
        d.go(route_line(gn, 4, 0), kmh)                             # back north to the depot
        d.stay(rng.uniform(10, 30) * 60 if trip == 0 else rng.uniform(5, 10) * 60)
    out.points = d.samples
    return out


HAZMAT_EVENTS = {"fuel": 0.3, "closed": 0.15, "roadside": 0.08, "detour": 0.18, "night": 0.08, "fatigue": 0.05}
MUCK_EVENTS = {"roadside": 0.1, "detour": 0.2}


def generate(seed: int, vehicles: int = 10, days: int = 1, first_day: date | None = None,
             hazmat_share: float = 0.6) -> list[VehicleDay]:
    """`vehicles` vehicles (a `hazmat_share` of them tankers, the rest muck trucks) for `days` days each."""
    rng = random.Random(seed)
    fleet = Fleet()
    first = first_day or (datetime.now(CHINA).date() - timedelta(days=days + 1))  # a night trip ends in the past
    out = []
    n_hz = round(vehicles * hazmat_share)
    for v in range(vehicles):
        hazmat = v < n_hz
        vid = f"HZ-{v + 1:03d}" if hazmat else f"MK-{v + 1 - n_hz:03d}"
        plate = f"苏F{'D' if hazmat else 'M'}{rng.randrange(10000):04d}"
        for k in range(days):
            table = HAZMAT_EVENTS if hazmat else MUCK_EVENTS
            events = {e for e, p in table.items() if rng.random() < p}
            if "fatigue" in events:
                events -= {"night", "closed", "roadside", "detour"}
            maker = hazmat_day if hazmat else muck_day
            out.append(maker(rng, fleet, vid, plate, first + timedelta(days=k), events))
    return out


def batches(day: VehicleDay, rng: random.Random, every_s: int = BATCH_S, dup: float = 0.1,
            late: float = 0.05) -> list[dict]:
    """The tracker's batches of a vehicle-day, in sending order: one each `every_s` seconds of its time, shuffled;
    a `dup` share of points sent again in the next batch, a `late` share held back one to three batches."""
    if not day.points:
        return []
    t0 = datetime.fromisoformat(day.points[0]["at"])
    groups: dict[int, list[dict]] = {}
    for p in day.points:
        k = int((datetime.fromisoformat(p["at"]) - t0).total_seconds() // every_s)
        if rng.random() < late:
            k += rng.randint(1, 3)
        groups.setdefault(k, []).append(p)
        if rng.random() < dup:
            groups.setdefault(k + 1, []).append(dict(p))
    out = []
    for k in sorted(groups):
        pts = groups[k]
        rng.shuffle(pts)
        for i in range(0, len(pts), 1000):
            out.append({"vehicle_id": day.vehicle_id, "plate": day.plate, "class": day.vehicle_class,
                        "points": pts[i:i + 1000]})
    return out


def truth_json(days: list[VehicleDay]) -> str:
    """The ground truth: per vehicle-day, its events (and how many points it sent)."""
    return json.dumps([{"vehicle_id": d.vehicle_id, "plate": d.plate, "class": d.vehicle_class, "day": d.day,
                        "points": len(d.points), "truth": [asdict(t) for t in d.truth]} for d in days],
                      ensure_ascii=False, indent=1)


def post(center: str, token: str, days: list[VehicleDay], seed: int, every_s: int = BATCH_S,
         progress=None) -> dict:
    """Send every vehicle-day's batches to a center's `POST /api/v1/tracks`, the vehicles interleaved as their
    trackers would be; returns counts (batches, points sent, accepted, warnings by kind)."""
    import httpx

    rng = random.Random(seed + 1)
    queues = [batches(d, rng, every_s) for d in days]
    counts: dict = {"batches": 0, "sent": 0, "accepted": 0, "warnings": {}}
    with httpx.Client(base_url=center.rstrip("/"), timeout=30,
                      headers={"Authorization": f"Bearer {token}"}) as http:
        while any(queues):
            for q in queues:
                if not q:
                    continue
                body = q.pop(0)
                r = http.post("/api/v1/tracks", json=body)
                if r.status_code != 202:
                    raise RuntimeError(f"{r.status_code} from the center: {r.text[:300]}")
                answer = r.json()
                counts["batches"] += 1
                counts["sent"] += len(body["points"])
                counts["accepted"] += answer["accepted"]
                for w in answer["warnings"]:
                    counts["warnings"][w["kind"]] = counts["warnings"].get(w["kind"], 0) + 1
                    if progress:
                        progress(w)
    return counts
