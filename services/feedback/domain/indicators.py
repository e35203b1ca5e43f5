"""Per-unit and per-region indicators (行政问效), pure, computed from case timelines.

An *assignment* is one hand-over of a case to a unit (dispatched or transferred to it). Over the
assignments that began in the period:

| indicator | 中文 | numerator | denominator |
|---|---|---|---|
| timely_sign_rate | 及时签收率 | signed for before the sign deadline | assignments |
| on_time_resolve_rate | 按期处置率 | resolved with no resolve-stage overdue | assignments the unit kept (应处置数: not returned, transferred away or escalated) |
| close_rate | 结案率 | closed | assignments the unit kept (应结案数) |
| rework_rate | 返工率 | reworked at least once (failed verification or 重办) | assignments the unit kept |
| return_rate | 退单率 | returned by the unit | assignments |
| response_rate | 响应率 | answered before the sign deadline: signed for, or returned with a reason | assignments |
| solve_rate | 解决率 | the citizen said at the visit (回访) that the problem was solved | assignments visited |
| satisfaction_rate | 满意率 | satisfied or basically satisfied at the visit | assignments visited |

The last three are the 12345 三率 (接诉即办); a visit counts for the assignment that was last working on the case.

Every figure carries the case ids behind its numerator and denominator.
"""
from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, cast

SATISFIED = ("satisfied", "basically_satisfied")
INDICATORS = ("timely_sign_rate", "on_time_resolve_rate", "close_rate", "rework_rate", "return_rate",
              "response_rate", "solve_rate", "satisfaction_rate")


@dataclass
class Assignment:
    case_id: str
    unit: str
    region: str
    started_at: datetime
    accepted: bool = False
    late_sign: bool = False
    resolved: bool = False
    late_resolve: bool = False
    reworks: int = 0
    closed: bool = False
    ended: str | None = None  # returned | transferred | escalated
    returned_in_time: bool = False
    visit: dict[str, Any] | None = None  # the last 12345 visit: {resolved, satisfaction}

    @property
    def kept(self) -> bool:
        return self.ended is None


@dataclass(frozen=True)
class Entry:
    """One timeline entry, as the computation needs it."""

    case_id: str
    at: datetime
    type: str
    unit: str | None
    data: Mapping[str, Any] = field(default_factory=dict)


def assignments(case_id: str, region: str, entries: list[Entry]) -> list[Assignment]:
    """Walk one case's timeline (oldest first) into its assignments."""
    out: list[Assignment] = []
    cur: Assignment | None = None
    for e in entries:
        if e.type == "visited" and out:
            out[-1].visit = {"resolved": bool(e.data.get("resolved")), "satisfaction": e.data.get("satisfaction")}
            continue
        if e.type in ("dispatched", "transferred"):
            if cur is not None and e.type == "transferred":
                cur.ended = "transferred"
            # a dispatch or a transfer always names its unit (lifecycle.Dispatch, lifecycle.Transfer)
            cur = Assignment(case_id, cast(str, e.unit or e.data.get("unit")), region, e.at)
            out.append(cur)
        elif cur is None:
            continue
        elif e.type == "accepted":
            cur.accepted = True
        elif e.type == "overdue":
            stage = e.data.get("stage")
            if stage == "sign" and not cur.accepted:
                cur.late_sign = True
            elif stage == "resolve":
                cur.late_resolve = True
        elif e.type == "resolved":
            cur.resolved = True
        elif e.type in ("reworked", "reopened"):
            cur.reworks += 1
            cur.resolved = False
        elif e.type == "closed":
            cur.closed = True
        elif e.type in ("returned", "escalated"):
            cur.ended = e.type
            cur.returned_in_time = e.type == "returned" and not cur.late_sign and not cur.accepted
            cur = None
    return out


def _ratio(num: list[str], den: list[str]) -> dict[str, Any]:
    return {"value": round(len(num) / len(den), 4) if den else None, "numerator": len(num),
            "denominator": len(den), "numerator_cases": sorted(num), "denominator_cases": sorted(den)}


def indicators(rows: list[Assignment], by: str = "unit") -> list[dict[str, Any]]:
    """One row per unit (or region) with every indicator."""
    groups: dict[str, list[Assignment]] = {}
    for a in rows:
        groups.setdefault(a.unit if by == "unit" else a.region, []).append(a)
    result = []
    for key in sorted(groups):
        g = groups[key]
        every = [a.case_id for a in g]
        kept = [a for a in g if a.kept]
        kept_ids = [a.case_id for a in kept]
        visited = [a for a in g if a.visit]
        result.append({
            by: key,
            "assignments": len(g),
            "timely_sign_rate": _ratio([a.case_id for a in g if a.accepted and not a.late_sign], every),
            "on_time_resolve_rate": _ratio([a.case_id for a in kept if a.resolved and not a.late_resolve], kept_ids),
            "close_rate": _ratio([a.case_id for a in kept if a.closed], kept_ids),
            "rework_rate": _ratio([a.case_id for a in kept if a.reworks], kept_ids),
            "return_rate": _ratio([a.case_id for a in g if a.ended == "returned"], every),
            "response_rate": _ratio([a.case_id for a in g if (a.accepted and not a.late_sign) or a.returned_in_time],
                                    every),
            "solve_rate": _ratio([a.case_id for a in visited if a.visit and a.visit["resolved"]],
                                 [a.case_id for a in visited]),
            "satisfaction_rate": _ratio([a.case_id for a in visited
                                         if a.visit and a.visit["satisfaction"] in SATISFIED],
                                        [a.case_id for a in visited]),
        })
    return result


# 红黑榜: the composite score that ranks units or regions. Every indicator weighs the same for now (issue 11 makes
# the weights versioned data); for return and rework rates lower is better, so they count as 1 - rate. Only
# indicators with a denominator count, and a row needs at least `MIN_ASSIGNMENTS` assignments to be ranked.
LOWER_IS_BETTER = ("rework_rate", "return_rate")
MIN_ASSIGNMENTS = 1


def composite(row: Mapping[str, Any]) -> float | None:
    """A row's score from 0 to 100, or None when none of its indicators has a denominator."""
    parts = []
    for name in INDICATORS:
        value = row[name]["value"]
        if value is not None:
            parts.append(1 - value if name in LOWER_IS_BETTER else value)
    return round(100 * sum(parts) / len(parts), 1) if parts else None


def ranking(rows: list[dict[str, Any]], by: str, size: int = 5) -> dict[str, Any]:
    """The best and the worst rows by composite score (ties by more assignments, then by name): at most `size` of
    each, and never the same row on both sides (with few rows, the upper half is 红榜 and the lower half 黑榜)."""
    scored = [{by: r[by], "score": score, "assignments": r["assignments"],
               "cases": sorted({c for name in INDICATORS for c in r[name]["denominator_cases"]})}
              for r in rows if r["assignments"] >= MIN_ASSIGNMENTS and (score := composite(r)) is not None]
    ordered = sorted(scored, key=lambda x: (-x["score"], -x["assignments"], str(x[by])))
    half = (len(ordered) + 1) // 2
    return {"by": by, "best": ordered[:min(size, half)], "worst": list(reversed(ordered[half:]))[:size]}
