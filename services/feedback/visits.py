"""回访: the 12345 platform's satisfaction visit. The visit is recorded (`visited`: resolved and satisfaction
apart) on the case that answers the order — the case it was merged into, if any — and the owner of that case
acts on it per the policy in data/visits.toml: satisfied → the case may close; dissatisfied → rework (重办),
then a leader's review."""
from __future__ import annotations

import functools
import tomllib
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy.exc import IntegrityError
from sqlmodel import select

from services.feedback.adapters.tables import HotlineVisit
from services.feedback.domain.indicators import SATISFIED
from shared import lifecycle
from shared.contracts.api import VisitIn
from shared.store.tables import Reporter, TimelineEntry

ACTOR = "system:feedback"
POLICY_FILE = Path(__file__).resolve().parent / "data" / "visits.toml"


class UnknownOrder(LookupError):
    """No case here answers this 12345 order number."""


@functools.cache
def policy() -> dict:
    with open(POLICY_FILE, "rb") as f:
        return tomllib.load(f)


@dataclass(frozen=True)
class VisitTaken:
    case_id: str
    duplicate: bool  # this (order_no, visited_at) was taken before: nothing was done again


def take_visit(store, visit: VisitIn, actor: str, sees=lambda region: True) -> VisitTaken:
    """Record a visit result (HTTP), once per (order_no, visited_at). `sees(region)`: the caller's scope; an order
    outside it is unknown to the caller."""
    for attempt in (1, 2):
        with store.uow() as uow:
            reporter = uow.session.exec(select(Reporter).where(
                Reporter.source == "hotline", Reporter.external_ref == visit.order_no)).first()
            case = uow.case(reporter.case_id) if reporter is not None else None
            if case is None or not sees(case.region):
                raise UnknownOrder(f"no case here answers 12345 order {visit.order_no}")
            taken = uow.session.get(HotlineVisit, (visit.order_no, visit.visited_at))
            if taken is not None:
                return VisitTaken(taken.case_id, duplicate=True)
            uow.add(HotlineVisit(order_no=visit.order_no, visited_at=visit.visited_at, case_id=case.id,
                                 received_at=uow.now()))
            uow.apply(case, lifecycle.Visit(visit.resolved, visit.satisfaction, visit.comment), actor)
            if case.center == uow.center:
                follow_up(uow, case, visit.satisfaction, visit.comment)
            try:
                uow.commit()  # a case owned below: its owner acts on the `visited` event
            except IntegrityError:
                if attempt == 1:
                    continue  # the same visit, sent twice at once: the other one took it
                raise
            return VisitTaken(case.id, duplicate=False)
    raise RuntimeError("unreachable")  # pragma: no cover


def on_visited(store, event) -> None:
    """A visit recorded by an ancestor (the city takes 12345) on a case this center owns: act on it here."""
    if event.center == store.center:
        return  # recorded here, and acted on in the same transaction
    def write(uow):
        case = uow.case(event.subject)
        if case.center == store.center:
            uow.take_entry(event, case)
            visit = event.payload
            case.satisfaction = visit.satisfaction
            follow_up(uow, case, visit.satisfaction, visit.comment)
    store.once("feedback.on_visited", event, write)


def follow_up(uow, case, satisfaction: str, comment: str | None) -> None:
    """What the owner does after a visit."""
    if satisfaction in SATISFIED:
        if case.status == lifecycle.VERIFIED:
            uow.apply(case, lifecycle.Close("回访满意，结案"), ACTOR)
        return  # resolved, not yet verified: closes on verification (feedback.close_verified)
    reason = "回访不满意" + (f"：{comment}" if comment else "")
    if _dissatisfied_visits(uow, case.id) <= policy()["dissatisfied_reworks"]:
        if case.status == lifecycle.RESOLVED:
            uow.apply(case, lifecycle.Verify(False, reason), ACTOR)  # rework before it was even verified
        elif case.status in (lifecycle.VERIFIED, lifecycle.CLOSED):
            uow.apply(case, lifecycle.Reopen(reason), ACTOR)
    elif case.supervision_level < lifecycle.MAX_SUPERVISION_LEVEL and case.status in lifecycle.OPEN:
        uow.apply(case, lifecycle.Supervise(f"{policy()['review_note']}（{reason}）"), ACTOR)


def _dissatisfied_visits(uow, case_id: str) -> int:
    """Dissatisfied visits on the case so far, this one included."""
    rows = uow.session.exec(select(TimelineEntry.data).where(
        TimelineEntry.case_id == case_id, TimelineEntry.type == "visited")).all()
    return sum(1 for d in rows if (d or {}).get("satisfaction") == "dissatisfied")
