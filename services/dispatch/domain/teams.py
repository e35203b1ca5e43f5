"""网格化自动派遣, pure: of a unit's teams, the nearest one that still has room takes the case.

A team is available while its load (the open cases it holds) is below its capacity. Distance is the
great-circle (haversine) distance from the team's base to the case's location; equal distances go to the
smaller team code, so the choice never depends on the order the teams come in.
"""
from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Protocol, TypeVar

from shared.geo import distance_m


class TeamLike(Protocol):  # read-only members: a frozen dataclass (shared.catalog.Team) fits
    @property
    def code(self) -> str: ...
    @property
    def lon(self) -> float: ...
    @property
    def lat(self) -> float: ...
    @property
    def capacity(self) -> int: ...


T = TypeVar("T", bound=TeamLike)


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
