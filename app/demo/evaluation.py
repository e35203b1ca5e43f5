"""The city's evaluation (行政问效: GET /api/v1/evaluation by region and by unit, with the 12345 rates), its ranking
(红黑榜: GET /api/v1/ranking) and its board (GET /api/v1/board) as the tables that end the demo."""
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


def top_rows(rows: list[dict], catalog: Catalog) -> list[dict]:
    """The rows no other row rolls up: by region a county's row includes its townships' and the city's everything
    (roll-up by tier), so the total of the table is the top rows' — the city's own row when the city sees it — and
    adding up every row would count a township's hand-overs two or three times."""
    codes = {r["region"] for r in rows}

    def rolled_up(code: str) -> bool:
        try:
            above = catalog.regions.path(code)[:-1]  # its ancestors, top down
        except Exception:  # noqa: BLE001 - a region the catalog does not know: its own top
            return False
        return any(a in codes for a in above)
    return [r for r in rows if not rolled_up(r["region"])]


def _ratio_sum(rows: list[dict], name: str) -> dict:
    """An indicator over all the rows: their numerators and denominators summed."""
    num = sum(r[name]["numerator"] for r in rows)
    den = sum(r[name]["denominator"] for r in rows)
    return {"value": num / den if den else None, "numerator": num, "denominator": den}


def evaluation_region_table(rows: list[dict], catalog: Catalog, period: str):
    """The evaluation by region: a row per region the problems were in (in the catalog's order), and the total."""
    t = Table(box=box.SIMPLE_HEAD,
              caption="one row per region the problems were in, whichever tier's unit handled them; a county's row "
                      "includes its townships' and the city's everything (roll-up by tier), so 合计 is the top row, not "
                      "a sum. Each figure: the rate, then numerator/denominator (the API lists the case ids behind "
                      "both). Every hand-over that began this month counts, earlier demo runs included.",
              caption_justify="left")
    t.add_column("区域 region", overflow="fold")
    t.add_column("派单\nassigned", justify="right")
    t.add_column("综合得分\nscore", justify="right")
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
        t.add_row(label, str(row["assignments"]), _score(row), *(_pct(row[name]) for name in INDICATOR_CN))
    if rows:
        top = top_rows(rows, catalog)
        score = _score(top[0]) if len(top) == 1 else ""
        t.add_row("[bold]合计 all[/bold]", f"[bold]{sum(r['assignments'] for r in top)}[/bold]", score,
                  *(_pct(_ratio_sum(top, name)) for name in INDICATOR_CN))
    else:
        t.add_row("(no hand-overs this month)", "", "", *("" for _ in INDICATOR_CN))
    return t


def _score(row: dict) -> str:
    """The composite score (综合得分, 0–100) of a row, or — when nothing is scored."""
    score = row.get("score")
    return "—" if score is None else f"{score:.1f}"


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


def ranking_table(ranking: dict, catalog: Catalog, title: str):
    """红黑榜: the best (红榜) and the worst (黑榜) rows by composite score, side by side."""
    by = ranking.get("by", "unit")
    t = Table(box=box.SIMPLE_HEAD, title=title, title_justify="left",
              caption=f"ranked by the composite score of indicators {ranking.get('version', '')}; a row needs the "
                      "version's minimum of hand-overs to be ranked", caption_justify="left")
    for side in ("红榜 best", "黑榜 worst"):
        t.add_column(side, overflow="fold")
        t.add_column("得分\nscore", justify="right")
        t.add_column("派单\nassigned", justify="right")
    best, worst = ranking.get("best", []), ranking.get("worst", [])

    def cells(row: dict | None) -> tuple[str, str, str]:
        if row is None:
            return "", "", ""
        return (f"{row.get('name') or row[by]}\n[dim]{row[by]}[/dim]", f"{row['score']:.1f}", str(row["assignments"]))
    for i in range(max(len(best), len(worst))):
        t.add_row(*cells(best[i] if i < len(best) else None), *cells(worst[i] if i < len(worst) else None))
    if not best and not worst:
        t.add_row("(no row has enough hand-overs to be ranked)", "", "", "", "", "")
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


