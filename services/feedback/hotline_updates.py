"""What the 12345 platform must hear (CONTRACTS.md §4): for every hotline order a case answers, the changes the
platform follows become rows of `hotline_update`, written in the same transaction as the change — by the unit of
work itself, for this center's own events and for the copies it keeps of the cases below (the city takes 12345
orders; the townships handle them). `services.feedback.hotline_sender` delivers them."""
from __future__ import annotations

from datetime import datetime, timedelta

import sqlalchemy as sa
from sqlmodel import col

from services.feedback.adapters.tables import HotlineUpdate
from shared.catalog import load_catalog
from shared.store.tables import Case, Reporter
from shared.store.uow import Recorded, UnitOfWork

# our event → the platform's status; events not listed are not the platform's business. A return (退单) waits for
# the dispatching center's review: the platform hears "returned" when the review approves it (`return_reviewed`,
# `approved: true`; a refused one changes nothing it follows: the unit keeps the case), not when the unit asks. A
# voided case (作废) is "closed" for the platform (CONTRACTS.md §4 has no other final status), its message saying so.
STATUS_OF = {"dispatched": "dispatched", "transferred": "dispatched", "reworked": "dispatched",
             "reopened": "dispatched", "accepted": "accepted", "return_reviewed": "returned", "rejected": "returned",
             "resolved": "resolved", "closed": "closed", "voided": "closed"}
SETTLE = timedelta(seconds=1)  # events of one case from several consumers settle into order before sending


def message(event_type: str, data: dict, unit_name) -> str:
    unit = unit_name(data.get("unit")) if data.get("unit") else "承办单位"
    note = data.get("note") or data.get("reason")
    text = {
        "dispatched": f"已派遣至{unit}办理", "transferred": f"已转派至{unit}办理",
        "reworked": f"核查未通过，{unit}重新办理", "reopened": f"重办：{unit}重新办理",
        "accepted": f"{unit}已签收", "returned": f"{unit}退回，正在重新派遣",
        "return_reviewed": f"{unit}退回，经审核同意，正在重新派遣",
        "rejected": "不予受理", "resolved": f"{unit}已办结", "closed": "已结案",
        "voided": "工单已作废，不再办理",
    }[event_type]
    return f"{text}（{note}）" if note else text


def owe(session, case_id: str, event_id: str, event_type: str, at: datetime, data: dict, now: datetime) -> int:
    """Queue the update an event means for each 12345 order the case answers; returns how many."""
    status = STATUS_OF.get(event_type)
    if status is None or (event_type == "return_reviewed" and not data.get("approved")):
        return 0  # (a refused return: the unit keeps the case, nothing changed for the platform)
    orders = session.execute(sa.select(col(Reporter.external_ref)).where(
        col(Reporter.case_id) == case_id, col(Reporter.source) == "hotline",
        col(Reporter.external_ref).is_not(None))).scalars().all()
    if not orders:
        return 0
    catalog = load_catalog()

    def unit_name(code):
        try:
            return catalog.unit(code).name
        except KeyError:
            return code
    text = message(event_type, data, unit_name)
    session.execute(sa.insert(HotlineUpdate), [
        {"event_id": event_id, "order_no": order_no, "case_id": case_id, "status": status, "message": text,
         "unit": data.get("unit"), "at": at, "created_at": now, "next_attempt_at": now + SETTLE, "attempts": 0}
        for order_no in orders])
    return len(orders)


def owe_updates(uow: UnitOfWork, recorded: list[Recorded]) -> None:
    """The reaction: queue the updates the recorded events mean. A case merged here (并单) also tells its callers,
    who now wait for the target case, where that case stands."""
    now = uow.now()
    for r in recorded:
        owe(uow.session, r.case.id, r.event_id, r.type, r.at, r.data, now)
        if r.type == "merged" and not r.copied:
            target = uow.session.get(Case, r.data["into"])
            if target is not None and target.status in STATUS_OF:
                owe(uow.session, target.id, f"merged:{r.case.id}", target.status, now,
                    {"unit": target.unit, "note": f"已并入案件 {target.id} 一并办理"}, now)
