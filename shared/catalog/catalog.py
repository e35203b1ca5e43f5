"""The catalog: categories, units and regions of one city, loaded from the TOML/JSON files in ./data."""

from __future__ import annotations

import functools
import json
import re
import tomllib
from pathlib import Path
from types import MappingProxyType
from typing import Any, Iterable, Mapping

from .model import (
    KINDS,
    PRINCIPLES,
    PRIORITIES,
    STAGES,
    TIER_RANK,
    TIERS,
    Category,
    Deadline,
    Region,
    Unit,
    UnknownCategory,
    UnknownRegion,  # noqa: F401  (named in docstrings; re-exported by the package)
    UnknownUnit,
)
from .regions import RegionRegistry

DATA_DIR = Path(__file__).resolve().parent / "data"
REGIONS_FILE = "regions-320600.json"

_CODE = re.compile(r"^\d{4}$")


class CatalogError(ValueError):
    """The catalog's data files are inconsistent."""


class Catalog:
    """Categories, units and regions of one city. Immutable once built; share it freely."""

    def __init__(
        self,
        categories: Iterable[Category],
        regions: RegionRegistry,
        *,
        other_category: str,
        unit_kinds: Mapping[str, str],
        command_kind: str,
        templates: Mapping[str, Mapping[str, str]],
        departments: Mapping[tuple[str, str], str],
        fallback: Mapping[str, Iterable[str]] | None = None,
    ) -> None:
        cats: dict[str, Category] = {}
        for c in categories:
            if c.code in cats:
                raise CatalogError(f"duplicate category code {c.code}")
            cats[c.code] = c
        self.categories: Mapping[str, Category] = MappingProxyType(cats)
        self.regions = regions
        self.other_category = other_category
        #: every unit kind with its label, in display order
        self.unit_kinds: Mapping[str, str] = MappingProxyType(dict(unit_kinds))
        #: the kind every center has: its command desk (综合指挥/兜底)
        self.command_kind = command_kind
        self._templates = {tier: dict(t) for tier, t in templates.items()}
        self._departments = dict(departments)
        self._fallback = {k: tuple(v) for k, v in (fallback or {}).items()}
        self._units_cache: dict[str, tuple[Unit, ...]] = {}
        self._validate()

    # ── categories ──────────────────────────────────────────────────────────
    def category(self, code: str) -> Category:
        try:
            return self.categories[code]
        except (KeyError, TypeError):
            raise UnknownCategory(code) from None

    # ── units ───────────────────────────────────────────────────────────────
    def units_of(self, center: str) -> list[Unit]:
        """The units of the center whose region code is ``center`` (raises UnknownRegion)."""
        return list(self._units(center))

    def _units(self, center: str) -> tuple[Unit, ...]:
        cached = self._units_cache.get(center)
        if cached is not None:
            return cached
        region = self.regions.get(center)
        names: dict[str, str] = {
            kind: pattern.format(name=region.name) for kind, pattern in self._templates.get(region.tier, {}).items()
        }
        for (dept_region, kind), name in self._departments.items():
            if dept_region == center:
                names[kind] = name
        order = {k: i for i, k in enumerate(self.unit_kinds)}
        units = tuple(
            Unit(code=f"{center}.{kind}", name=name, kind=kind, tier=region.tier, center=center)
            for kind, name in sorted(names.items(), key=lambda kv: order.get(kv[0], len(order)))
        )
        self._units_cache[center] = units
        return units

    def unit(self, code: str) -> Unit:
        """The unit with this code ("{region}.{kind}"), at any center. Raises UnknownUnit."""
        if not isinstance(code, str) or "." not in code:
            raise UnknownUnit(code)
        center, _, kind = code.partition(".")
        if center not in self.regions:
            raise UnknownUnit(code)
        found = self.unit_for(center, kind)
        if found is None:
            raise UnknownUnit(code)
        return found

    def unit_for(self, center: str, kind: str) -> Unit | None:
        """The center's unit of this kind, or None if it has none."""
        for u in self._units(center):
            if u.kind == kind:
                return u
        return None

    def fallback_kinds(self, kind: str) -> tuple[str, ...]:
        """Kinds to try, in order, when a center has no (usable) unit of ``kind``; ends with the command desk."""
        chain = [kind, *self._fallback.get(kind, ())]
        if self.command_kind not in chain:
            chain.append(self.command_kind)
        return tuple(chain[1:])

    # ── export ──────────────────────────────────────────────────────────────
    def as_dict(self, center: str | None = None) -> dict[str, Any]:
        """JSON-able view for GET /api/v1/catalog: categories, the units of ``center`` (default: the
        city's), and every region."""
        units = self.units_of(center if center is not None else self.regions.root)
        return {
            "categories": [c.as_dict() for c in self.categories.values()],
            "other_category": self.other_category,
            "units": [u.as_dict() for u in units],
            "unit_kinds": [{"kind": k, "label": v} for k, v in self.unit_kinds.items()],
            "regions": [r.as_dict() for r in self.regions.all()],
        }

    # ── validation ──────────────────────────────────────────────────────────
    def _validate(self) -> None:
        if self.command_kind not in self.unit_kinds:
            raise CatalogError(f"command kind {self.command_kind!r} is not a unit kind")
        for tier, tpl in self._templates.items():
            if tier not in TIERS:
                raise CatalogError(f"unit templates for unknown tier {tier!r}")
            for kind in tpl:
                if kind not in self.unit_kinds:
                    raise CatalogError(f"templates.{tier}: unknown unit kind {kind!r}")
        for (region, kind) in self._departments:
            if region not in self.regions:
                raise CatalogError(f"department of unknown region {region}")
            if kind not in self.unit_kinds:
                raise CatalogError(f"department {region}.{kind}: unknown unit kind")
        for kind, chain in self._fallback.items():
            for k in (kind, *chain):
                if k not in self.unit_kinds:
                    raise CatalogError(f"fallback.{kind}: unknown unit kind {k!r}")
        # every center has a command desk
        for tier in TIERS:
            sample = next((r.code for r in self.regions.all() if r.tier == tier), None)
            if sample is not None and self.unit_for(sample, self.command_kind) is None:
                raise CatalogError(f"{tier} centers have no {self.command_kind!r} unit")
        if self.other_category not in self.categories:
            raise CatalogError(f"other_category {self.other_category!r} is not a category")
        for c in self.categories.values():
            where = f"category {c.code} {c.name}"
            if not _CODE.match(c.code) or c.code[:2] != c.major_code:
                raise CatalogError(f"{where}: code must be 4 digits starting with its major code")
            if c.kind not in KINDS:
                raise CatalogError(f"{where}: kind {c.kind!r}")
            if c.priority not in PRIORITIES:
                raise CatalogError(f"{where}: priority {c.priority!r}")
            if c.principle not in PRINCIPLES:
                raise CatalogError(f"{where}: principle {c.principle!r}")
            if c.tier not in TIERS:
                raise CatalogError(f"{where}: tier {c.tier!r}")
            if tuple(c.deadlines) != STAGES:
                raise CatalogError(f"{where}: deadlines must be exactly {STAGES}")
            if c.unit_kind not in self.unit_kinds:
                raise CatalogError(f"{where}: unknown unit kind {c.unit_kind!r}")
            if not c.keywords or any(not k for k in c.keywords):
                raise CatalogError(f"{where}: keywords must be non-empty")
            # the responsible unit must exist at every center of the category's tier
            centers = [r.code for r in self.regions.all() if r.tier == c.tier]
            for center in centers[:1]:  # templates make every center of a tier alike; the city is one
                if self.unit_for(center, c.unit_kind) is None:
                    raise CatalogError(f"{where}: no {c.unit_kind!r} unit at {c.tier} center {center}")


# ── loading ─────────────────────────────────────────────────────────────────
def _deadline(spec: Any, where: str) -> Deadline:
    try:
        return Deadline(amount=spec["amount"], unit=spec["unit"])
    except (KeyError, TypeError, ValueError) as e:
        raise CatalogError(f"{where}: bad deadline {spec!r}: {e}") from None


def _deadlines(spec: Any, profiles: Mapping[str, Any], where: str) -> Mapping[str, Deadline]:
    if isinstance(spec, str):
        if spec not in profiles:
            raise CatalogError(f"{where}: unknown deadline profile {spec!r}")
        spec = profiles[spec]
    if not isinstance(spec, dict) or set(spec) != set(STAGES):
        raise CatalogError(f"{where}: deadlines need exactly the stages {', '.join(STAGES)}")
    return MappingProxyType({stage: _deadline(spec[stage], f"{where}.{stage}") for stage in STAGES})


def parse_categories(doc: Mapping[str, Any]) -> tuple[list[Category], str]:
    majors = doc["majors"]
    principles = doc.get("principles", {})
    profiles = doc.get("deadline_profiles", {})
    out: list[Category] = []
    for raw in doc["category"]:
        code = str(raw["code"])
        where = f"category {code}"
        major = majors.get(code[:2])
        if major is None:
            raise CatalogError(f"{where}: unknown major {code[:2]!r}")
        kind = major["kind"]
        out.append(
            Category(
                code=code,
                name=raw["name"],
                kind=kind,
                major_code=code[:2],
                major_name=major["name"],
                priority=raw.get("priority", "normal"),
                deadlines=_deadlines(raw["deadlines"], profiles, where),
                unit_kind=raw["unit_kind"],
                tier=raw["tier"],
                principle=raw.get("principle", principles.get(kind, "")),
                keywords=tuple(raw["keywords"]),
            )
        )
    return out, str(doc["other"])


def parse_regions(doc: Mapping[str, Any]) -> RegionRegistry:
    return RegionRegistry(
        Region(code=r["code"], name=r["name"], tier=r["tier"], parent=r["parent"]) for r in doc["regions"]
    )


def load_from(data_dir: Path | str = DATA_DIR, regions_file: str = REGIONS_FILE) -> Catalog:
    """Build a catalog from a data directory (uncached; see load_catalog)."""
    data_dir = Path(data_dir)
    try:
        cats_doc = tomllib.loads((data_dir / "categories.toml").read_text(encoding="utf-8"))
        units_doc = tomllib.loads((data_dir / "units.toml").read_text(encoding="utf-8"))
        regions_doc = json.loads((data_dir / regions_file).read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError, json.JSONDecodeError) as e:
        raise CatalogError(f"cannot read the catalog in {data_dir}: {e}") from e
    try:
        categories, other = parse_categories(cats_doc)
        departments = {(d["region"], d["kind"]): d["name"] for d in units_doc.get("department", [])}
        return Catalog(
            categories,
            parse_regions(regions_doc),
            other_category=other,
            unit_kinds=units_doc["kinds"],
            command_kind=units_doc["command_kind"],
            templates=units_doc.get("templates", {}),
            departments=departments,
            fallback=units_doc.get("fallback", {}),
        )
    except KeyError as e:
        raise CatalogError(f"catalog data in {data_dir}: missing field {e}") from None


@functools.lru_cache(maxsize=1)
def load_catalog() -> Catalog:
    """The catalog of the packaged data files (cached: loaded once per process)."""
    return load_from(DATA_DIR)


__all__ = ["Catalog", "CatalogError", "load_catalog", "load_from", "TIER_RANK"]
