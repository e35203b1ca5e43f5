"""Request bodies of the HTTP API (CONTRACTS.md §2), validated before anything is stored."""
from __future__ import annotations

import re
import unicodedata
from datetime import datetime
from typing import Annotated, Literal, Self

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    HttpUrl,
    StringConstraints,
    field_validator,
    model_validator,
)

ROLES = ("admin", "dispatcher", "handler", "gridworker", "hotline", "sensor", "viewer", "citizen")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\u200b-\u200f\u2028\u2029\ufeff]")


def clean_text(value: str) -> str:
    """NFC, no control characters, collapsed whitespace. (Not NFKC: that would rewrite the citizen's Chinese
    full-width punctuation; the classifier folds widths itself.)"""
    value = unicodedata.normalize("NFC", value)
    if _CONTROL.search(value):
        raise ValueError("must not contain control characters")
    if "\ufffd" in value:
        raise ValueError("contains undecodable characters (mixed or broken encoding)")
    return re.sub(r"\s+", " ", value).strip()


Text = Annotated[str, AfterValidator(clean_text)]


def _aware_time(v: datetime | None) -> datetime | None:
    if v is not None and v.tzinfo is None:
        raise ValueError("needs a time zone, e.g. 2026-11-22T09:30:00+08:00")
    return v


AwareTime = Annotated[datetime, AfterValidator(_aware_time)]


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", str_max_length=4000)


class Location(Strict):
    lon: float = Field(ge=-180, le=180, allow_inf_nan=False)
    lat: float = Field(ge=-90, le=90, allow_inf_nan=False)
    address: Text | None = Field(default=None, max_length=200)

    @model_validator(mode="after")
    def _in_china(self) -> Self:
        if not (73.0 <= self.lon <= 135.5 and 3.5 <= self.lat <= 53.6):
            raise ValueError("location is outside China (lon 73–135.5, lat 3.5–53.6, WGS-84)")
        return self


class Reporter(Strict):
    name: Text | None = Field(default=None, max_length=40)
    phone: str | None = Field(default=None, pattern=r"^(1[3-9]\d{9}|0\d{2,3}-?\d{7,8})$")


# A photo a report, resolution or verification cites: the id `POST /api/v1/media` answered, or (as before the media
# route existed) a URL of a photo kept elsewhere.
MediaId = Annotated[str, StringConstraints(pattern=r"^m_[A-Za-z0-9_-]{16,43}$")]
MediaRef = MediaId | HttpUrl


class ReportIn(Strict):
    description: Text = Field(min_length=2, max_length=2000)
    category: str | None = Field(default=None, pattern=r"^\d{4}$")
    location: Location
    region: str | None = Field(default=None, pattern=r"^\d{6}(\d{3})?$")
    reporter: Reporter | None = None
    media: list[MediaRef] = Field(default_factory=list, max_length=20)
    occurred_at: AwareTime | None = None

    @field_validator("description")
    @classmethod
    def _not_blank(cls, v: str) -> str:
        if len(v) < 2:
            raise ValueError("description is too short")
        return v


class SessionIn(Strict):
    """A screen's sign-in: the token, in the body (never in a URL)."""

    token: str = Field(min_length=16, max_length=200)


class TokenIn(Strict):
    role: Literal[ROLES]  # type: ignore[valid-type]
    region: str = Field(pattern=r"^\d{6}(\d{3})?$")
    unit: str | None = Field(default=None, max_length=64)
    name: Text = Field(min_length=1, max_length=80)

    @model_validator(mode="after")
    def _unit_for_handlers(self) -> Self:
        if self.role == "handler" and not self.unit:
            raise ValueError("a handler token must be bound to a unit")
        if self.role != "handler" and self.unit:
            raise ValueError("only handler tokens are bound to a unit")
        return self


# ---- case actions ------------------------------------------------------------------------------
class ActionIn(Strict):
    note: Text | None = Field(default=None, max_length=1000)
    reason: Text | None = Field(default=None, max_length=1000)


class ReasonRequired(ActionIn):
    reason: Text = Field(min_length=1, max_length=1000)


class TransferIn(ActionIn):
    unit: str = Field(min_length=1, max_length=64)


class ResolveIn(ActionIn):
    note: Text = Field(min_length=1, max_length=1000)
    media: list[MediaRef] = Field(default_factory=list, max_length=20)
    location: Location | None = None


class VerifyIn(ActionIn):
    passed: bool
    media: list[MediaRef] = Field(default_factory=list, max_length=20)


class ExtendIn(ReasonRequired):
    hours: float | None = Field(default=None, gt=0, le=240)
    working_days: int | None = Field(default=None, gt=0, le=30)

    @model_validator(mode="after")
    def _one(self) -> Self:
        if (self.hours is None) == (self.working_days is None):
            raise ValueError("give either hours or working_days")
        return self


class DecideExtensionIn(ActionIn):
    approved: bool


class MergeIn(ActionIn):
    into: str = Field(min_length=1, max_length=40)


class SplitIn(ReasonRequired):
    pass


# ---- 12345 hotline (CONTRACTS.md §4) -----------------------------------------------------------

class Caller(Strict):
    name: Text | None = Field(default=None, max_length=40)
    phone: str = Field(pattern=r"^(1[3-9]\d{9}|0\d{2,3}-?\d{7,8})$")


class Point(Location):
    address: None = None  # the order carries its address apart


class HotlineOrderIn(Strict):
    order_no: str = Field(pattern=r"^[0-9A-Za-z][0-9A-Za-z_-]{0,63}$")
    channel: Literal["phone", "app", "web", "wechat"]
    kind: Literal["consult", "help", "complaint", "report", "suggestion"]
    title: Text = Field(min_length=2, max_length=200)
    content: Text = Field(min_length=2, max_length=4000)
    caller: Caller
    address: Text | None = Field(default=None, max_length=200)
    location: Point | None = None
    region: str | None = Field(default=None, pattern=r"^\d{6}(\d{3})?$")
    category: str | None = Field(default=None, pattern=r"^\d{4}$")
    urgent: bool = Field(strict=True)
    received_at: AwareTime
    due_at: AwareTime | None = None

    @model_validator(mode="after")
    def _due_after_received(self) -> Self:
        if self.due_at is not None and self.due_at <= self.received_at:
            raise ValueError("due_at must be after received_at")
        return self


class VisitIn(Strict):
    order_no: str = Field(pattern=r"^[0-9A-Za-z][0-9A-Za-z_-]{0,63}$")
    resolved: bool = Field(strict=True)
    satisfaction: Literal["satisfied", "basically_satisfied", "dissatisfied"]
    comment: Text | None = Field(default=None, max_length=1000)
    visited_at: AwareTime


# ---- sensors -----------------------------------------------------------------------------------
class AlertIn(Strict):
    sensor_id: str = Field(pattern=r"^[0-9A-Za-z][0-9A-Za-z_.:-]{0,63}$")
    alert_type: str = Field(pattern=r"^[a-z][a-z0-9_]{0,39}$")
    level: Literal["info", "warning", "critical"]
    location: Location
    observed_at: AwareTime
    value: float | None = Field(default=None, allow_inf_nan=False)
    threshold: float | None = Field(default=None, allow_inf_nan=False)
    resolved: bool = Field(default=False, strict=True)
