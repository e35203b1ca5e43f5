"""网格化自动派遣, pure: of a unit's teams, the nearest one that still has room takes the case.

A team is available while its load (the open cases it holds) is below its capacity. Distance is the
great-circle (haversine) distance from the team's base to the case's location; equal distances go to the
smaller team code, so the choice never depends on the order the teams come in.
"""
from __future__ import annotations

import math
from typing import Iterable, Mapping, Protocol, TypeVar

EARTH_RADIUS_M = 6_371_008.8  # mean radius (IUGG)


class TeamLike(Protocol):
    code: str
    lon: float
    lat: float
    capacity: int


T = TypeVar("T", bound=TeamLike)


def distance_m(lon1: float, lat1: float, lon2: float, lat2: float) -> float:
    """Great-circle (haversine) distance in metres."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * EARTH_RADIUS_M * math.asin(min(1.0, math.sqrt(a)))


def nearest_available(teams: Iterable[T], load: Mapping[str, int], lon: float, lat: float) -> tuple[T, float] | None:
    """The nearest team whose load (``load[code]``, 0 if absent) is below its capacity, with its distance in
    metres; None when every team is full (or there are none)."""
    best: tuple[float, str, T] | None = None
    for team in teams:
        if load.get(team.code, 0) >= team.capacity:
            continue
        d = distance_m(team.lon, team.lat, lon, lat)
        if best is None or (d, team.code) < best[:2]:
            best = (d, team.code, team)
    return None if best is None else (best[2], best[0])
