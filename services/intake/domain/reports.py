"""Where a report happened: the region is the request's, if given and inside this center's subtree, else
the receiving center's own region (recorded as a fallback)."""
from __future__ import annotations

from dataclasses import dataclass


class OutsideCenter(ValueError):
    """The report's region is not in this center's subtree."""


@dataclass(frozen=True)
class Placement:
    region: str
    how: str  # "request" | "center_fallback"


def place(requested_region: str | None, center: str, regions, lon: float | None = None,
          lat: float | None = None) -> Placement:
    if requested_region:
        regions.get(requested_region)  # raises UnknownRegion
        if not regions.is_within(requested_region, center):
            raise OutsideCenter(f"region {requested_region} is not inside this center's region {center}")
        return Placement(requested_region, "request")
    return Placement(center, "center_fallback")


def place_point(lon: float | None, lat: float | None) -> str | None:
    """The region whose configured boundary contains the point, if any."""
    return None
