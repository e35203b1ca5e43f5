"""Dispatch: hand a triaged case to its unit — at a township, for an auto-dispatch category, to the unit's
nearest available team (网格化自动派遣) — and take the unit's answers: accept (签收), return (退单, back to
triage), transfer (转派), escalate (上报, to the parent center), resolve (办结)."""
from __future__ import annotations

from dataclasses import replace

import sqlalchemy as sa
from sqlmodel import col, select

from services.dispatch.domain import teams as team_choice
from shared import lifecycle
from shared.catalog import Team, load_catalog
from shared.store.tables import Case

ACTOR = "system:dispatch"
#: a team holds a case from dispatch until it is verified: these cases count against its capacity
HELD_BY_TEAM = (lifecycle.DISPATCHED, lifecycle.ACCEPTED, lifecycle.RESOLVED)
TEAM_LOCK = 7020602  # PostgreSQL advisory lock class: one team choice per unit at a time


def dispatch_case(store, event) -> None:
    with store.uow() as uow:
        if not uow.first_time("dispatch.dispatch", event.id):
            return
        case = uow.case(event.subject)
        if case.status != lifecycle.TRIAGED or not case.unit or case.center != store.center:
            uow.commit()  # stale
            return
        uow.apply(case, _dispatch(uow, case), ACTOR)
        uow.commit()


def _dispatch(uow, case: Case) -> lifecycle.Dispatch:
    """The Dispatch command for a triaged case. A case of an auto-dispatch category at a township center goes
    to the nearest available team of its unit (case.team is set); when none can take it, the note says why."""
    catalog = load_catalog()
    case.team = None
    if case.unit is None:  # as lifecycle.apply would refuse Dispatch(None); dispatch_case sends only a routed case
        raise lifecycle.InvalidCommand("unit is required")
    command = lifecycle.Dispatch(case.unit, tuple(case.assisting_units))
    category = catalog.categories.get(case.category) if case.category is not None else None
    if category is None or not category.auto_dispatch or catalog.regions.tier(case.center) != "township":
        return command
    if case.lon is None or case.lat is None:
        return replace(command, note="no location to find the nearest team: dispatched to the unit")
    teams = catalog.teams_of(case.unit)
    if not teams:
        return replace(command, note=f"{case.unit} has no teams listed: dispatched to the unit")
    picked = team_choice.nearest_available(teams, _team_load(uow, case.center, teams), case.lon, case.lat)
    if picked is None:
        return replace(command, note=f"every team of {case.unit} is at capacity: dispatched to the unit")
    team, distance = picked
    case.team = team.code
    return replace(command, team=team.code, team_name=team.name, distance_m=round(distance),
                   note=f"nearest available team: {team.name}, {distance:.0f} m away")


def _team_load(uow, center: str, teams: list[Team]) -> dict[str, int]:
    """Open cases each of the unit's teams holds at this center, counted from the cases themselves (index
    ix_case_team_status): a case that is returned, transferred to another unit, escalated, verified or closed
    no longer counts."""
    unit = teams[0].unit
    if uow.engine.dialect.name == "postgresql":  # concurrent dispatches must not both take a team's last place
        uow.session.execute(sa.text("SELECT pg_advisory_xact_lock(:cls, hashtext(:unit))"),
                            {"cls": TEAM_LOCK, "unit": unit})
    rows = uow.session.exec(
        select(Case.team, sa.func.count()).where(
            col(Case.team).in_([t.code for t in teams]), col(Case.status).in_(HELD_BY_TEAM), Case.center == center,
            Case.unit == unit)
        .group_by(Case.team)).all()
    return dict(rows)


def accept(store, case_id, actor, note=None, guard=None):
    return store.act(case_id, lifecycle.Accept(note), actor, guard)


def _off_team(uow, case):
    """The case leaves the team that was sent on site: its unit changes (or it leaves this center)."""
    case.team = None


def return_case(store, case_id, actor, reason, guard=None):
    return store.act(case_id, lifecycle.Return(reason), actor, guard, after=_off_team)


def transfer(store, case_id, actor, unit, reason=None, guard=None):
    load_catalog().unit(unit)  # raises UnknownUnit
    return store.act(case_id, lifecycle.Transfer(unit, reason), actor, guard, after=_off_team)


def escalate(store, case_id, actor, reason, guard=None):
    """上报: the owner hands the case up to its parent center. 提级 (action `take-up`): an ancestor following a
    case of its subtree takes it up to itself; its triage then routes it here."""
    with store.session() as s:
        case = s.get(Case, case_id)
    if case is not None and case.center != store.center:
        return store.act(case_id, lifecycle.Escalate(reason, store.center), actor, guard, action="take-up")
    parent = load_catalog().regions.parent(store.center)
    return store.act(case_id, lifecycle.Escalate(reason, parent), actor, guard, after=_off_team)


def taken_up(store, event) -> None:
    """An ancestor took one of this center's cases up: our copy follows (the units here can no longer act)."""
    with store.uow() as uow:
        if not uow.first_time("dispatch.taken_up", event.id):
            return
        mine = uow.session.get(Case, event.subject)
        if mine is not None and mine.center == store.center:
            uow.copy_from(event)
        uow.commit()


def resolve(store, case_id, actor, note, media=(), guard=None):
    return store.act(case_id, lifecycle.Resolve(note, tuple(str(m) for m in media)), actor, guard)
