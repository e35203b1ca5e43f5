"""Request bodies of dispatch's case actions (CONTRACTS.md §2, round 2), validated before anything is stored. The
limits that are rules (reason codes, windows, extension lengths) are checked against the rules' data by the
handlers, so a change of the data needs no change here."""
from __future__ import annotations

from typing import Annotated, Self

from pydantic import Field, model_validator

from shared.contracts.api import ActionIn, AwareTime, ReasonRequired, Text


class ReturnIn(ReasonRequired):
    """退单: the reason, its code from the rules' data (`reason_code`) and the 权责清单 clause relied on (`basis`)."""

    reason_code: str = Field(min_length=1, max_length=32)
    basis: Text = Field(min_length=1, max_length=1000)


class ReviewReturnIn(ActionIn):
    approved: bool


class ExtendIn(ReasonRequired):
    """延期: hours or working days; the limits per category are the rules' data (a request beyond is 422)."""

    hours: float | None = Field(default=None, gt=0, le=24 * 366)
    working_days: int | None = Field(default=None, gt=0, le=366)

    @model_validator(mode="after")
    def _one(self) -> Self:
        if (self.hours is None) == (self.working_days is None):
            raise ValueError("give either hours or working_days")
        return self


class SuspendIn(ReasonRequired):
    """挂账/缓办: the reason, and optionally when the suspension ends by itself."""

    until: AwareTime | None = None


class DecideSuspensionIn(ActionIn):
    approved: bool


class VoidIn(ReasonRequired):
    pass


class RegisterIn(ActionIn):
    """立案审核: approved, or refused with the reason."""

    approved: bool

    @model_validator(mode="after")
    def _reason_when_refused(self) -> Self:
        if not self.approved and not self.reason:
            raise ValueError("a refused 立案审核 needs a reason")
        return self


class JointIn(ActionIn):
    """联合处置: the lead (主办) and the assisting units (协办), each of which gets a sub-task."""

    lead: str = Field(min_length=1, max_length=64)
    assisting: list[Annotated[str, Field(min_length=1, max_length=64)]] = Field(min_length=1, max_length=20)


class WhistleIn(ReasonRequired):
    """街道吹哨: the departments (of any tier) summoned to the case, and why."""

    units: list[Annotated[str, Field(min_length=1, max_length=64)]] = Field(min_length=1, max_length=20)
