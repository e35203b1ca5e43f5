"""Verification with evidence (issue 11 item 7), pure: whether a resolving photo (办结照片) was taken after the case was
dispatched to the resolving unit and near the case, and whether its content was already cited by another case. The
rules are data (services/media/data/evidence.toml or $YIWANG_EVIDENCE_FILE): each check either refuses the resolve
(`EvidenceRefused`, HTTP 422 naming the rule and the measured figure) or flags the photo for the verifier.

`assess` gives one photo's evidence object, as the `resolved` event, its timeline entry and the case carry it:
`{media_id, sha256, taken_at, location, distance_m, taken_after_dispatch, flags, reused_from}`."""
from __future__ import annotations

import functools
import os
import tomllib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from shared.clock import CHINA
from shared.geo import distance_m
from shared.lifecycle import InvalidCommand

DATA_FILE = Path(__file__).resolve().parent.parent / "data" / "evidence.toml"
FILE_ENV = "YIWANG_EVIDENCE_FILE"
REFUSE, FLAG = "refuse", "flag"
MODES = (REFUSE, FLAG)
SOURCES = ("hotline", "grid", "sensor", "open311", "desk", "proactive")

# the flags a photo's evidence may carry (besides `reused_from:<case id>`, one per other case)
NO_METADATA = "no_metadata"
TAKEN_BEFORE_DISPATCH = "taken_before_dispatch"
TOO_FAR = "too_far"
CASE_WITHOUT_LOCATION = "case_without_location"
NOT_CHECKED = "not_checked"  # a link to a photo elsewhere: its bytes are not here to check


class EvidenceRulesError(ValueError):
    """The evidence file is unreadable or has a bad value."""


class EvidenceRefused(InvalidCommand):
    """A resolving photo breaks a rule whose mode is `refuse` (HTTP 422); `details` names the rule and the figure."""

    def __init__(self, rule: str, message: str, media_id: str | None = None, measured: Any = None,
                 limit: Any = None):
        super().__init__(message)
        self.rule = rule
        self.details: dict[str, Any] = {"rule": rule, "media_id": media_id, "measured": measured, "limit": limit}


@dataclass(frozen=True)
class EvidenceRule:
    """Overrides for the cases that match every field it names (source and/or categories)."""

    source: str | None = None
    categories: tuple[str, ...] = ()
    max_distance_m: float | None = None
    required: bool | None = None

    def matches(self, source: str | None, category: str | None) -> bool:
        return (self.source is None or self.source == source) and (not self.categories or category in self.categories)


@dataclass(frozen=True)
class EvidenceRules:
    max_distance_m: float = 500
    too_far: str = REFUSE
    clock_tolerance: timedelta = timedelta(minutes=5)
    before_dispatch: str = REFUSE
    no_metadata: str = FLAG
    reused: str = FLAG
    required: bool = False
    rules: tuple[EvidenceRule, ...] = ()
    source: str = str(DATA_FILE)

    def for_case(self, source: str | None, category: str | None) -> tuple[float, bool]:
        """(the largest distance in metres, whether a photo is required) for a case of this source and category."""
        rule = next((r for r in self.rules if r.matches(source, category)), None)
        if rule is None:
            return self.max_distance_m, self.required
        return (rule.max_distance_m if rule.max_distance_m is not None else self.max_distance_m,
                rule.required if rule.required is not None else self.required)

    def where(self, key: str) -> str:
        return f"{Path(self.source).name}: {key} = \"{getattr(self, key)}\""


@dataclass(frozen=True)
class Photo:
    """A photo taken in at this center: its content hash and what its EXIF says."""

    media_id: str
    sha256: str
    taken_at: datetime | None
    lon: float | None
    lat: float | None


@dataclass(frozen=True)
class Site:
    """The case as the evidence is measured against it: where it is and when it was given to the resolving unit."""

    case_id: str
    lon: float | None
    lat: float | None
    given_at: datetime | None
    source: str | None = None
    category: str | None = None


def _local(at: datetime) -> str:
    return at.astimezone(CHINA).isoformat()


def _span(delta: timedelta) -> str:
    minutes = int(abs(delta).total_seconds() // 60)
    days, rest = divmod(minutes, 24 * 60)
    hours, mins = divmod(rest, 60)
    parts = [f"{days} d"] * bool(days) + [f"{hours} h"] * bool(hours) + [f"{mins} min"]
    return " ".join(parts)


def assess(photo: Photo, site: Site, rules: EvidenceRules, reused_from: Sequence[str] = ()) -> dict[str, Any]:
    """The evidence of one photo; raises EvidenceRefused for the first rule it breaks whose mode is `refuse`."""
    max_m, _ = rules.for_case(site.source, site.category)
    flags: list[str] = []
    has_place = photo.lon is not None and photo.lat is not None
    after: bool | None = None
    if photo.taken_at is not None and site.given_at is not None:
        after = photo.taken_at >= site.given_at - rules.clock_tolerance
        if not after:
            if rules.before_dispatch == REFUSE:
                raise EvidenceRefused(
                    "taken_after_dispatch",
                    f"photo {photo.media_id} was taken at {_local(photo.taken_at)}, "
                    f"{_span(site.given_at - photo.taken_at)} before the case was dispatched to the unit at "
                    f"{_local(site.given_at)}; a resolving photo must be taken after the dispatch "
                    f"({rules.where('before_dispatch')})",
                    photo.media_id, _local(photo.taken_at), _local(site.given_at))
            flags.append(TAKEN_BEFORE_DISPATCH)
    distance: int | None = None
    if has_place and site.lon is not None and site.lat is not None:
        assert photo.lon is not None and photo.lat is not None
        distance = round(distance_m(photo.lon, photo.lat, site.lon, site.lat))
        if distance > max_m:
            if rules.too_far == REFUSE:
                raise EvidenceRefused(
                    "max_distance_m",
                    f"photo {photo.media_id} was taken {distance} m from the case's location; a resolving photo must "
                    f"be taken within {max_m:g} m of it ({rules.where('too_far')})",
                    photo.media_id, distance, max_m)
            flags.append(TOO_FAR)
    elif has_place:
        flags.append(CASE_WITHOUT_LOCATION)
    missing = [name for name, absent in (("taken_at", photo.taken_at is None), ("location", not has_place)) if absent]
    if missing:
        if rules.no_metadata == REFUSE:
            raise EvidenceRefused(
                "no_metadata",
                f"photo {photo.media_id} has no EXIF {' or '.join(missing)} (phones and chat apps often strip it); "
                f"send the original photo from the camera ({rules.where('no_metadata')})",
                photo.media_id, missing, None)
        flags.append(NO_METADATA)
    others = sorted(set(reused_from) - {site.case_id})
    if others:
        if rules.reused == REFUSE:
            raise EvidenceRefused(
                "reused",
                f"photo {photo.media_id} was already used on case {', '.join(others)} (same content, SHA-256 "
                f"{photo.sha256[:12]}…); take a new photo on site ({rules.where('reused')})",
                photo.media_id, others, None)
        flags.extend(f"reused_from:{other}" for other in others)
    return {"media_id": photo.media_id, "sha256": photo.sha256,
            "taken_at": _local(photo.taken_at) if photo.taken_at is not None else None,
            "location": {"lon": photo.lon, "lat": photo.lat} if has_place else None,
            "distance_m": distance, "max_distance_m": max_m, "taken_after_dispatch": after,
            "missing": missing, "flags": flags, "reused_from": others}


def external(ref: str) -> dict[str, Any]:
    """The evidence of a photo cited by link (not taken in here): nothing can be checked, and the verifier is told."""
    return {"media_id": None, "url": ref, "sha256": None, "taken_at": None, "location": None, "distance_m": None,
            "taken_after_dispatch": None, "missing": [], "flags": [NOT_CHECKED], "reused_from": []}


def assess_all(photos: Sequence[Photo], links: Sequence[str], site: Site, rules: EvidenceRules,
               reused: Mapping[str, Sequence[str]] | None = None) -> list[dict[str, Any]]:
    """The evidence of every photo a resolve cites, in order: `photos` taken in here (their content's other cases in
    `reused`, by sha256), `links` elsewhere. Refuses a resolve without a photo taken in here when the case needs one."""
    _, required = rules.for_case(site.source, site.category)
    if required and not photos:
        raise EvidenceRefused(
            "required",
            f"a resolve of this case must cite a photo taken on site and uploaded here (POST /api/v1/media); "
            f"{len(links)} linked photo(s) cannot be checked ({Path(rules.source).name}: required)",
            None, len(photos), 1)
    found = [assess(p, site, rules, (reused or {}).get(p.sha256, ())) for p in photos]
    return found + [external(link) for link in links]


# ---- reading the file -------------------------------------------------------------------------------------------
def _fail(where: str, key: str, message: str) -> EvidenceRulesError:
    return EvidenceRulesError(f"{Path(where).name}: {key}: {message}")


def _number(table: Mapping[str, Any], name: str, default: float, where: str, key: str, zero: bool = False) -> float:
    value = table.get(name, default)
    if isinstance(value, bool) or not isinstance(value, (int, float)) or value < 0 or (value == 0 and not zero):
        raise _fail(where, f"{key}.{name}", f"expected a {'non-negative' if zero else 'positive'} number; got {value!r}")
    return float(value)


def _mode(table: Mapping[str, Any], name: str, default: str, where: str) -> str:
    value = table.get(name, default)
    if value not in MODES:
        raise _fail(where, f"evidence.{name}", f"expected one of {', '.join(MODES)}; got {value!r}")
    return str(value)


def _flag(table: Mapping[str, Any], name: str, default: bool | None, where: str, key: str) -> bool | None:
    value = table.get(name, default)
    if value is not None and not isinstance(value, bool):
        raise _fail(where, f"{key}.{name}", f"expected true or false; got {value!r}")
    return value


def parse_evidence(doc: Mapping[str, Any], where: str = str(DATA_FILE)) -> EvidenceRules:
    table = doc.get("evidence", {})
    if not isinstance(table, dict):
        raise _fail(where, "evidence", "expected a table")
    known = {"max_distance_m", "too_far", "clock_tolerance_minutes", "before_dispatch", "no_metadata", "reused",
             "required", "rules"}
    if set(table) - known:
        raise _fail(where, "evidence", f"unknown key(s) {', '.join(sorted(set(table) - known))}")
    rules: list[EvidenceRule] = []
    raw_rules = table.get("rules", [])
    if not isinstance(raw_rules, list):
        raise _fail(where, "evidence.rules", "expected a list of tables")
    for i, raw in enumerate(raw_rules):
        key = f"evidence.rules[{i}]"
        if not isinstance(raw, dict) or set(raw) - {"source", "categories", "max_distance_m", "required"}:
            raise _fail(where, key, "expected a table with source and/or categories, and max_distance_m and/or required")
        source, cats = raw.get("source"), raw.get("categories", [])
        if source is not None and source not in SOURCES:
            raise _fail(where, f"{key}.source", f"expected one of {', '.join(SOURCES)}; got {source!r}")
        if not isinstance(cats, list) or not all(isinstance(c, str) for c in cats):
            raise _fail(where, f"{key}.categories", "expected a list of category codes")
        distance = _number(raw, "max_distance_m", 1, where, key) if "max_distance_m" in raw else None
        rules.append(EvidenceRule(source, tuple(cats), distance, _flag(raw, "required", None, where, key)))
    required = _flag(table, "required", False, where, "evidence")
    return EvidenceRules(
        max_distance_m=_number(table, "max_distance_m", 500, where, "evidence"),
        too_far=_mode(table, "too_far", REFUSE, where),
        clock_tolerance=timedelta(minutes=_number(table, "clock_tolerance_minutes", 5, where, "evidence", zero=True)),
        before_dispatch=_mode(table, "before_dispatch", REFUSE, where),
        no_metadata=_mode(table, "no_metadata", FLAG, where),
        reused=_mode(table, "reused", FLAG, where),
        required=bool(required), rules=tuple(rules), source=where)


def load_evidence_from(path: Path | str) -> EvidenceRules:
    path = Path(path)
    try:
        doc = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError) as e:
        raise EvidenceRulesError(f"cannot read the evidence rules {path}: {e}") from e
    return parse_evidence(doc, str(path))


@functools.lru_cache(maxsize=4)
def _cached(path: str) -> EvidenceRules:
    return load_evidence_from(path)


def load_evidence() -> EvidenceRules:
    """The center's evidence rules: $YIWANG_EVIDENCE_FILE if set, else the packaged file (read once per process)."""
    return _cached(os.environ.get(FILE_ENV, "").strip() or str(DATA_FILE))
