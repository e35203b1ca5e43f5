"""Vehicle tracks (`POST /api/v1/tracks`, CONTRACTS.md §7): keep each vehicle's recent positions, find the warnings
its track deserves (services/warning/domain/tracks.py) and raise each once, grouped into one case per vehicle.

Memory: positions are kept in the center's database (`track_position`), per vehicle, for RETENTION behind the
vehicle's latest point and at most MAX_POINTS of them; older ones are deleted as batches arrive. Not in process
memory: several gateway processes (competing consumers of one center) may each take batches of one vehicle, and each
must see the vehicle's whole recent track; a restart must not forget a stay that has lasted 20 minutes. The
vehicle's row (`track_vehicle`) is locked while a batch is taken, so two batches of one vehicle are merged one after
the other, never interleaved.

A batch: points in any order, duplicates ignored (the key is vehicle and time; a time already kept is a resend),
points older than the retention window ignored, a point in the future beyond FUTURE_SLACK refuses the batch (422,
nothing stored). `accepted` counts the points newly kept. Only the episodes the new points touch are considered,
and a candidate whose episode overlaps a cause already raised for the vehicle (same kind) is that cause again.

Each new warning is grouped into the vehicle's one open case (group key "vehicle:{vehicle_id}", the same grouping
as sensor alerts: services/intake/alerts.py `group`) and raised through the warnings' `raise_warning` in the same
transaction, with the area the vehicle can reach in 5 minutes (clipped to the regions it crosses) and the teams
of those regions in its evidence.
"""
from __future__ import annotations

import functools
import json
import os
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Annotated, Any, Literal

import structlog
from pydantic import AfterValidator, Field
from shapely.geometry import shape
from sqlalchemy.dialects import postgresql, sqlite
from sqlmodel import col, delete, select

from services.intake import api as intake  # a module reference: intake's alerts import the warnings in turn
from services.warning.domain import tracks as domain
from services.warning.domain.tracks import Candidate, RegionShape, TrackPoint
from services.warning.records import raise_warning
from services.warning.tracks_tables import TrackCause, TrackPosition, TrackVehicle
from shared.catalog import load_catalog
from shared.catalog.catalog import DATA_DIR as CATALOG_DIR
from shared.contracts.api import Strict

log = structlog.get_logger("yiwang.warning.tracks")
ACTOR = "system:tracks"
RETENTION = timedelta(hours=12)     # longer than any episode: a 4-hour stint, a night of 8 hours
MAX_POINTS = 8000                   # per vehicle (12 h at one point each 6 s)
FUTURE_SLACK = timedelta(minutes=5)
MAX_BATCH = 1000


def _aware(v: datetime) -> datetime:
    if v.tzinfo is None:
        raise ValueError("needs a time zone, e.g. 2026-11-22T09:30:00+08:00")
    return v


class TrackPointIn(Strict):
    at: Annotated[datetime, AfterValidator(_aware)]
    lon: float = Field(ge=73.0, le=135.5, allow_inf_nan=False, description="WGS-84 degrees (inside China)")
    lat: float = Field(ge=3.5, le=53.6, allow_inf_nan=False, description="WGS-84 degrees (inside China)")
    speed_kmh: float | None = Field(default=None, ge=0, le=250, allow_inf_nan=False)


class TracksIn(Strict):
    """A batch of a tracker's positions (WGS-84), in any order, duplicates allowed."""

    vehicle_id: str = Field(pattern=r"^[0-9A-Za-z\u4e00-\u9fff][0-9A-Za-z\u4e00-\u9fff_.:-]{0,63}$")
    plate: str | None = Field(default=None, min_length=1, max_length=16)
    vehicle_class: Literal["hazmat", "muck", "bus", "other"] = Field(alias="class")
    points: list[TrackPointIn] = Field(min_length=1, max_length=MAX_BATCH)


class TrackRejected(ValueError):
    """The batch cannot be taken (HTTP 422); nothing was stored."""


@dataclass(frozen=True)
class TracksResult:
    accepted: int
    warnings: list[dict]


# ---- regions and teams ---------------------------------------------------------------------------------------
@functools.cache
def region_shapes() -> tuple[RegionShape, ...]:
    """The regions' boundaries (YIWANG_BOUNDARIES, else the packaged illustrative ones), deepest tier first, so
    the reachable area is clipped to the most specific regions."""
    path = os.environ.get("YIWANG_BOUNDARIES") or str(CATALOG_DIR / "boundaries-320600.geojson")
    with open(path, encoding="utf-8") as f:
        doc = json.load(f)
    regions = load_catalog().regions
    found = []
    for feat in doc.get("features", []):
        code = str(feat.get("properties", {}).get("code", ""))
        if code in regions:
            found.append((len(regions.path(code)), RegionShape(code, regions.name(code), shape(feat["geometry"]))))
    return tuple(r for _, r in sorted(found, key=lambda t: (-t[0], t[1].code)))


def teams_in(codes: list[str], lon: float, lat: float) -> list[dict]:
    """The teams (班组) of the units of these regions, nearest first."""
    from services.warning.domain.tracks_geodesy import metres

    catalog = load_catalog()
    out = []
    for code in codes:
        for unit in catalog.units_of(code):
            for t in catalog.teams_of(unit.code):
                out.append({"code": t.code, "name": t.name, "unit": t.unit, "region": code,
                            "position": {"lon": t.lon, "lat": t.lat},
                            "distance_m": round(metres((lon, lat), (t.lon, t.lat)))})
    return sorted(out, key=lambda t: (t["distance_m"], t["code"]))


def reach_of(points: list[TrackPoint], c: Candidate, cls: domain.VehicleClass) -> tuple[dict, list[dict]]:
    speed = domain.recent_speed(points, c.at, cls)
    area = domain.reachable(c.lon, c.lat, speed, region_shapes())
    return area, teams_in(area["regions"], c.lon, c.lat)


# ---- taking a batch --------------------------------------------------------------------------------------------
def receive(store, batch: TracksIn, actor: str) -> TracksResult:
    """Keep the batch's new points and raise the warnings they complete. Raises `TrackRejected` before storing
    anything when a point lies in the future."""
    now = store.now()
    late = [p.at for p in batch.points if p.at > now + FUTURE_SLACK]
    if late:
        raise TrackRejected(f"{len(late)} point(s) lie in the future (e.g. {max(late).isoformat()}); "
                            "check the tracker's clock")
    ref = domain.reference()
    cls = ref.vehicle_class(batch.vehicle_class)
    incoming = domain.merge_points([], [TrackPoint(p.at, p.lon, p.lat, p.speed_kmh) for p in batch.points])
    vid = batch.vehicle_id
    with store.uow() as uow:
        session = uow.session
        dialect = session.get_bind().dialect.name
        insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
        session.execute(insert(TrackVehicle).values(
            vehicle_id=vid, plate=batch.plate, vehicle_class=batch.vehicle_class, latest_at=incoming[-1].at,
            updated_at=uow.now()).on_conflict_do_nothing())
        vehicle = session.exec(select(TrackVehicle).where(TrackVehicle.vehicle_id == vid).with_for_update()).one()
        latest = max(vehicle.latest_at, incoming[-1].at)
        horizon = latest - RETENTION
        kept = {row for row in session.exec(select(TrackPosition.at).where(
            TrackPosition.vehicle_id == vid, col(TrackPosition.at) >= incoming[0].at,
            col(TrackPosition.at) <= incoming[-1].at)).all()}
        new = [p for p in incoming if p.at >= horizon and p.at not in kept]
        if not new:
            uow.commit()
            return TracksResult(0, [])
        session.execute(insert(TrackPosition).values([
            {"vehicle_id": vid, "at": p.at, "lon": p.lon, "lat": p.lat, "speed_kmh": p.speed_kmh} for p in new])
            .on_conflict_do_nothing())
        vehicle.latest_at, vehicle.updated_at, vehicle.vehicle_class = latest, uow.now(), batch.vehicle_class
        vehicle.plate = batch.plate or vehicle.plate
        uow.add(vehicle)
        session.execute(delete(TrackPosition).where(col(TrackPosition.vehicle_id) == vid,
                                                    col(TrackPosition.at) < horizon))
        rows = session.exec(select(TrackPosition).where(TrackPosition.vehicle_id == vid)
                            .order_by(col(TrackPosition.at).desc()).limit(MAX_POINTS)).all()
        if len(rows) == MAX_POINTS:
            session.execute(delete(TrackPosition).where(col(TrackPosition.vehicle_id) == vid,
                                                        col(TrackPosition.at) < rows[-1].at))
        session.execute(delete(TrackCause).where(col(TrackCause.vehicle_id) == vid, col(TrackCause.end_at) < horizon))
        causes = session.exec(select(TrackCause).where(TrackCause.vehicle_id == vid)).all()
        points = [TrackPoint(r.at, r.lon, r.lat, r.speed_kmh) for r in reversed(rows)]
        raised = [[r.kind, r.start_at, r.end_at] for r in causes]
        fresh = domain.fresh(domain.detect(vid, cls, points, ref, since=new[0].at), raised, since=new[0].at)
        for row, (_, _, end) in zip(causes, raised, strict=False):  # a known cause seen longer is extended
            if end > row.end_at:
                row.end_at = end
                uow.add(row)
        uow.commit()
    out = []
    for c in fresh:
        w = _raise(store, batch, cls, points, c, actor)
        if w is not None:
            out.append(w)
    log.info("track batch taken", vehicle_id=vid, accepted=len(new), warnings=len(out))
    return TracksResult(len(new), out)


def _raise(store, batch: TracksIn, cls: domain.VehicleClass, points: list[TrackPoint], c: Candidate,
           actor: str) -> dict | None:
    """Group the candidate into the vehicle's case and raise its warning, once: None when its cause was raised
    meanwhile (another process, another batch)."""
    vid = batch.vehicle_id
    area, teams = reach_of(points, c, cls)
    try:
        region = intake.placed_region(None, store.center, c.lon, c.lat)
    except intake.OutsideCenter:
        region = store.center
    evidence = {**c.evidence, "vehicle": {"id": vid, "plate": batch.plate, "class": cls.code},
                "position": {"lon": round(c.lon, 6), "lat": round(c.lat, 6)},
                "at": c.at.isoformat(), "reachable": area, "teams": teams}
    result: dict[str, Any] = {}

    def claim(uow) -> bool:
        s = uow.session
        s.exec(select(TrackVehicle).where(TrackVehicle.vehicle_id == vid).with_for_update()).one()
        same = s.exec(select(TrackCause).where(  # raised meanwhile by another process or batch
            TrackCause.vehicle_id == vid, TrackCause.kind == c.kind, col(TrackCause.start_at) <= c.end,
            col(TrackCause.end_at) >= c.start)).first()
        if same:
            return False
        uow.add(TrackCause(vehicle_id=vid, kind=c.kind, start_at=c.start, end_at=c.end, level=c.level,
                           raised_at=uow.now()))
        return True

    def then(uow, case_id: str) -> None:
        s = uow.session
        cause = s.exec(select(TrackCause).where(TrackCause.vehicle_id == vid, TrackCause.kind == c.kind,
                                                TrackCause.start_at == c.start)).one()
        warning = raise_warning(uow, kind=c.kind, level=c.level, region=region, title=c.title,
                                 evidence=evidence, cause=f"track:{vid}:{c.kind}:{c.start.isoformat()}",
                                 case_ids=(case_id,))
        cause.case_id = case_id
        cause.warning_id = getattr(warning, "id", None)
        uow.add(cause)
        result.update(id=cause.warning_id, case_id=case_id)

    new = intake.NewCase(source="sensor", description=f"{c.title}（车辆 {vid}{'，' + batch.plate if batch.plate else ''}）",
                  lon=c.lon, lat=c.lat, region=None if region == store.center else region,
                  category=cls.case_category, priority=cls.priority[c.level], occurred_at=c.at,
                  facts={"sensor_id": vid, "alert_type": c.kind, "level": c.level, "observed_at": c.at.isoformat()})
    facts = {"sensor_id": vid, "alert_type": c.kind, "level": c.level, "observed_at": c.at.isoformat(),
             "note": c.title}
    grouped = intake.group_into_case(store, f"vehicle:{vid}", new, facts, actor, claim=claim, then=then)
    if grouped is None:
        return None
    log.warning("vehicle warning", vehicle_id=vid, kind=c.kind, level=c.level, case_id=grouped.case_id)
    return {"id": result.get("id"), "kind": c.kind, "level": c.level, "region": region, "at": c.at.isoformat(),
            "title": c.title, "case_id": grouped.case_id, "grouped": grouped.grouped, "evidence": evidence}


