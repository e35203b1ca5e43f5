"""Routing (分拨): which center handles a case, and which unit there. Pure; rules are data.

The rule table (services/triage/data/routing.toml) is ordered; the first matching rule fires and names
the lead unit's kind and where it is handled. Then:

* **Down-routing.** If the case should be handled at a lower tier than this center's — the category's
  tier says so (部件 先属主后属地 / 事件 先属地后属主 is encoded in each category's tier and unit kind),
  or the rule says ``handle_at = "territory"`` — and the problem's region lies strictly inside this
  center's area, the case goes to the child center on the path towards that region (city → county,
  county → township; the lower center routes it again). ``unit`` is then None.
* **Here.** Otherwise this center dispatches it: its unit of the wanted kind, else the kind's fallbacks
  (units.toml ``[fallback]``), else its command desk (兜底). Units in ``exclude_units`` (they returned
  the case) are skipped; if every candidate returned it, the command desk takes it as final owner.
* An escalated case (``escalated=True``, 上报/提级 from a lower center) is always handled here: handing
  it straight back down would undo the escalation.
"""

from __future__ import annotations

import functools
import tomllib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from shared.catalog import TIER_RANK, Catalog, Category, Unit

DEFAULT_RULES = Path(__file__).resolve().parent.parent / "data" / "routing.toml"

HANDLE_AT = ("here", "territory")
SOURCES = ("hotline", "grid", "sensor", "open311", "desk")
_CONDITIONS = ("categories", "major", "kind", "priority", "source", "tier")
_KEYS = {"id", "description", "unit_kind", "handle_at", "assist", *_CONDITIONS}
_TIER_CN = {"city": "市级", "county": "区县级", "township": "街镇级"}
_PRINCIPLE_CN = {"owner_first": "先属主后属地", "territory_first": "先属地后属主"}


class RoutingError(ValueError):
    """The routing table is invalid."""


@dataclass(frozen=True)
class RouteRequest:
    center: str  # region code of the center doing the routing
    category: str
    priority: str
    source: str
    region: str  # the township or county the problem is in
    exclude_units: frozenset[str] = frozenset()  # units that returned the case
    escalated: bool = False  # the case came up from a lower center (上报/提级): do not hand it back down


@dataclass(frozen=True)
class RouteDecision:
    rule: str  # id of the rule that fired
    center: str  # == request.center when handled here; else the child center to hand the case to
    unit: str | None  # lead unit code at `center` when handled here; None when handed down
    reason: str
    assisting: tuple[str, ...] = ()  # assisting unit codes (协办) at `center`, when handled here

    @property
    def handed_down(self) -> bool:
        return self.unit is None


@dataclass(frozen=True)
class Rule:
    id: str
    description: str = ""
    categories: frozenset[str] | None = None
    major: frozenset[str] | None = None
    kind: frozenset[str] | None = None
    priority: frozenset[str] | None = None
    source: frozenset[str] | None = None
    tier: frozenset[str] | None = None
    unit_kind: str | None = None  # None: the category's own
    handle_at: str | None = None  # "here" | "territory" | None (the category's tier decides)
    assist: tuple[str, ...] = ()

    @property
    def unconditional(self) -> bool:
        return all(getattr(self, c) is None for c in _CONDITIONS)

    def matches(self, req: RouteRequest, category: Category, center_tier: str) -> bool:
        return (
            (self.categories is None or category.code in self.categories)
            and (self.major is None or category.major_code in self.major)
            and (self.kind is None or category.kind in self.kind)
            and (self.priority is None or req.priority in self.priority)
            and (self.source is None or req.source in self.source)
            and (self.tier is None or center_tier in self.tier)
        )


@dataclass(frozen=True)
class RoutingTable:
    rules: tuple[Rule, ...] = field(default_factory=tuple)

    def __post_init__(self) -> None:
        if not self.rules:
            raise RoutingError("the routing table has no rules")
        ids = [r.id for r in self.rules]
        dupes = sorted({i for i in ids if ids.count(i) > 1})
        if dupes:
            raise RoutingError(f"duplicate rule ids: {', '.join(dupes)}")
        if not self.rules[-1].unconditional:
            raise RoutingError(f"the last rule ({self.rules[-1].id}) must have no conditions: it is the default")
        for r in self.rules:
            if r.handle_at is not None and r.handle_at not in HANDLE_AT:
                raise RoutingError(f"rule {r.id}: handle_at must be one of {HANDLE_AT}, not {r.handle_at!r}")

    def first_match(self, req: RouteRequest, category: Category, center_tier: str) -> Rule:
        for rule in self.rules:
            if rule.matches(req, category, center_tier):
                return rule
        return self.rules[-1]  # unreachable: the last rule is unconditional

    def validate(self, catalog: Catalog) -> None:
        """Check the rules' codes and unit kinds against a catalog; raises RoutingError."""
        majors = {c.major_code for c in catalog.categories.values()}
        for r in self.rules:
            where = f"rule {r.id}"
            for code in r.categories or ():
                if code not in catalog.categories:
                    raise RoutingError(f"{where}: unknown category {code}")
            for m in r.major or ():
                if m not in majors:
                    raise RoutingError(f"{where}: unknown major {m}")
            for kind in (r.unit_kind, *r.assist):
                if kind is not None and kind not in catalog.unit_kinds:
                    raise RoutingError(f"{where}: unknown unit kind {kind!r}")
            for k in r.kind or ():
                if k not in ("部件", "事件"):
                    raise RoutingError(f"{where}: kind must be 部件 or 事件, not {k!r}")
            for t in r.tier or ():
                if t not in TIER_RANK:
                    raise RoutingError(f"{where}: unknown tier {t!r}")
            for s in r.source or ():
                if s not in SOURCES:
                    raise RoutingError(f"{where}: unknown source {s!r}")


def _set(value: Any, where: str) -> frozenset[str] | None:
    if value is None:
        return None
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list) or not value or not all(isinstance(v, str) for v in value):
        raise RoutingError(f"{where}: expected a non-empty list of strings")
    return frozenset(value)


def parse_rules(doc: Mapping[str, Any]) -> RoutingTable:
    rules = []
    for i, raw in enumerate(doc.get("rule", [])):
        rid = raw.get("id")
        if not isinstance(rid, str) or not rid:
            raise RoutingError(f"rule #{i + 1}: missing id")
        unknown = set(raw) - _KEYS
        if unknown:
            raise RoutingError(f"rule {rid}: unknown keys {', '.join(sorted(unknown))}")
        rules.append(
            Rule(
                id=rid,
                description=raw.get("description", ""),
                unit_kind=raw.get("unit_kind"),
                handle_at=raw.get("handle_at"),
                assist=tuple(raw.get("assist", ())),
                **{c: _set(raw.get(c), f"rule {rid}.{c}") for c in _CONDITIONS},
            )
        )
    return RoutingTable(tuple(rules))


@functools.lru_cache(maxsize=8)
def _load(path: Path) -> RoutingTable:
    try:
        doc = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError) as e:
        raise RoutingError(f"cannot read routing rules {path}: {e}") from e
    return parse_rules(doc)


def load_routing_table(path: str | Path | None = None) -> RoutingTable:
    """The rule table from ``path`` (default: the packaged routing.toml); cached per path."""
    return _load(Path(path).resolve() if path is not None else DEFAULT_RULES)


def _pick_unit(catalog: Catalog, center: str, kinds: Iterable[str], exclude: frozenset[str]) -> Unit | None:
    for kind in kinds:
        unit = catalog.unit_for(center, kind)
        if unit is not None and unit.code not in exclude:
            return unit
    return None


def route(req: RouteRequest, catalog: Catalog, rules: RoutingTable | None = None) -> RouteDecision:
    """Decide where a case goes. Raises UnknownRegion / UnknownCategory for an unknown center or category."""
    table = rules if rules is not None else load_routing_table()
    regions = catalog.regions
    here = regions.get(req.center)
    category = catalog.category(req.category)
    rule = table.first_match(req, category, here.tier)
    kind = rule.unit_kind or category.unit_kind
    label = f"rule {rule.id}: {category.name}"

    # ── hand down? ──────────────────────────────────────────────────────────
    child = regions.child_towards(req.center, req.region) if req.region in regions else None
    if not req.escalated and rule.handle_at != "here" and child is not None:  # the region lies inside a child
        if rule.handle_at == "territory":
            why = "按属地"
        elif TIER_RANK[category.tier] > TIER_RANK[here.tier]:
            why = f"属{_TIER_CN[category.tier]}事项（{category.kind}，{_PRINCIPLE_CN[category.principle]}），"
        else:
            why = None
        if why is not None:
            target = regions.get(child)
            return RouteDecision(rule.id, child, None, f"{label} → {why}下派{target.name}（{target.code}）")

    # ── handle here ─────────────────────────────────────────────────────────
    notes: list[str] = []
    if req.escalated:
        notes.append("上报案件，本级处置")
    elif (
        rule.handle_at != "here"
        and TIER_RANK[category.tier] > TIER_RANK[here.tier]
        and req.region != req.center
    ):
        notes.append("问题区域不在本中心辖区内或未知，本级处置")
    chain = (kind, *catalog.fallback_kinds(kind))
    exclude = frozenset(req.exclude_units)
    wanted = catalog.unit_for(req.center, kind)
    returned = "、".join(u.name for u in catalog.units_of(req.center) if u.code in exclude)
    unit = _pick_unit(catalog, req.center, chain, exclude)
    if unit is None:  # every candidate returned it: the command desk is the final owner all the same
        unit = catalog.unit_for(req.center, catalog.command_kind)
        assert unit is not None  # the catalog guarantees a command desk at every center
    desk = unit.kind == catalog.command_kind and kind != catalog.command_kind
    if wanted is None:
        lack = f"本级无{catalog.unit_kinds.get(kind, kind)}单位"
        notes.append(f"{lack}，由{unit.name}{'兜底' if desk else '承办'}")
        if returned:
            notes.append(f"已排除退单单位{returned}")
    elif wanted.code in exclude:
        notes.append(f"{returned}已退单，{'由' + unit.name + '兜底' if desk else '改派' + unit.name}")
    elif returned:
        notes.append(f"已排除退单单位{returned}")

    assisting: list[str] = []
    for akind in rule.assist:
        kinds = [k for k in (akind, *catalog.fallback_kinds(akind)) if k != catalog.command_kind]
        helper = _pick_unit(catalog, req.center, kinds, exclude)  # the command desk never assists
        if helper is not None and helper.code != unit.code and helper.code not in assisting:
            assisting.append(helper.code)
    reason = f"{label} → {unit.name}"
    if assisting:
        reason += f"（协办：{'、'.join(catalog.unit(c).name for c in assisting)}）"
    if notes:
        reason += "；" + "；".join(notes)
    return RouteDecision(rule.id, req.center, unit.code, reason, tuple(assisting))
