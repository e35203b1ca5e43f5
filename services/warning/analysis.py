"""分析研判: the report of a period for a scope (CONTRACTS.md §7) — `GET /api/v1/analysis?period=YYYY-MM` and
`yiwang analysis`. JSON (`report`) or printable HTML with server-side SVG charts, readable without JavaScript
(`html`).

What it holds: the volume by category, region and source with the change against the previous period; hot spots and
recurring places; repeat callers (masked); the indicators and the ranking (services/feedback's evaluation and
ranking, not recomputed); overdue and reworked cases by unit (from that evaluation's case lists); the warnings raised
and what came of them; and the effect of each proactive task on later complaints of its category in its place (the
same number of days before and after it, as far as the period reaches).
"""
from __future__ import annotations

import html
from collections import Counter
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any

import sqlalchemy as sa
from sqlmodel import col, select

from services.feedback import api as feedback
from services.warning.adapters.tables import PatternCase, Warning
from services.warning.domain.patterns import CHINA, cell_box
from services.warning.finder import rules
from shared.catalog import load_catalog
from shared.observability import mask_phone
from shared.protect import unseal
from shared.store.tables import Case, Reporter

EFFECT_DAYS = 30   # days compared before and after a proactive task
TOP = 10


def period_bounds(period: str) -> tuple[datetime, datetime]:
    """`YYYY-MM` → [first day, first day of the next month) in China time; raises ValueError."""
    start = datetime.strptime(period, "%Y-%m").replace(tzinfo=CHINA)
    return start, (start + timedelta(days=32)).replace(day=1)


def _previous(start: datetime) -> datetime:
    return (start - timedelta(days=1)).replace(day=1)


def report(store, period: str, within: str, sees: Callable[[str], bool] | None = None) -> dict[str, Any]:
    """The report of `period` for the subtree of region `within` (JSON-ready)."""
    catalog = load_catalog()
    regions = catalog.regions
    scope = regions.subtree(within)
    sees = sees or (lambda code: regions.holds(within, code))
    start, end = period_bounds(period)
    prev = _previous(start)
    with store.session() as s:
        now_vol = _volume(s, start, end, scope)
        prev_vol = _volume(s, prev, start, scope)
        places = _recurring(s, start, end, prev, scope)
        warned = list(s.exec(select(Warning).where(col(Warning.at) >= start, col(Warning.at) < end,
                                                   col(Warning.region).in_(scope)).order_by(col(Warning.at))).all())
        tasks = list(s.exec(select(Warning).where(Warning.status == "tasked", col(Warning.acted_at) < end,
                                                  col(Warning.acted_at) >= start - timedelta(days=EFFECT_DAYS * 3),
                                                  col(Warning.region).in_(scope))).all())
        task_status = dict(s.exec(select(Case.id, Case.status).where(
            col(Case.id).in_([w.task_case_id for w in warned + tasks if w.task_case_id]))).all())
        callers = _callers(s, [w for w in warned if w.kind == "repeat_caller"])
        effects = [_effect(s, w, end) for w in tasks if w.kind in ("hotspot", "trend")]
    evaluation = feedback.evaluate(store, start, end, "unit", within=sees)
    ranking = feedback.rank(store, start, end, "region", within=sees, scope=within)

    def named(kind: str, code: str | None) -> str:
        try:
            if code is None:
                return "未分类"
            if kind == "category":
                return catalog.category(code).name
            if kind == "region":
                return regions.name(code)
            if kind == "unit":
                return catalog.unit(code).name
        except LookupError:
            pass
        return str(code)

    def compare(kind: str) -> list[dict[str, Any]]:
        keys = sorted(set(now_vol[kind]) | set(prev_vol[kind]), key=lambda k: (-now_vol[kind].get(k, 0), str(k)))
        return [{"code": k, "name": named(kind, k) if kind != "source" else SOURCE_NAMES.get(str(k), str(k)),
                 "count": now_vol[kind].get(k, 0), "previous": prev_vol[kind].get(k, 0),
                 "change": _change(now_vol[kind].get(k, 0), prev_vol[kind].get(k, 0))} for k in keys]

    rows = [{**row, "name": named("unit", row.get("unit"))} for row in evaluation["rows"]]
    by_unit: list[dict[str, Any]] = []
    for row in rows:
        late = _cases_of(row, "on_time_resolve_rate", missing=True)
        reworked = _cases_of(row, "rework_rate")
        if late or reworked:
            by_unit.append({"unit": row.get("unit"), "name": named("unit", row.get("unit")),
                            "overdue": len(late), "overdue_cases": late, "reworked": len(reworked),
                            "reworked_cases": reworked})
    by_unit.sort(key=lambda r: (-r["overdue"] - r["reworked"], str(r["unit"])))
    outcome = Counter(w.status for w in warned)
    return {
        "period": period, "from": start.isoformat(), "to": end.isoformat(), "previous": prev.strftime("%Y-%m"),
        "scope": within, "scope_name": named("region", within),
        "volume": {"total": sum(now_vol["category"].values()), "previous_total": sum(prev_vol["category"].values()),
                   "change": _change(sum(now_vol["category"].values()), sum(prev_vol["category"].values())),
                   "by_category": compare("category"), "by_region": compare("region"), "by_source": compare("source")},
        "hotspots": [_warning_row(w, task_status) | {"category_name": named("category", w.evidence.get("category"))}
                     for w in warned if w.kind == "hotspot"],
        "recurring_places": [p | {"category_name": named("category", p["category"]),
                                  "region_name": named("region", p["region"])} for p in places],
        "repeat_callers": callers,
        "indicators": {"version": evaluation["version"], "indicators": evaluation["indicators"], "rows": rows},
        "ranking": ranking,
        "units": by_unit,
        "warnings": {"total": len(warned), "by_kind": dict(Counter(w.kind for w in warned)),
                     "by_status": {k: outcome.get(k, 0) for k in ("open", "tasked", "dismissed")},
                     "items": [_warning_row(w, task_status) for w in warned]},
        "proactive": [e | {"category_name": named("category", e["category"]), "task_status": task_status.get(
            e["task_case_id"])} for e in effects],
    }


SOURCE_NAMES = {"hotline": "12345热线", "grid": "网格上报", "sensor": "物联感知", "open311": "Open311",
                "desk": "坐席录入", "proactive": "未诉先办"}


def _change(now: int, before: int) -> float | None:
    return None if before == 0 else round((now - before) / before, 3)


def _volume(s, start: datetime, end: datetime, scope: list[str]) -> dict[str, dict[Any, int]]:
    out: dict[str, dict[Any, int]] = {}
    for name, column in (("category", Case.category), ("region", Case.region), ("source", Case.source)):
        rows = s.exec(select(column, sa.func.count()).where(col(Case.created_at) >= start, col(Case.created_at) < end,
                                                            col(Case.region).in_(scope)).group_by(column)).all()
        out[name] = {k: int(n) for k, n in rows}
    return out


def _recurring(s, start: datetime, end: datetime, prev: datetime, scope: list[str]) -> list[dict[str, Any]]:
    """Places (grid cells) with several cases of one category in the period, most first, with the previous period."""
    q = (select(PatternCase.category, PatternCase.cell, sa.func.min(PatternCase.region), sa.func.count())
         .where(col(PatternCase.at) >= start, col(PatternCase.at) < end, col(PatternCase.cell).is_not(None),
                col(PatternCase.region).in_(scope))
         .group_by(col(PatternCase.category), col(PatternCase.cell)).having(sa.func.count() >= 3)
         .order_by(sa.func.count().desc()).limit(TOP))
    out = []
    for category, cell, region, n in s.exec(q).all():
        before = s.exec(select(sa.func.count()).select_from(PatternCase).where(
            PatternCase.category == category, PatternCase.cell == cell, col(PatternCase.at) >= prev,
            col(PatternCase.at) < start)).one()
        ix, iy = (int(v) for v in cell.split(":"))
        out.append({"category": category, "cell": cell, "region": region, "count": int(n), "previous": int(before),
                    "center": _cell_center(ix, iy, category)})
    return out


def _cell_center(ix: int, iy: int, category: str | None) -> list[float]:
    box = cell_box(ix, iy, 1, float(rules().of("hotspot", category)["cell_m"]))
    return [round((box[0] + box[2]) / 2, 5), round((box[1] + box[3]) / 2, 5)]


def _callers(s, warned: list[Warning]) -> list[dict[str, Any]]:
    out = []
    for w in warned:
        latest = w.case_ids[-1] if w.case_ids else None
        sealed = s.exec(select(Reporter.phone_sealed).where(Reporter.reported_case_id == latest)).first() \
            if latest else None
        phone = unseal(sealed) if sealed else None
        out.append({"warning_id": w.id, "caller": w.evidence.get("caller"), "masked": mask_phone(phone) if phone
                    else None, "orders": w.evidence.get("orders", len(w.case_ids)), "case_ids": w.case_ids,
                    "region": w.region, "status": w.status})
    return out


def _effect(s, w: Warning, end: datetime) -> dict[str, Any]:
    """Complaints of the warning's category in its cells (a trend: its region) in the days before the task and the
    days after it (as many as have passed by `end`, at most EFFECT_DAYS), per day."""
    assert w.acted_at is not None
    t0 = w.acted_at
    after_days = max(0.0, min((end - t0).total_seconds(), EFFECT_DAYS * 86400) / 86400)
    category = w.evidence.get("category")
    where: list[Any] = [col(PatternCase.category) == category, col(PatternCase.source).in_(sorted(rules().sources))]
    if w.kind == "hotspot":
        where.append(col(PatternCase.cell).in_([f"{a}:{b}" for a, b in w.evidence.get("cells", [])]))
    else:
        where.append(col(PatternCase.region) == w.region)

    def count(a: datetime, b: datetime) -> int:
        return int(s.exec(select(sa.func.count()).select_from(PatternCase).where(
            *where, col(PatternCase.at) >= a, col(PatternCase.at) < b)).one())

    before = count(t0 - timedelta(days=EFFECT_DAYS), t0)
    after = count(t0, t0 + timedelta(days=after_days)) if after_days else 0
    per_before = before / EFFECT_DAYS
    per_after = after / after_days if after_days >= 1 else None
    return {"warning_id": w.id, "kind": w.kind, "category": category, "region": w.region,
            "task_case_id": w.task_case_id, "tasked_at": t0.isoformat(), "before": before, "before_days": EFFECT_DAYS,
            "after": after, "after_days": round(after_days, 1), "per_day_before": round(per_before, 3),
            "per_day_after": None if per_after is None else round(per_after, 3),
            "change": None if per_after is None or per_before == 0 else round((per_after - per_before) / per_before, 3)}


def _warning_row(w: Warning, task_status: dict[str, str]) -> dict[str, Any]:
    return {"id": w.id, "kind": w.kind, "level": w.level, "region": w.region, "at": w.at.isoformat(), "title": w.title,
            "status": w.status, "task_case_id": w.task_case_id, "task_status": task_status.get(w.task_case_id or ""),
            "reason": w.reason, "cases": len(w.case_ids), "evidence": w.evidence}


def _cases_of(row: dict[str, Any], code: str, missing: bool = False) -> list[str]:
    ind = row.get(code)
    if not isinstance(ind, dict):
        return []
    num = list(ind.get("numerator_cases") or [])
    if not missing:
        return num
    return [c for c in ind.get("denominator_cases") or [] if c not in set(num)]


# ---- HTML ---------------------------------------------------------------------------------------------------------
KIND_NAMES = {"hotspot": "类案高发", "trend": "上升趋势", "repeat_caller": "重复来电", "alert_storm": "告警风暴",
              "device_offline": "设备离线", "dwell": "异常停留", "route_deviation": "偏离路线", "night_driving": "夜间行驶",
              "fatigue": "疲劳驾驶"}
LEVEL_NAMES = {"info": "提示", "yellow": "黄色", "red": "红色"}
STATUS_NAMES = {"open": "待处置", "tasked": "已转未诉先办", "dismissed": "已排除"}
e = html.escape


def bars(title: str, rows: list[tuple[str, float, float | None]], width: int = 640, before: str = "上期") -> str:
    """A horizontal bar chart as inline SVG: each row its value (and the previous period's as a thin bar)."""
    rows = rows[:12]
    top = max([1.0] + [max(v, p or 0) for _, v, p in rows])
    label_w, bar_w, row_h = 150, width - 230, 26
    height = 30 + row_h * max(1, len(rows))
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" role="img" width="{width}" height="{height}" '
             f'viewBox="0 0 {width} {height}" font-family="sans-serif" font-size="12"><title>{e(title)}</title>',
             f'<text x="0" y="16" font-weight="bold">{e(title)}</text>']
    if not rows:
        parts.append('<text x="0" y="44" fill="#666">无数据</text>')
    for i, (label, value, previous) in enumerate(rows):
        y = 28 + i * row_h
        w = bar_w * value / top
        parts.append(f'<text x="{label_w - 6}" y="{y + 14}" text-anchor="end">{e(label[:14])}</text>')
        parts.append(f'<rect x="{label_w}" y="{y + 3}" width="{w:.1f}" height="14" fill="#2f6fb0"/>')
        if previous is not None:
            pw = bar_w * previous / top
            parts.append(f'<rect x="{label_w}" y="{y + 18}" width="{pw:.1f}" height="3" fill="#999"/>')
        parts.append(f'<text x="{label_w + w + 6:.1f}" y="{y + 14}">{value:g}'
                     f'{"" if previous is None else f"（{before} {previous:g}）"}</text>')
    parts.append("</svg>")
    return "".join(parts)


def _pct(x: float | None) -> str:
    return "—" if x is None else f"{x * 100:+.0f}%"


def _table(head: list[str], rows: list[list[Any]]) -> str:
    if not rows:
        return '<p class="empty">无</p>'
    return ("<table><thead><tr>" + "".join(f"<th>{e(h)}</th>" for h in head) + "</tr></thead><tbody>"
            + "".join("<tr>" + "".join(f"<td>{e('' if c is None else str(c))}</td>" for c in r) + "</tr>" for r in rows)
            + "</tbody></table>")


def html_report(r: dict[str, Any]) -> str:
    """The report as one printable HTML page: charts are inline SVG, no script, no request leaves the page."""
    v = r["volume"]
    chart = {k: bars(t, [(row["name"], row["count"], row["previous"]) for row in v[k]])
             for k, t in (("by_category", "按类别"), ("by_region", "按区域"), ("by_source", "按来源"))}
    w = r["warnings"]
    kinds = bars("预警按类型", [(KIND_NAMES.get(k, k), n, None) for k, n in sorted(w["by_kind"].items())])
    effect = bars("未诉先办前后日均诉求（前 / 后）",
                  [(f"{p['category_name']} {p['warning_id'][-6:]}", p["per_day_after"] or 0, p["per_day_before"])
                   for p in r["proactive"]], before="此前")
    ind_rows = []
    codes = [i["code"] for i in r["indicators"]["indicators"]]
    names = {i["code"]: i["name"] for i in r["indicators"]["indicators"]}
    for row in r["indicators"]["rows"]:
        cells = []
        for c in codes:
            val = row.get(c, {}).get("value") if isinstance(row.get(c), dict) else None
            cells.append("—" if val is None else (f"{val * 100:.1f}%" if val <= 1 else f"{val:.1f}"))
        ind_rows.append([row.get("name") or row.get("unit"), *cells, row.get("score")])
    rank = r["ranking"]
    sections = [
        f"<h1>分析研判报告 · {e(r['scope_name'])}（{e(r['scope'])}） · {e(r['period'])}</h1>",
        f"<p>统计区间 {e(r['from'][:10])} 至 {e(r['to'][:10])}（不含），与上期 {e(r['previous'])} 比较。"
        f"案件总量 <b>{v['total']}</b>，上期 {v['previous_total']}，变化 {_pct(v['change'])}。</p>",
        "<h2>一、案件总量</h2>", chart["by_category"], chart["by_region"], chart["by_source"],
        "<h2>二、热点与高发点位</h2>",
        _table(["预警", "类别", "级别", "标题", "状态", "未诉先办案件"],
               [[h["id"], h["category_name"], LEVEL_NAMES.get(h["level"], h["level"]), h["title"], STATUS_NAMES.get(h["status"], h["status"]),
                 h["task_case_id"]] for h in r["hotspots"]]),
        _table(["类别", "区域", "点位中心", "本期", "上期"],
               [[p["category_name"], p["region_name"], f"{p['center'][0]},{p['center'][1]}", p["count"], p["previous"]]
                for p in r["recurring_places"]]),
        "<h2>三、重复来电</h2>",
        _table(["来电人（脱敏）", "诉求次数", "区域", "状态"],
               [[c["masked"] or c["caller"], c["orders"], c["region"], STATUS_NAMES.get(c["status"], c["status"])]
                for c in r["repeat_callers"]]),
        f"<h2>四、考核指标（{e(r['indicators']['version'])}）与红黑榜</h2>",
        _table(["单位", *[names[c] for c in codes], "综合得分"], ind_rows),
        _table(["红榜", "得分"], [[x.get("name") or x.get("region"), x.get("score")] for x in rank.get("best", [])]),
        _table(["黑榜", "得分"], [[x.get("name") or x.get("region"), x.get("score")] for x in rank.get("worst", [])]),
        "<h2>五、超期与返工（按单位）</h2>",
        _table(["单位", "超期", "返工"], [[u["name"], u["overdue"], u["reworked"]] for u in r["units"]]),
        "<h2>六、预警及处置结果</h2>", kinds,
        f"<p>共 {w['total']} 条：" + "，".join(f"{STATUS_NAMES[k]} {n}" for k, n in w["by_status"].items()) + "。</p>",
        _table(["时间", "类型", "级别", "标题", "状态", "结果"],
               [[i["at"][:16].replace("T", " "), KIND_NAMES.get(i["kind"], i["kind"]), LEVEL_NAMES.get(i["level"], i["level"]),
                 i["title"],
                 STATUS_NAMES.get(i["status"], i["status"]),
                 i["reason"] or (f"{i['task_case_id']}（{i['task_status']}）" if i["task_case_id"] else "")]
                for i in w["items"]]),
        "<h2>七、未诉先办成效</h2>", effect,
        _table(["预警", "类别", "转办时间", f"前{EFFECT_DAYS}天", "此后", "日均变化", "案件状态"],
               [[p["warning_id"], p["category_name"], p["tasked_at"][:16].replace("T", " "), p["before"],
                 f"{p['after']}（{p['after_days']}天）", _pct(p["change"]), p["task_status"]] for p in r["proactive"]]),
    ]
    style = ("body{font-family:'Noto Sans CJK SC','Microsoft YaHei',sans-serif;margin:24px;color:#222}"
             "h1{font-size:22px}h2{font-size:17px;border-bottom:1px solid #ccc;margin-top:28px}"
             "table{border-collapse:collapse;margin:8px 0;font-size:12px}td,th{border:1px solid #bbb;padding:3px 6px}"
             "th{background:#eef2f7}svg{display:block;margin:8px 0}.empty{color:#666}"
             "@media print{h2{page-break-after:avoid}svg,table{page-break-inside:avoid}}")
    return ("<!DOCTYPE html><html lang=\"zh-CN\"><head><meta charset=\"utf-8\">"
            f"<title>分析研判 {e(r['scope'])} {e(r['period'])}</title><style>{style}</style></head><body>"
            + "".join(sections) + "</body></html>")
