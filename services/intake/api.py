"""Intake's public face: every channel's way in (reports, sensor alerts, 12345 orders, any `NewCase`), where a
report would be placed, and the errors intake answers with."""
from __future__ import annotations

from services.intake.alerts import AlertResult
from services.intake.alerts import group as group_into_case
from services.intake.alerts import receive as receive_alert
from services.intake.domain import boundaries
from services.intake.domain.alerts import UnknownAlertType
from services.intake.domain.boundaries import BoundaryError
from services.intake.domain.reports import OutsideCenter, place
from services.intake.handlers import Accepted, IdempotencyConflict, NewCase, submit_report, take_in
from services.intake.hotline import take_order
from shared.catalog import load_catalog

__all__ = ["Accepted", "AlertResult", "BoundaryError", "IdempotencyConflict", "NewCase", "OutsideCenter",
           "group_into_case",
           "UnknownAlertType", "placed_region", "receive_alert", "submit_report",
           "region_points", "take_in", "take_order", "use_boundaries"]


def placed_region(region: str | None, center: str, lon: float | None, lat: float | None) -> str:
    """The region intake will give a report: the one it names, else its location's, else the center's own.
    Raises for an unknown region or one outside the center."""
    return place(region, center, load_catalog().regions, lon, lat).region


def region_points(codes: list[str]) -> dict[str, tuple[float, float]]:
    """A point for each region that has a boundary (the middle of its box), to mark it on a map. The packaged
    boundaries are illustrative: so are these points."""
    found = boundaries.configured()
    return {code: point for code in codes if (point := found.middle(code)) is not None}


def use_boundaries(path: str | None) -> None:
    """Place reports with the boundaries in `path` (None: the packaged, illustrative ones). Reads the file now, so
    a bad one raises `BoundaryError` at start-up rather than at the first report."""
    boundaries.use_file(path)
    boundaries.configured()
