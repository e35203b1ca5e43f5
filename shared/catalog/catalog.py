"""The catalog: categories, units (with their teams) and regions of one city, loaded from the TOML/JSON files
in ./data."""

from __future__ import annotations

import functools
import json
import re
import tomllib
from collections.abc import Iterable, Mapping
from pathlib import Path
from types import MappingProxyType
from typing import Any

from .model import (
    ALWAYS_ON,
    CLOCK_STAGES,
    DEADLINE_UNITS,
    KINDS,
    MERGE_RADIUS_M,
    MERGE_WINDOW_HOURS,
    PRINCIPLES,
    PRIORITIES,
    STAGES,
    TIER_RANK,
    TIERS,
    Category,
    Deadline,
    Region,
    Team,
    Unit,
    UnknownCategory,
    UnknownRegion,  # noqa: F401  (named in docstrings; re-exported by the package)
    UnknownUnit,
)
from .regions import RegionRegistry

DATA_DIR = Path(__file__).resolve().parent / "data"
REGIONS_FILE = "regions-320600.json"
TEAMS_FILE = "teams.toml"
CATEGORIES_FILE = "categories.toml"
UNITS_FILE = "units.toml"

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
        teams: Iterable[Team] = (),
        working_hours: Mapping[str, Any] | None = None,
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
        #: units.toml [working_hours]: a unit kind or a unit code → ALWAYS_ON or ((start, end), ...)
        self._hours: dict[str, str | tuple[tuple[str, str], ...]] = dict(working_hours or {})
        self._units_cache: dict[str, tuple[Unit, ...]] = {}
        self._teams: dict[str, list[Team]] = {}
        for t in sorted(teams, key=lambda t: t.code):
            self._teams.setdefault(t.unit, []).append(t)
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

    def unit_hours(self, unit: str | None) -> str | tuple[tuple[str, str], ...] | None:
        """The working hours of the unit with this code: ALWAYS_ON ("24x7"), its own (start, end) periods on the
        calendar's working days, or None (the center's working hours). A unit code's entry wins over its kind's."""
        if not unit:
            return None
        if unit in self._hours:
            return self._hours[unit]
        return self._hours.get(unit.partition(".")[2])

    def teams_of(self, unit: str) -> list[Team]:
        """The teams (班组) of the unit with this code, by code; empty if it has none listed."""
        return list(self._teams.get(unit, ()))

    def fallback_kinds(self, kind: str) -> tuple[str, ...]:
        """Kinds to try, in order, when a center has no (usable) unit of ``kind``; ends with the command desk."""
        chain = [kind, *self._fallback.get(kind, ())]
        if self.command_kind not in chain:
            chain.append(self.command_kind)
        return tuple(chain[1:])

    # ── export ──────────────────────────────────────────────────────────────
    def as_dict(self, center: str | None = None) -> dict[str, Any]:
        """JSON-able view for GET /api/v1/catalog: categories, the units of ``center`` (default: the
        city's) with their teams, its parent center's units, and every region."""
        center = center if center is not None else self.regions.root
        parent = self.regions.get(center).parent
        return {
            "categories": [c.as_dict() for c in self.categories.values()],
            "other_category": self.other_category,
            "units": [{**u.as_dict(), "teams": [t.as_dict() for t in self.teams_of(u.code)]}
                      for u in self.units_of(center)],
            # the departments above, whom a township's whistle (街道吹哨) may summon
            "parent_units": [u.as_dict() for u in self.units_of(parent) if u.kind != self.command_kind]
            if parent else [],
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
        for key in self._hours:
            if key not in self.unit_kinds:
                try:
                    self.unit(key)
                except UnknownUnit:
                    raise CatalogError(f"{UNITS_FILE}: [working_hours] {key!r} is neither a unit kind "
                                       f"({', '.join(self.unit_kinds)}) nor a unit code such as 320600.police") from None
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
            if not isinstance(c.auto_dispatch, bool):
                raise CatalogError(f"{where}: auto_dispatch must be true or false")
            if c.auto_dispatch and c.tier != "township":
                raise CatalogError(f"{where}: auto_dispatch is for township categories, this one is {c.tier}")
            if not (_number(c.merge_radius_m) and c.merge_radius_m >= 0):
                raise CatalogError(f"{where}: merge_radius_m must be a number ≥ 0 (0: never merged), "
                                   f"got {c.merge_radius_m!r}")
            if not _positive(c.merge_window_hours):
                raise CatalogError(f"{where}: merge_window_hours must be a positive number, got {c.merge_window_hours!r}")
            # the responsible unit must exist at every center of the category's tier
            centers = [r.code for r in self.regions.all() if r.tier == c.tier]
            for center in centers[:1]:  # templates make every center of a tier alike; the city is one
                if self.unit_for(center, c.unit_kind) is None:
                    raise CatalogError(f"{where}: no {c.unit_kind!r} unit at {c.tier} center {center}")
        self._validate_teams()

    def _validate_teams(self) -> None:
        seen: set[str] = set()
        for unit, teams in self._teams.items():
            for t in teams:
                where = f"{TEAMS_FILE}: team {t.code}"
                if t.code in seen:
                    raise CatalogError(f"{where}: duplicate team code")
                seen.add(t.code)
                try:
                    self.unit(unit)
                except UnknownUnit:
                    raise CatalogError(f"{where}: unknown unit {unit!r}") from None
                if not t.code.startswith(unit + ".") or t.code == unit + ".":
                    raise CatalogError(f"{where}: a team code is its unit's code, a dot and a suffix ({unit}.t1)")
                if not t.name:
                    raise CatalogError(f"{where}: name must be non-empty")
                if not (_number(t.lon) and -180 <= t.lon <= 180 and _number(t.lat) and -90 <= t.lat <= 90):
                    raise CatalogError(f"{where}: position must be {{lon, lat}} in degrees, got {t.lon!r}, {t.lat!r}")
                if not (isinstance(t.capacity, int) and not isinstance(t.capacity, bool) and t.capacity > 0):
                    raise CatalogError(f"{where}: capacity must be a positive whole number, got {t.capacity!r}")


def _number(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def _positive(value: Any) -> bool:
    return _number(value) and value > 0


# ── loading ─────────────────────────────────────────────────────────────────
def _deadline(spec: Any, where: str) -> Deadline:
    try:
        return Deadline(amount=spec["amount"], unit=spec["unit"])
    except (KeyError, TypeError, ValueError) as e:
        raise CatalogError(f"{where}: bad deadline {spec!r}: {e} (write {{ amount = 3, unit = \"working_days\" }}; "
                           f"units: {', '.join(DEADLINE_UNITS)})") from None


def _stage_table(spec: Any, where: str, required: tuple[str, ...]) -> dict[str, Deadline]:
    """A table of stage → deadline; `required` stages must be there, the other clock stages may be."""
    if not isinstance(spec, dict):
        raise CatalogError(f"{where}: expected a table of stages ({', '.join(CLOCK_STAGES)}), got {spec!r}")
    unknown = set(spec) - set(CLOCK_STAGES)
    if unknown:
        raise CatalogError(f"{where}: unknown stage(s) {', '.join(sorted(unknown))}; allowed: {', '.join(CLOCK_STAGES)}")
    missing = [stage for stage in required if stage not in spec]
    if missing:
        raise CatalogError(f"{where}: missing stage(s) {', '.join(missing)} (every profile has {', '.join(required)})")
    return {stage: _deadline(spec[stage], f"{where}.{stage}") for stage in CLOCK_STAGES if stage in spec}


def _deadlines(spec: Any, profiles: Mapping[str, Any], where: str) -> Mapping[str, Deadline]:
    if isinstance(spec, str):
        if spec not in profiles:
            raise CatalogError(f"{where}: unknown deadline profile {spec!r}")
        spec = profiles[spec]
    if not isinstance(spec, dict) or not set(STAGES) <= set(spec):
        raise CatalogError(f"{where}: deadlines need exactly the stages {', '.join(STAGES)}")
    return MappingProxyType({stage: _deadline(spec[stage], f"{where}.{stage}") for stage in STAGES})


def _clocks(spec: Any, profiles: Mapping[str, Any], defaults: Mapping[str, Deadline],
            where: str) -> Mapping[str, Mapping[str, Deadline]]:
    """Every priority's six stage clocks of a category: its profile (a name in [deadline_profiles] or an inline
    table), the profile's `priority.<urgent|high|normal>` overrides, and [clock_defaults] for accept/dispatch."""
    name = spec if isinstance(spec, str) else None
    if name is not None:
        spec = profiles[name]
        where = f"{CATEGORIES_FILE}: [deadline_profiles.{name}]"
    spec = dict(spec)
    overrides = spec.pop("priority", {})
    base = {**defaults, **_stage_table(spec, where, STAGES)}
    if not isinstance(overrides, dict) or set(overrides) - set(PRIORITIES):
        raise CatalogError(f"{where}.priority: keys must be priorities ({', '.join(PRIORITIES)}), "
                           f"got {sorted(overrides) if isinstance(overrides, dict) else overrides!r}")
    return MappingProxyType({
        p: MappingProxyType({**base, **_stage_table(overrides.get(p, {}), f"{where}.priority.{p}", ())})
        for p in PRIORITIES})


def parse_clock_defaults(doc: Mapping[str, Any]) -> dict[str, Deadline]:
    """[clock_defaults]: the accept (受理) and dispatch (派遣) clocks of every profile that does not set its own."""
    return _stage_table(doc.get("clock_defaults", {}), f"{CATEGORIES_FILE}: [clock_defaults]", ())


def parse_working_hours(doc: Mapping[str, Any]) -> dict[str, str | tuple[tuple[str, str], ...]]:
    """units.toml [working_hours]: `kind_or_unit_code = "24x7"` or `= [["08:00", "12:00"], ["13:00", "17:00"]]`."""
    out: dict[str, str | tuple[tuple[str, str], ...]] = {}
    table = doc.get("working_hours", {})
    if not isinstance(table, dict):
        raise CatalogError(f"{UNITS_FILE}: [working_hours] must be a table")
    for key, value in table.items():
        where = f"{UNITS_FILE}: [working_hours] {key}"
        if value == ALWAYS_ON:
            out[key] = ALWAYS_ON
            continue
        ok = isinstance(value, list) and value and all(
            isinstance(p, list) and len(p) == 2 and all(isinstance(t, str) and re.fullmatch(r"\d\d:\d\d", t) for t in p)
            for p in value)
        periods = tuple((p[0], p[1]) for p in value) if ok else ()
        if not ok or any(a >= b for a, b in periods) or any(periods[i][1] > periods[i + 1][0]
                                                             for i in range(len(periods) - 1)):
            raise CatalogError(f"{where}: expected \"{ALWAYS_ON}\" (works around the clock) or a list of "
                               f"[\"HH:MM\", \"HH:MM\"] periods in order, not overlapping; got {value!r}")
        out[key] = periods
    return out


def parse_categories(doc: Mapping[str, Any]) -> tuple[list[Category], str]:
    majors = doc["majors"]
    principles = doc.get("principles", {})
    profiles = doc.get("deadline_profiles", {})
    merge = doc.get("merge", {})
    clock_defaults = parse_clock_defaults(doc)
    radius, window = merge.get("radius_m", MERGE_RADIUS_M), merge.get("window_hours", MERGE_WINDOW_HOURS)
    out: list[Category] = []
    for raw in doc["category"]:
        code = str(raw["code"])
        where = f"category {code}"
        major = majors.get(code[:2])
        if major is None:
            raise CatalogError(f"{where}: unknown major {code[:2]!r}")
        kind = major["kind"]
        priority = raw.get("priority", "normal")
        _deadlines(raw["deadlines"], profiles, where)  # names an unknown profile or a missing stage
        clocks = _clocks(raw["deadlines"], profiles, clock_defaults, where)
        own = clocks.get(priority, clocks["normal"])
        out.append(
            Category(
                code=code,
                name=raw["name"],
                kind=kind,
                major_code=code[:2],
                major_name=major["name"],
                priority=priority,
                deadlines=MappingProxyType({stage: own[stage] for stage in STAGES}),
                unit_kind=raw["unit_kind"],
                tier=raw["tier"],
                principle=raw.get("principle", principles.get(kind, "")),
                keywords=tuple(raw["keywords"]),
                auto_dispatch=raw.get("auto_dispatch", False),
                merge_radius_m=raw.get("merge_radius_m", radius),
                merge_window_hours=raw.get("merge_window_hours", window),
                clocks=clocks,
            )
        )
    return out, str(doc["other"])


def parse_teams(doc: Mapping[str, Any]) -> list[Team]:
    """The ``[[team]]`` entries of teams.toml (their references are checked by Catalog)."""
    out: list[Team] = []
    for i, raw in enumerate(doc.get("team", []), start=1):
        where = f"{TEAMS_FILE}: team #{i}" + (f" {raw['code']}" if isinstance(raw, dict) and "code" in raw else "")
        try:
            position = raw["position"]
            out.append(Team(code=str(raw["code"]), unit=str(raw["unit"]), name=str(raw["name"]),
                            lon=position["lon"], lat=position["lat"], capacity=raw["capacity"]))
        except KeyError as e:
            raise CatalogError(f"{where}: missing field {e}") from None
        except TypeError:
            raise CatalogError(f"{where}: expected a table with code, unit, name, position = {{lon, lat}} "
                               f"and capacity") from None
    return out


def parse_regions(doc: Mapping[str, Any]) -> RegionRegistry:
    return RegionRegistry(
        Region(code=r["code"], name=r["name"], tier=r["tier"], parent=r["parent"]) for r in doc["regions"]
    )


def _read(path: Path, parse) -> Any:
    try:
        return parse(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as e:  # TOMLDecodeError and JSONDecodeError are ValueErrors
        raise CatalogError(f"cannot read the catalog file {path}: {e}") from e


def load_from(data_dir: Path | str = DATA_DIR, regions_file: str = REGIONS_FILE) -> Catalog:
    """Build a catalog from a data directory (uncached; see load_catalog)."""
    data_dir = Path(data_dir)
    cats_doc = _read(data_dir / CATEGORIES_FILE, tomllib.loads)
    units_doc = _read(data_dir / UNITS_FILE, tomllib.loads)
    regions_doc = _read(data_dir / regions_file, json.loads)
    teams_path = data_dir / TEAMS_FILE  # optional: a city may have no auto-dispatch teams
    teams_doc = _read(teams_path, tomllib.loads) if teams_path.exists() else {}
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
            teams=parse_teams(teams_doc),
            working_hours=parse_working_hours(units_doc),
        )
    except KeyError as e:
        raise CatalogError(f"catalog data in {data_dir}: missing field {e}") from None


@functools.lru_cache(maxsize=1)
def load_catalog() -> Catalog:
    """The catalog of the packaged data files (cached: loaded once per process)."""
    return load_from(DATA_DIR)


__all__ = ["Catalog", "CatalogError", "load_catalog", "load_from", "TIER_RANK"]
