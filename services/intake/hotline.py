"""12345 work orders in (CONTRACTS.md §4): a signed order becomes a case with source `hotline`, idempotent by
`order_no` (a retry answers the same case). The caller's phone number is stored encrypted with the reporter,
never in the case's events."""
from __future__ import annotations

from services.intake.domain.hotline import kind_name, terms
from services.intake.handlers import Accepted, Idempotency, NewCase, take_in
from shared.calendar import default_calendar
from shared.contracts.api import HotlineOrderIn


def take_order(store, order: HotlineOrderIn, actor: str) -> Accepted:
    """The order's case; an order already taken (a retry, whatever its signature) answers its case, unchanged."""
    t = terms(order.kind, order.urgent, order.received_at, order.due_at, default_calendar())
    new = NewCase(
        source="hotline", description=f"【{kind_name(order.kind)}】{order.title}：{order.content}",
        category=order.category, priority=t.priority, deadline_caps=t.caps,
        lon=order.location.lon if order.location else None, lat=order.location.lat if order.location else None,
        address=order.address, region=order.region, reporter_name=order.caller.name,
        reporter_phone=order.caller.phone, external_ref=order.order_no, channel=order.channel,
        occurred_at=order.received_at,
        facts={"order_no": order.order_no, "kind": order.kind, "channel": order.channel, "urgent": order.urgent})
    return take_in(store, new, actor, Idempotency("hotline:order", order.order_no))
