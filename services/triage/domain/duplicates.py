"""One problem, one case (并单), pure: a new report is a duplicate of an open case of the same category whose
location lies within the category's radius and that was reported within its time window; the nearest wins."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from shared.geo import distance_m


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
