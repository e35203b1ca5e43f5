"""What a caller may see and do, shared by the main API and Open311: a token sees its region's subtree; only the
owning center acts on a case (an ancestor may supervise it or take it up); a handler acts for its own unit. In joint
handling (联合处置) an assisting unit's handler acts on its own sub-task only — at the owning center, or at its own
center following the case (a county department summoned by a township's whistle), which passes the act on."""
from __future__ import annotations

from services.gateway import errors
from services.gateway.auth import Caller
from services.intake.api import placed_region
from shared.catalog import load_catalog
from shared.contracts.api import Location
from shared.store.tables import Case
from shared.store.uow import Guard

STAFF = frozenset({"admin", "dispatcher"})
ANCESTOR_ACTIONS = ("supervise", "take-up")  # what a center may do to a case it only follows


def check_placement(caller: Caller, center: str, region: str | None, location: Location | None) -> str | None:
    """Where intake will place a report (its region, else its location's, else the center's) must be inside the
    token's region. An unknown region is a 422 before any question of scope. Returns the region to give the report:
    when it names none and its position says nothing more specific than a region outside the token's (no boundary
    data there), the token's own region (a township's grid worker reports in its township), else what it named."""
    lon, lat = (location.lon, location.lat) if location else (None, None)
    placed = placed_region(region, center, lon, lat)
    if caller.sees(placed):
        return region
    regions = load_catalog().regions
    if region is None and regions.is_within(caller.region, placed) and regions.is_within(caller.region, center):
        return caller.region  # the position placed it only as far as a region above the caller's own
    raise errors.forbidden(f"region {placed} is outside this token's region {caller.region}")


def action_guard(caller: Caller, center: str) -> Guard:
    """The check run on the locked case before an action changes it."""
    def guard(case: Case, action: str) -> None:
        if not caller.sees(case.region):
            raise errors.not_found(f"case {case.id} not found")
        if action == "take-up" and caller.role not in STAFF:
            raise errors.forbidden("only a dispatcher of an ancestor center can take a case up")
        if case.center != center and action not in ANCESTOR_ACTIONS:
            raise errors.ApiError(409, "not_owner", f"case {case.id} is handled by center {case.center}; "
                                  f"this center follows it read-only", {"owner": case.center})
        if caller.role == "handler" and case.unit != caller.unit:
            raise errors.forbidden(f"case {case.id} is with unit {case.unit}, not {caller.unit}")
    return guard


TASK_ACTIONS = ("task-accept", "task-return", "task-resolve")  # an assisting unit's acts on its own sub-task


def task_guard(caller: Caller, center: str, unit: str) -> Guard:
    """The check run before `unit`'s act on its sub-task: a handler of that unit only. The lead's sub-task is the case
    itself, so its acts (accept, return, resolve) pass the case's own guard; an assisting unit's pass here, also at a
    center that only follows the case (the owner checks the act again when it takes it)."""
    case_guard = action_guard(caller, center)

    def guard(case: Case, action: str) -> None:
        if caller.role == "handler" and caller.unit != unit:
            raise errors.forbidden(f"the sub-task of {unit} is not for a handler of {caller.unit}")
        if action not in TASK_ACTIONS:
            case_guard(case, action)
            return
        if not caller.sees(case.region):
            raise errors.not_found(f"case {case.id} not found")
    return guard
