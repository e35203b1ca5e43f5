"""Where a report happened. The region is the request's, if given (it must lie inside this center's subtree);
else the most specific region whose boundary contains the report's location, if that lies inside this center's
subtree ("boundary"); else the receiving center's own region ("center_fallback")."""
from __future__ import annotations

from dataclasses import dataclass

from services.intake.domain import boundaries as geo
from shared.catalog import RegionRegistry


class OutsideCenter(ValueError):
    """The report's region is not in this center's subtree."""


@dataclass(frozen=True)
class Placement:
    region: str
    how: str  # "request" | "boundary" | "center_fallback"


def place(requested_region: str | None, center: str, regions: RegionRegistry, lon: float | None = None,
          lat: float | None = None, boundaries: geo.Boundaries | None = None) -> Placement:
    """``boundaries`` defaults to the deployment's (boundaries.configured())."""
    if requested_region:
        regions.get(requested_region)  # raises UnknownRegion
        if not regions.is_within(requested_region, center):
            raise OutsideCenter(f"region {requested_region} is not inside this center's region {center}")
        return Placement(requested_region, "request")
    if lon is not None and lat is not None:
        for code in (boundaries or geo.configured()).containing(lon, lat):  # deepest first
            if regions.is_within(code, center):
                return Placement(code, "boundary")
    return Placement(center, "center_fallback")

