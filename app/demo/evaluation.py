"""The city's evaluation (行政问效: GET /api/v1/evaluation by region and by unit, with the 12345 rates) and its board
(GET /api/v1/board) as the tables that end the demo."""
from __future__ import annotations

from rich import box
from rich.table import Table

from app.demo.sim import STATUS_CN
from shared.catalog import TIER_RANK, Catalog

#: the tiers' and the indicators' names as the evaluation shows them (indicator → (中文, English))
TIER_CN = {"city": "市", "county": "区县", "township": "街镇"}
INDICATOR_CN = {"timely_sign_rate": ("及时签收率", "signed"), "on_time_resolve_rate": ("按期处置率", "on time"),
                "close_rate": ("结案率", "closed"), "rework_rate": ("返工率", "rework"),
                "return_rate": ("退单率", "returned"), "response_rate": ("响应率", "12345 response"),
                "solve_rate": ("解决率", "12345 solved"), "satisfaction_rate": ("满意率", "12345 satisfied")}


def _pct(ind: dict) -> str:
    """An indicator as the rate over its numerator/denominator (— when nothing counts)."""
    if not ind or ind.get("denominator", 0) == 0 or ind.get("value") is None:
        return "—"
    return f"{ind['value'] * 100:.1f}%\n[dim]{ind['numerator']}/{ind['denominator']}[/dim]"  # value: a 0–1 ratio


def _center_name(region: str, catalog: Catalog) -> str:
    try:
        return catalog.regions.name(region)
    except Exception:  # noqa: BLE001
        return region


def _ratio_sum(rows: list[dict], name: str) -> dict:
    """An indicator over all the rows: their numerators and denominators summed."""
    num = sum(r[name]["numerator"] for r in rows)
    den = sum(r[name]["denominator"] for r in rows)
    return {"value": num / den if den else None, "numerator": num, "denominator": den}


def evaluation_region_table(rows: list[dict], catalog: Catalog, period: str):
    """The evaluation by region: a row per region the problems were in (in the catalog's order), and the total."""
    t = Table(box=box.SIMPLE_HEAD,
              caption="one row per region the problems were in, whichever tier's unit handled them; each figure: "
                      "the rate, then numerator/denominator (the API lists the case ids behind both). Every hand-over "
                      "that began this month counts, earlier demo runs included.", caption_justify="left")
    t.add_column("区域 region", overflow="fold")
    t.add_column("派单\nassigned", justify="right")
    for cn, en in INDICATOR_CN.values():
        t.add_column(f"{cn}\n{en}", justify="right")

    def path(code):
        try:
            return catalog.regions.path(code)
        except Exception:  # noqa: BLE001
            return (code,)
    for row in sorted(rows, key=lambda r: path(r["region"])):
        code = row["region"]
        try:
            r = catalog.regions.get(code)
            parent = catalog.regions.name(r.parent) if r.parent else ""
            label = f"{r.name}\n[dim]{code} · {parent}{TIER_CN.get(r.tier, r.tier)}[/dim]"
        except Exception:  # noqa: BLE001
            label = code
        t.add_row(label, str(row["assignments"]), *(_pct(row[name]) for name in INDICATOR_CN))
    if rows:
        t.add_row("[bold]合计 all[/bold]", f"[bold]{sum(r['assignments'] for r in rows)}[/bold]",
                  *(_pct(_ratio_sum(rows, name)) for name in INDICATOR_CN))
    else:
        t.add_row("(no hand-overs this month)", "", *("" for _ in INDICATOR_CN))
    return t


def evaluation_unit_table(rows: list[dict], catalog: Catalog, period: str):
    """The evaluation by unit: a row per unit of every tier (city's first), with its center."""
    t = Table(box=box.SIMPLE_HEAD,
              caption="indicators: " + ", ".join(INDICATOR_CN) + "; units of every tier, as the city sees its subtree.",
              caption_justify="left")
    t.add_column("承办单位 unit", overflow="fold")
    t.add_column("中心 center", overflow="fold")
    t.add_column("派单\nassigned", justify="right")
    for cn, en in INDICATOR_CN.values():
        t.add_column(f"{cn}\n{en}", justify="right")

    def order(row):
        try:
            u = catalog.unit(row["unit"])
            return (TIER_RANK.get(u.tier, 9), u.center, row["unit"])
        except Exception:  # noqa: BLE001
            return (9, "", row["unit"])
    for row in sorted(rows, key=order):
        try:
            u = catalog.unit(row["unit"])
            unit_name, center = u.name, f"{_center_name(u.center, catalog)}\n[dim]{u.center}[/dim]"
        except Exception:  # noqa: BLE001
            unit_name, center = row["unit"], ""
        t.add_row(f"{unit_name}\n[dim]{row['unit']}[/dim]", center, str(row["assignments"]),
                  *(_pct(row[name]) for name in INDICATOR_CN))
    if not rows:
        t.add_row("(no hand-overs this month)", "", "", *("" for _ in INDICATOR_CN))
    return t


def board_table(board: dict, catalog: Catalog):
    """The city's board in short: cases by status, open ones by light, top categories, overdue, warnings."""
    t = Table(title=f"态势 · board summary of the city {board.get('center', '')} (GET /api/v1/board)",
              title_justify="left", show_header=False)
    t.add_column(style="bold")
    t.add_column()
    statuses = board.get("by_status", {})
    t.add_row("by status", " · ".join(f"{STATUS_CN.get(k, k)} {v}" for k, v in
                                       sorted(statuses.items(), key=lambda kv: -kv[1])))
    lights = board.get("by_light", {})
    t.add_row("open cases by light", " · ".join(f"{k} {v}" for k, v in lights.items()) or "no open cases")
    cats = sorted(board.get("by_category", {}).items(), key=lambda kv: -kv[1])

    def cname(code):
        try:
            return catalog.category(code).name
        except Exception:  # noqa: BLE001
            return str(code)
    t.add_row("top categories", " · ".join(f"{cname(k)} {v}" for k, v in cats[:8]))
    t.add_row("overdue", str(len(board.get("overdue", []))))
    kinds: dict[str, int] = {}
    for w in board.get("warnings", []):
        kinds[w.get("type", "?")] = kinds.get(w.get("type", "?"), 0) + 1
    t.add_row("recent warnings", f"{len(board.get('warnings', []))}" +
              (f" ({' · '.join(f'{k} {v}' for k, v in kinds.items())})" if kinds else ""))
    return t


