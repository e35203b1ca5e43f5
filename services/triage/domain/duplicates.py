"""One problem, one case (并单), pure: a new report is a duplicate of an open case of the same category whose
location lies within the category's radius and that was reported within its time window; the nearest wins."""
from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import datetime, timedelta

EARTH_RADIUS_M = 6_371_008.8


def distance_m(lon1: float, lat1: float, lon2: float, lat2: float) -> float:
    """Great-circle (haversine) distance in metres."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * EARTH_RADIUS_M * math.asin(min(1.0, math.sqrt(a)))


def bbox(lon: float, lat: float, radius_m: float) -> tuple[float, float, float, float]:
    """(min_lon, max_lon, min_lat, max_lat) of a box that holds the circle: the index narrows, distance decides."""
    dlat = math.degrees(radius_m / EARTH_RADIUS_M)
    dlon = dlat / max(math.cos(math.radians(lat)), 1e-6)
    return lon - dlon, lon + dlon, lat - dlat, lat + dlat


@dataclass(frozen=True)
class Candidate:
    case_id: str
    lon: float
    lat: float
    created_at: datetime


@dataclass(frozen=True)
class Duplicate:
    case_id: str
    distance_m: float


def find(lon: float, lat: float, at: datetime, candidates: list[Candidate], radius_m: float,
         window: timedelta) -> Duplicate | None:
    """The nearest candidate within `radius_m` reported no longer than `window` before `at`."""
    best: Duplicate | None = None
    for c in candidates:
        if not at - window <= c.created_at <= at:
            continue
        d = distance_m(lon, lat, c.lon, c.lat)
        if d <= radius_m and (best is None or (d, c.case_id) < (best.distance_m, best.case_id)):
            best = Duplicate(c.case_id, round(d, 1))
    return best
