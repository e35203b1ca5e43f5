"""Vehicle tracks (危化品全流程监管), pure: from a vehicle's recent positions and the reference data, the warnings it
deserves — `dwell`, `route_deviation`, `night_driving`, `fatigue` — each with the area the vehicle can reach in the
next minutes.

Every function takes a vehicle's points sorted by time (duplicates already gone) and returns `Candidate`s; the
caller stores each candidate's cause once (services/warning/tracks.py). Nothing here reads a clock: "now" is
the time of the vehicle's latest point, so a batch replayed later gives the same answers.

Datum: all positions here are WGS-84 (the trackers' datum); reference data in GCJ-02 is converted on load
(`shared.datum.to_wgs84`). Geometry (corridors, circles, clipping) is shapely's, in the local metric projection
of `tracks_geodesy`.

Stay points: the standard stay-point algorithm of Li, Zheng et al., "Mining user similarity based on location
history" (ACM SIGSPATIAL GIS 2008) and Zheng et al., "Mining interesting locations and travel sequences from GPS
trajectories" (WWW 2009): from a point pᵢ, take the longest run pᵢ…pⱼ that stays within the distance threshold
D of pᵢ; if it lasts at least the time threshold T, it is a stay at the run's mean position from tᵢ to tⱼ and
the search goes on after pⱼ, else it goes on from pᵢ₊₁. D and T are per vehicle class (data). A run still going
at the latest point is an ongoing stay: the warning comes while the vehicle is still there.
"""
from __future__ import annotations

import functools
import math
import tomllib
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime, time, timedelta
from pathlib import Path
from typing import Any

import shapely
from shapely import LineString, MultiPolygon, Point, Polygon
from shapely.geometry import mapping
from shapely.ops import transform, unary_union

from services.warning.domain import tracks_geodesy as geo
from shared.clock import CHINA
from shared.datum import to_wgs84

DATA_DIR = Path(__file__).resolve().parent.parent / "data"
CLASSES = ("hazmat", "muck", "bus", "other")
KINDS = ("dwell", "route_deviation", "night_driving", "fatigue")
LEVELS = ("info", "yellow", "red")
LICENCES = ("licensed", "suspended", "closed")
LICENCE_NAMES = {"licensed": "许可有效", "suspended": "许可暂扣", "closed": "许可吊销/关停"}
CLASS_NAMES = {"hazmat": "危化品运输车", "muck": "渣土车", "bus": "客运车辆", "other": "车辆"}
REACH_MINUTES = 5
MIN_PIECE_M2 = 100.0
WINDOW = timedelta(hours=2)


# ---- points and candidates ---------------------------------------------------------------------------------
@dataclass(frozen=True, order=True)
class TrackPoint:
    at: datetime
    lon: float
    lat: float
    speed_kmh: float | None = None


@dataclass(frozen=True)
class Candidate:
    """A warning the track deserves. `start`…`end` is the episode (the stay, the time out of the corridor, the
    night drive, the driving stint): a later batch that finds an overlapping episode of the same kind and vehicle
    has found the same cause."""

    kind: str
    level: str
    start: datetime
    end: datetime
    at: datetime            # when the condition became true (a data time: the point that made it so)
    lon: float
    lat: float
    title: str
    evidence: Mapping[str, Any] = field(default_factory=dict)


# ---- reference data ----------------------------------------------------------------------------------------
@dataclass(frozen=True)
class VehicleClass:
    code: str
    name: str
    stay_radius_m: float
    stay_minutes: float
    dwell_level_closed: str           # a stay at a closed or suspended enterprise
    dwell_level_elsewhere: str        # a stay away from every enterprise and point of interest
    corridor_grace_s: float
    deviation_level: str
    night_start: time | None          # forbidden hours (local time, China); None: no night rule
    night_end: time | None
    night_minutes: float              # moving this long in the forbidden hours is a night drive
    night_level: str
    fatigue_hours: float              # continuous driving beyond this …
    rest_minutes: float               # … unless interrupted by a rest this long
    fatigue_level: str
    moving_kmh: float                 # faster than this is driving
    reach_speed_kmh: float            # the speed of the reachable area when the vehicle has not moved lately
    case_category: str
    priority: Mapping[str, str]       # warning level → case priority


@dataclass(frozen=True)
class Place:
    """An enterprise (with its licence) or a point of interest where stopping is normal."""

    id: str
    name: str
    kind: str                          # "enterprise" | a point of interest's kind (fuel, parking, service, depot)
    lon: float
    lat: float
    radius_m: float
    licence: str | None = None         # enterprises only


@dataclass(frozen=True)
class Route:
    id: str
    name: str
    classes: tuple[str, ...]
    vehicles: tuple[str, ...]
    line: tuple[tuple[float, float], ...]   # WGS-84
    corridor_m: float


@dataclass
class Reference:
    classes: Mapping[str, VehicleClass]
    places: Sequence[Place]
    routes: Sequence[Route]
    _corridors: dict[tuple[str, ...], Any] = field(default_factory=dict, repr=False)

    def vehicle_class(self, code: str) -> VehicleClass:
        return self.classes.get(code) or self.classes["other"]

    def routes_for(self, vehicle_id: str, cls: str) -> list[Route]:
        """A vehicle's permitted routes: those naming it; else those of its class; none means no route rule."""
        own = [r for r in self.routes if vehicle_id in r.vehicles]
        return own or [r for r in self.routes if cls in r.classes and not r.vehicles]

    def corridor(self, routes: Sequence[Route]) -> Any:
        """The permitted area, projected: the routes buffered by their corridor widths (half each side), plus every
        enterprise's and point of interest's radius (driving in to a stop is not a deviation); None without routes.
        The geometry is prepared (`shapely.prepare`) for fast point-in-polygon tests."""
        key = tuple(sorted(r.id for r in routes))
        if key not in self._corridors:
            if not routes:
                self._corridors[key] = None
            else:
                parts = [LineString(geo.project_many(r.line)).buffer(r.corridor_m / 2) for r in routes]
                parts += [Point(geo.project(p.lon, p.lat)).buffer(p.radius_m) for p in self.places]
                area = unary_union(parts)
                shapely.prepare(area)
                self._corridors[key] = area
        return self._corridors[key]

    def place_at(self, lon: float, lat: float) -> tuple[Place, float] | None:
        """The nearest place whose radius holds the position, with the distance in metres."""
        x, y = geo.project(lon, lat)
        best: tuple[Place, float] | None = None
        for p in self.places:
            px, py = geo.project(p.lon, p.lat)
            d = math.hypot(px - x, py - y)
            if d <= p.radius_m and (best is None or d < best[1]):
                best = (p, d)
        return best


def _hhmm(value: str) -> time:
    h, m = value.split(":")
    return time(int(h), int(m))


def parse_classes(doc: Mapping[str, Any]) -> dict[str, VehicleClass]:
    out = {}
    for code, raw in doc["classes"].items():
        if code not in CLASSES:
            raise ValueError(f"classes.{code}: not a vehicle class ({', '.join(CLASSES)})")
        night = raw.get("night_hours")
        c = VehicleClass(
            code=code, name=raw["name"], stay_radius_m=float(raw["stay_radius_m"]),
            stay_minutes=float(raw["stay_minutes"]), dwell_level_closed=raw["dwell_level_closed"],
            dwell_level_elsewhere=raw["dwell_level_elsewhere"], corridor_grace_s=float(raw["corridor_grace_s"]),
            deviation_level=raw["deviation_level"],
            night_start=_hhmm(night[0]) if night else None, night_end=_hhmm(night[1]) if night else None,
            night_minutes=float(raw.get("night_minutes", 5)), night_level=raw.get("night_level", "yellow"),
            fatigue_hours=float(raw["fatigue_hours"]), rest_minutes=float(raw["rest_minutes"]),
            fatigue_level=raw["fatigue_level"], moving_kmh=float(raw["moving_kmh"]),
            reach_speed_kmh=float(raw["reach_speed_kmh"]), case_category=raw["case_category"],
            priority=dict(raw["priority"]))
        for name in ("dwell_level_closed", "dwell_level_elsewhere", "deviation_level", "night_level",
                     "fatigue_level"):
            if getattr(c, name) not in LEVELS:
                raise ValueError(f"classes.{code}.{name}: one of {', '.join(LEVELS)}")
        if set(c.priority) != set(LEVELS):
            raise ValueError(f"classes.{code}.priority: maps each of {', '.join(LEVELS)} to a case priority")
        if min(c.stay_radius_m, c.stay_minutes, c.corridor_grace_s, c.fatigue_hours, c.rest_minutes) <= 0:
            raise ValueError(f"classes.{code}: radii, times and limits must be positive")
        out[code] = c
    if "other" not in out:
        raise ValueError("classes.other is missing (the class of a vehicle of no listed class)")
    return out


def _position(raw: Mapping[str, Any], datum: str, where: str) -> tuple[float, float]:
    try:
        lon, lat = float(raw["lon"]), float(raw["lat"])
    except (KeyError, TypeError, ValueError):
        raise ValueError(f"{where}: position needs lon and lat in degrees") from None
    return to_wgs84(lon, lat, datum)


def parse_places(doc: Mapping[str, Any]) -> list[Place]:
    datum = doc["datum"]
    out = []
    for raw in doc.get("enterprise", []):
        if raw["licence"] not in LICENCES:
            raise ValueError(f"enterprise {raw['id']}: licence is one of {', '.join(LICENCES)}")
        lon, lat = _position(raw["position"], datum, f"enterprise {raw['id']}")
        out.append(Place(raw["id"], raw["name"], "enterprise", lon, lat, float(raw.get("radius_m", 200)),
                         raw["licence"]))
    for raw in doc.get("poi", []):
        lon, lat = _position(raw["position"], datum, f"poi {raw['id']}")
        out.append(Place(raw["id"], raw["name"], raw["kind"], lon, lat, float(raw.get("radius_m", 150))))
    return out


def parse_routes(doc: Mapping[str, Any]) -> list[Route]:
    datum = doc["datum"]
    out = []
    for raw in doc.get("route", []):
        line = tuple(to_wgs84(float(p[0]), float(p[1]), datum) for p in raw["line"])
        if len(line) < 2 or float(raw["corridor_m"]) <= 0:
            raise ValueError(f"route {raw['id']}: needs a line of 2+ positions and a positive corridor_m")
        out.append(Route(raw["id"], raw["name"], tuple(raw.get("classes", ())), tuple(raw.get("vehicles", ())),
                         line, float(raw["corridor_m"])))
    return out


def load_reference(data_dir: Path = DATA_DIR) -> Reference:
    def read(name: str) -> dict[str, Any]:
        with open(data_dir / name, "rb") as f:
            return tomllib.load(f)

    places = parse_places(read("enterprises.toml")) + parse_places(read("pois.toml"))
    return Reference(parse_classes(read("vehicle_classes.toml")), places, parse_routes(read("routes.toml")))


@functools.cache
def reference() -> Reference:
    """The packaged reference data, read once per process."""
    return load_reference()


# ---- speeds ------------------------------------------------------------------------------------------------
def speeds(points: Sequence[TrackPoint]) -> list[float]:
    """km/h at each point: the tracker's own speed where it sent one, else from the previous point."""
    xy = geo.project_many((p.lon, p.lat) for p in points)
    out = []
    for i, p in enumerate(points):
        if p.speed_kmh is not None:
            out.append(p.speed_kmh)
        elif i == 0:
            out.append(0.0)
        else:
            dt = (p.at - points[i - 1].at).total_seconds()
            d = math.dist(xy[i], xy[i - 1])
            out.append(d / dt * 3.6 if dt > 0 else 0.0)
    return out


# ---- stay points -------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Stay:
    arrive: datetime
    leave: datetime         # the last point of the run (the latest point for an ongoing stay)
    lon: float
    lat: float
    points: int
    ongoing: bool

    @property
    def minutes(self) -> float:
        return (self.leave - self.arrive).total_seconds() / 60


def stay_points(points: Sequence[TrackPoint], radius_m: float, min_minutes: float) -> list[Stay]:
    """The stays of a track (Li, Zheng et al. 2008: within `radius_m` of the run's first point for at least
    `min_minutes`)."""
    xy = geo.project_many((p.lon, p.lat) for p in points)
    out: list[Stay] = []
    i, n = 0, len(points)
    while i < n:
        j = i + 1
        while j < n and math.dist(xy[i], xy[j]) <= radius_m:
            j += 1
        last = j - 1
        if (points[last].at - points[i].at).total_seconds() >= min_minutes * 60:
            run = xy[i:j]
            mx, my = sum(p[0] for p in run) / len(run), sum(p[1] for p in run) / len(run)
            (lon, lat), = geo.unproject_many([(mx, my)])
            out.append(Stay(points[i].at, points[last].at, lon, lat, j - i, ongoing=(j == n)))
            i = j
        else:
            i += 1
    return out


def dwells(vehicle: str, cls: VehicleClass, points: Sequence[TrackPoint], ref: Reference) -> list[Candidate]:
    """`dwell`: a stay at a closed or suspended enterprise, or away from every enterprise and point of interest.
    A stay at a licensed enterprise or at a point of interest (fuel station, car park, service area, depot) is
    normal and raises nothing."""
    out = []
    for s in stay_points(points, cls.stay_radius_m, cls.stay_minutes):
        found = ref.place_at(s.lon, s.lat)
        at = s.arrive + timedelta(minutes=cls.stay_minutes)
        at = next((p.at for p in points if p.at >= at), s.leave)
        evidence: dict[str, Any] = {"arrived_at": s.arrive.isoformat(), "last_seen_at": s.leave.isoformat(),
                                    "minutes": round(s.minutes, 1), "ongoing": s.ongoing, "points": s.points,
                                    "position": {"lon": round(s.lon, 6), "lat": round(s.lat, 6)},
                                    "stay_radius_m": cls.stay_radius_m, "stay_minutes": cls.stay_minutes}
        if found is None:
            level, title = cls.dwell_level_elsewhere, f"{cls.name}{vehicle}在非许可地点停留{s.minutes:.0f}分钟"
            evidence["place"] = None
        else:
            place, dist = found
            if place.kind != "enterprise" or place.licence == "licensed":
                continue
            level = cls.dwell_level_closed
            title = f"{cls.name}{vehicle}在{LICENCE_NAMES[place.licence or 'closed']}企业{place.name}停留{s.minutes:.0f}分钟"
            evidence["place"] = {"id": place.id, "name": place.name, "licence": place.licence,
                                 "lon": round(place.lon, 6), "lat": round(place.lat, 6), "distance_m": round(dist)}
        out.append(Candidate("dwell", level, s.arrive, s.leave, at, s.lon, s.lat, title, evidence))
    return out


# ---- corridor ----------------------------------------------------------------------------------------------
def deviations(vehicle: str, cls: VehicleClass, points: Sequence[TrackPoint], ref: Reference) -> list[Candidate]:
    """`route_deviation`: out of the permitted corridor for longer than the class's grace time, measured from the
    first point outside to a later point still outside (a point back inside ends the episode)."""
    routes = ref.routes_for(vehicle, cls.code)
    corridor = ref.corridor(routes)
    if corridor is None:
        return []
    xy = geo.project_many((p.lon, p.lat) for p in points)
    if not xy:
        return []
    inside = shapely.contains_xy(corridor, [p[0] for p in xy], [p[1] for p in xy])
    out: list[Candidate] = []
    start: int | None = None
    for i, p in enumerate(points):
        if inside[i]:
            start = None
            continue
        if start is None:
            start = i
        if (p.at - points[start].at).total_seconds() >= cls.corridor_grace_s and (
                not out or out[-1].start != points[start].at):
            end = next((points[k - 1].at for k in range(i + 1, len(points)) if inside[k]), points[-1].at)
            first = points[start]
            out.append(Candidate(
                "route_deviation", cls.deviation_level, first.at, end, p.at, p.lon, p.lat,
                f"{cls.name}{vehicle}偏离核定路线",
                {"left_at": first.at.isoformat(), "left_at_position": {"lon": first.lon, "lat": first.lat},
                 "grace_s": cls.corridor_grace_s, "routes": [r.id for r in routes],
                 "distance_m": round(corridor.distance(Point(xy[i])))}))
    return out


# ---- night and fatigue -------------------------------------------------------------------------------------
def _in_hours(t: datetime, start: time, end: time) -> bool:
    local = t.astimezone(CHINA).time()
    return (start <= local or local < end) if start > end else (start <= local < end)


def _night_of(t: datetime, start: time) -> str:
    """The date a night belongs to (the evening it starts on)."""
    local = t.astimezone(CHINA)
    return (local.date() - timedelta(days=1) if local.time() < start else local.date()).isoformat()


def night_drives(vehicle: str, cls: VehicleClass, points: Sequence[TrackPoint],
                 v: Sequence[float] | None = None) -> list[Candidate]:
    """`night_driving`: moving in the class's forbidden hours for at least `night_minutes` in one night (one
    warning per night; time between two moving points counts when both are moving and within the hours)."""
    if cls.night_start is None or cls.night_end is None:
        return []
    v = speeds(points) if v is None else v
    moved: dict[str, float] = {}
    first: dict[str, int] = {}
    out: dict[str, Candidate] = {}
    for i in range(1, len(points)):
        a, b = points[i - 1], points[i]
        if not (v[i] > cls.moving_kmh and _in_hours(b.at, cls.night_start, cls.night_end)):
            continue
        night = _night_of(b.at, cls.night_start)
        first.setdefault(night, i)
        if v[i - 1] > cls.moving_kmh and _in_hours(a.at, cls.night_start, cls.night_end):
            moved[night] = moved.get(night, 0.0) + min((b.at - a.at).total_seconds(), 600)
        if night not in out and moved.get(night, 0.0) >= cls.night_minutes * 60:
            f = points[first[night]]
            out[night] = Candidate("night_driving", cls.night_level, f.at, b.at, b.at, b.lon, b.lat,
                                   f"{cls.name}{vehicle}在禁行时段夜间行驶",
                                   {"night": night, "hours": [cls.night_start.strftime("%H:%M"),
                                                              cls.night_end.strftime("%H:%M")],
                                    "first_moving_at": f.at.isoformat(), "minutes": round(moved[night] / 60, 1)})
        elif night in out:
            c = out[night]
            out[night] = Candidate(c.kind, c.level, c.start, b.at, c.at, c.lon, c.lat, c.title, c.evidence)
    return list(out.values())


def fatigue(vehicle: str, cls: VehicleClass, points: Sequence[TrackPoint],
            v: Sequence[float] | None = None) -> list[Candidate]:
    """`fatigue`: a driving stint longer than `fatigue_hours` (道路交通安全法实施条例 §62: 4 h, then a rest of at
    least 20 min). A stint ends at a rest: not moving for `rest_minutes`, or no points for that long."""
    v = speeds(points) if v is None else v
    rest = timedelta(minutes=cls.rest_minutes)
    out: list[Candidate] = []
    stint: int | None = None          # index of the stint's first moving point
    still_since: datetime | None = None
    for i, p in enumerate(points):
        gap = p.at - points[i - 1].at if i else timedelta(0)
        moving = v[i] > cls.moving_kmh
        if gap >= rest:
            stint, still_since = None, None
        if not moving:
            still_since = still_since or p.at
            if stint is not None and p.at - still_since >= rest:
                stint = None
            continue
        still_since = None
        if stint is None:
            stint = i
        hours = (p.at - points[stint].at).total_seconds() / 3600
        if hours >= cls.fatigue_hours:
            s = points[stint]
            if out and out[-1].start == s.at:
                c = out[-1]
                out[-1] = Candidate(c.kind, c.level, c.start, p.at, c.at, c.lon, c.lat, c.title,
                                    {**c.evidence, "hours": round(hours, 2)})
            else:
                out.append(Candidate("fatigue", cls.fatigue_level, s.at, p.at, p.at, p.lon, p.lat,
                                     f"{cls.name}{vehicle}连续驾驶超过{cls.fatigue_hours:g}小时",
                                     {"stint_started_at": s.at.isoformat(), "hours": round(hours, 2),
                                      "limit_hours": cls.fatigue_hours, "rest_minutes": cls.rest_minutes}))
    return out


def detect(vehicle: str, cls: VehicleClass, points: Sequence[TrackPoint], ref: Reference,
           since: datetime | None = None) -> list[Candidate]:
    """Every warning candidate of a track (points sorted by time, no duplicates), in order of time. With `since`
    (the earliest new point of a batch), stays, deviations and night drives are looked for only from WINDOW before
    it: an episode begun earlier than that has long been raised, and an overlapping candidate is the same cause.
    Fatigue always looks at the whole track (a stint lasts hours)."""
    v = speeds(points)
    start = 0
    if since is not None:
        start = next((i for i, p in enumerate(points) if p.at >= since - WINDOW), len(points))
    recent, rv = points[start:], v[start:]
    found = (dwells(vehicle, cls, recent, ref) + deviations(vehicle, cls, recent, ref)
             + night_drives(vehicle, cls, recent, rv) + fatigue(vehicle, cls, points, v))
    return sorted(found, key=lambda c: (c.at, c.kind))


def overlaps(c: Candidate, start: datetime, end: datetime) -> bool:
    """The candidate's episode overlaps `start`…`end` (then it is that cause again)."""
    return c.start <= end and start <= c.end


def fresh(candidates: Iterable[Candidate], raised: list[list[Any]], since: datetime) -> list[Candidate]:
    """Of a track's candidates, those a batch whose earliest new point is at `since` makes new: their episode
    reaches `since` or later and overlaps no cause already raised. `raised` holds `[kind, start, end]` per cause
    raised; a cause seen again, longer, gets its end extended, and each new candidate is appended."""
    out = []
    for c in candidates:
        if c.end < since:
            continue
        known = [r for r in raised if r[0] == c.kind and overlaps(c, r[1], r[2])]
        for r in known:
            r[2] = max(r[2], c.end)
        if not known:
            out.append(c)
            raised.append([c.kind, c.start, c.end])
    return out


def merge_points(old: Iterable[TrackPoint], new: Iterable[TrackPoint]) -> list[TrackPoint]:
    """One track from two, sorted by time; a time seen twice keeps its first position (trackers resend)."""
    seen: dict[datetime, TrackPoint] = {}
    for p in list(old) + list(new):
        seen.setdefault(p.at, p)
    return [seen[t] for t in sorted(seen)]


# ---- the reachable area ------------------------------------------------------------------------------------
@dataclass(frozen=True)
class RegionShape:
    code: str
    name: str
    shape: Polygon | MultiPolygon      # WGS-84


def recent_speed(points: Sequence[TrackPoint], at: datetime, cls: VehicleClass, minutes: float = 10) -> float:
    """The vehicle's recent speed at `at`, km/h: its mean moving speed over the `minutes` before; the class's
    `reach_speed_kmh` when it has not moved lately (a parked tanker can still drive off)."""
    v = speeds(points)
    since = at - timedelta(minutes=minutes)
    moving = [s for p, s in zip(points, v, strict=True) if since <= p.at <= at and s > cls.moving_kmh]
    return sum(moving) / len(moving) if moving else cls.reach_speed_kmh


def reachable(lon: float, lat: float, speed_kmh: float, regions: Sequence[RegionShape],
              minutes: float = REACH_MINUTES) -> dict[str, Any]:
    """The area reachable in `minutes` at `speed_kmh` (a circle, buffered in the local metric projection), clipped
    to the regions it crosses: a GeoJSON FeatureCollection (WGS-84) with one feature per region crossed, and the
    circle's radius. `regions` come deepest first (townships, then counties): each gets the part of the circle in
    it that no region before it took, so nested regions do not count an area twice."""
    radius = max(speed_kmh, 0.0) * 1000 / 60 * minutes
    cx, cy = geo.project(lon, lat)
    circle_xy = Point(cx, cy).buffer(max(radius, 1.0), quad_segs=16)
    circle = transform(_to_lonlat, circle_xy)
    features = []
    covered: Any = None
    for r in regions:  # deepest first: a county gets only what its townships' boundaries leave
        if not r.shape.intersects(circle):
            continue
        piece = r.shape.intersection(circle)
        if covered is not None:
            piece = piece.difference(covered)
        if piece.is_empty:
            continue
        area_m2 = transform(_to_xy, piece).area
        if area_m2 < MIN_PIECE_M2:  # a sliver where two boundaries do not quite meet
            continue
        covered = piece if covered is None else covered.union(piece)
        features.append({"type": "Feature", "properties": {"region": r.code, "name": r.name,
                                                           "area_km2": round(area_m2 / 1e6, 3)},
                         "geometry": _rounded(mapping(piece))})
    return {"type": "FeatureCollection", "center": {"lon": round(lon, 6), "lat": round(lat, 6)},
            "radius_m": round(radius), "speed_kmh": round(speed_kmh, 1), "minutes": minutes,
            "regions": [f["properties"]["region"] for f in features], "features": features}


def _to_lonlat(x: Any, y: Any, z: Any = None) -> tuple[list[float], list[float]]:
    pts = geo.unproject_many(list(zip(x, y, strict=True)))
    return [p[0] for p in pts], [p[1] for p in pts]


def _to_xy(x: Any, y: Any, z: Any = None) -> tuple[list[float], list[float]]:
    pts = geo.project_many(zip(x, y, strict=True))
    return [p[0] for p in pts], [p[1] for p in pts]


def _rounded(geom: Any) -> Any:
    if isinstance(geom, float):
        return round(geom, 6)
    if isinstance(geom, list | tuple):
        return [_rounded(g) for g in geom]
    if isinstance(geom, dict):
        return {k: _rounded(v) for k, v in geom.items()}
    return geom
