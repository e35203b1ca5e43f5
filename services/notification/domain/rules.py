"""Who is told what when a case changes at the center that owns it: a unit's handlers of new tasks, rework,
催办/督办 and deadlines; the center's dispatchers of returns, extension requests, cases handed to it, overdue cases
and sensor warnings. (Issue 11 turns these into data with duty rosters and channels.)"""
from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

HANDLER, DISPATCHER = "handler", "dispatcher"
SUPERVISION_LEVELS = {1: "催办", 2: "督办", 3: "提级督办"}


@dataclass(frozen=True)
class Notice:
    kind: str
    role: str
    title: str
    body: str


@dataclass(frozen=True)
class Change:
    """What the rules look at: the event and the case as it left it."""

    event: str
    case_id: str
    unit: str | None
    source: str
    handed_here: bool            # routed or escalated to this center
    data: Mapping[str, Any]


def notices(c: Change, what: str) -> list[Notice]:
    """The notifications one change means; `what` names the case for people (e.g. its category and address)."""
    to_unit = c.unit is not None
    match c.event:
        case "dispatched" | "transferred" if to_unit:
            return [Notice("new_task", HANDLER, f"新任务：{what}", f"案件 {c.case_id} 已派至本单位，请及时签收")]
        case "reworked" | "reopened" if to_unit:
            return [Notice("rework", HANDLER, f"返工：{what}", f"案件 {c.case_id} 需重新办理：{_note(c)}")]
        case "supervised" if to_unit:
            level = SUPERVISION_LEVELS.get(int(c.data.get("level") or 1), "督办")
            return [Notice("supervise", HANDLER, f"{level}：{what}", f"案件 {c.case_id} 被{level}：{_note(c)}")]
        case "due_soon" if to_unit:
            return [Notice("due_soon", HANDLER, f"即将超期：{what}", f"案件 {c.case_id} 的{_stage(c)}时限将到")]
        case "overdue":
            text = f"案件 {c.case_id} 的{_stage(c)}已超期"
            return ([Notice("overdue", HANDLER, f"已超期：{what}", text)] if to_unit else []) + [
                Notice("overdue", DISPATCHER, f"已超期：{what}", text)]
        case "returned":
            return [Notice("returned", DISPATCHER, f"退单：{what}", f"案件 {c.case_id} 被退回：{_note(c)}")]
        case "extension_requested":
            return [Notice("extension", DISPATCHER, f"延期申请：{what}", f"案件 {c.case_id} 申请延期：{_note(c)}")]
        case "routed" | "escalated" if c.handed_here:
            how = "上级交办" if c.event == "routed" else "下级上报"
            return [Notice("handed_over", DISPATCHER, f"{how}：{what}", f"案件 {c.case_id} 已转至本中心")]
        case "received" if c.source == "sensor":
            return [Notice("warning", DISPATCHER, f"感知预警：{what}", f"物联感知设备报警，已生成案件 {c.case_id}")]
    return []


def _note(c: Change) -> str:
    return str(c.data.get("reason") or c.data.get("note") or "无说明")


def _stage(c: Change) -> str:
    return {"sign": "签收", "resolve": "处置", "verify": "核查", "feedback": "回访"}.get(
        str(c.data.get("stage")), "办理")
