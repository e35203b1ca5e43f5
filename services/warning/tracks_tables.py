"""The tables of vehicle tracks (migration 0007): each tracked vehicle (its row is the lock that serialises its
batches across gateway processes), its recent positions (a retention window behind its latest point), and the
causes already raised for it (so a warning is raised once per stay, deviation, night or driving stint)."""
from __future__ import annotations

from datetime import datetime

from sqlmodel import Field, SQLModel

from shared.store.tables import ts


class TrackVehicle(SQLModel, table=True):
    __tablename__ = "track_vehicle"
    vehicle_id: str = Field(primary_key=True, max_length=64)
    plate: str | None = Field(default=None, max_length=16)
    vehicle_class: str = Field(max_length=16)
    latest_at: datetime = ts()                    # its newest position's time: the retention window ends here
    updated_at: datetime = ts()


class TrackPosition(SQLModel, table=True):
    """One position of a vehicle; a time seen again is a tracker's resend and is ignored (the key)."""

    __tablename__ = "track_position"
    vehicle_id: str = Field(primary_key=True, max_length=64)
    at: datetime = ts(primary_key=True)
    lon: float
    lat: float
    speed_kmh: float | None = None


class TrackCause(SQLModel, table=True):
    """A warning raised for a vehicle: its kind and episode (`start_at`…`end_at`, extended while it lasts). A later
    candidate of the same kind whose episode overlaps is the same cause."""

    __tablename__ = "track_cause"
    vehicle_id: str = Field(primary_key=True, max_length=64)
    kind: str = Field(primary_key=True, max_length=20)
    start_at: datetime = ts(primary_key=True)
    end_at: datetime = ts()
    level: str = Field(max_length=8)
    case_id: str | None = Field(default=None, max_length=40)
    warning_id: str | None = Field(default=None, max_length=64)
    raised_at: datetime = ts()
