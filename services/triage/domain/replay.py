"""Routing replay: which past cases a changed routing table would have routed elsewhere, and where. Pure.

A case's routing at a center is read back from its timeline: the first `triaged` (kept at this center, with its unit)
or `routed` (handed down to a child center) entry this center recorded, with the facts routing saw then — category,
priority, source, the problem's region, whether the case came up by escalation, the units that had returned it here
before. That request is routed again with the new table (`route`, the same function triage runs live) and the two
decisions are compared. Only a center's first routing of a case is replayed: after it, a different table would have
changed the case's whole history (other units, other returns), so later re-routings have nothing to compare with.
The command desk's 兜底 (`final-owner`, after repeated returns) is not a decision of the table and is not replayed.
"""
from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from shared.catalog import Catalog

from .routing import RouteDecision, RouteRequest, RoutingTable, route

NOT_FROM_THE_TABLE = ("final-owner",)


@dataclass(frozen=True)
class Step:
    """One timeline entry, as replay needs it."""

    at: datetime
    type: str
    center: str
    unit: str | None
    data: Mapping[str, Any]


@dataclass(frozen=True)
class PastRouting:
    case_id: str
    at: datetime
    request: RouteRequest
    rule: str
    center: str  # the center that handles it: this one (with `unit`), or the child it was handed down to
    unit: str | None
    assisting: tuple[str, ...] = ()

    def where(self) -> str:
        return _where(self.center, self.unit, self.assisting)


@dataclass(frozen=True)
class Replayed:
    past: PastRouting
    new: RouteDecision

    @property
    def differs(self) -> bool:
        return (self.past.center, self.past.unit, tuple(sorted(self.past.assisting))) != (
            self.new.center, self.new.unit, tuple(sorted(self.new.assisting)))

    def where(self) -> str:
        return _where(self.new.center, self.new.unit, self.new.assisting)


def _where(center: str, unit: str | None, assisting: Sequence[str]) -> str:
    if unit is None:
        return f"center {center}"
    return unit + (f" (+{', '.join(assisting)})" if assisting else "")


def first_routing(case_id: str, source: str, region: str, center: str, steps: Iterable[Step]) -> PastRouting | None:
    """The first routing of the case that `center` recorded, as a request to replay; None when there is none (or it
    was not the table's)."""
    escalated = False
    returned: list[str] = []
    for s in steps:
        if s.type == "escalated" and s.data.get("to_center") == center:
            escalated = True
        elif s.type == "returned" and s.center == center and s.unit:
            returned.append(s.unit)
        elif s.type in ("triaged", "routed") and s.center == center:
            d = s.data
            rule = str(d.get("rule", ""))
            if rule in NOT_FROM_THE_TABLE or not d.get("category"):
                return None
            req = RouteRequest(center=center, category=str(d["category"]), priority=str(d.get("priority", "normal")),
                               source=source, region=region, exclude_units=frozenset(returned), escalated=escalated)
            if s.type == "routed":
                return PastRouting(case_id, s.at, req, rule, str(d.get("to_center")), None)
            return PastRouting(case_id, s.at, req, rule, center, d.get("unit") or s.unit,
                               tuple(d.get("assisting_units") or ()))
    return None


def replay(past: Iterable[PastRouting], catalog: Catalog, rules: RoutingTable) -> list[Replayed]:
    """Each past routing routed again under `rules` (differing or not, in the order given)."""
    return [Replayed(p, route(p.request, catalog, rules)) for p in past]
