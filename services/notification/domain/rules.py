"""Who is told what when a case changes at the center that owns it: a unit's handlers of new tasks, rework,
催办/督办 and deadlines; the center's dispatchers of returns, extension requests, cases handed to it, overdue cases
and sensor warnings. Who else hears of a new task or an escalation step, and on which
channel (webhook, SMS), is the duty rosters' business (`telling`, domain/rosters.py)."""
from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

HANDLER, DISPATCHER = "handler", "dispatcher"
SUPERVISION_LEVELS = {1: "催办", 2: "督办", 3: "提级督办"}
STEPS = {"催办": "催办", "督办": "督办", "挂牌督办": "挂牌督办", "提级": "提级督办"}  # an escalation chain's step (supervision data)


def _step(data: Mapping[str, Any]) -> str:
    """What a supervision is called: the chain's step when it names one, else the level's name."""
    return STEPS.get(str(data.get("step") or ""), SUPERVISION_LEVELS.get(int(data.get("level") or 1), "督办"))


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
            level = _step(c.data)
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


@dataclass(frozen=True)
class Telling:
    """A change told outside the screens: whom (an escalation step's `notify` names) on which channels."""

    kind: str
    notify: tuple[str, ...]
    channel: tuple[str, ...]


def telling(c: Change, new_task: tuple[tuple[str, ...], tuple[str, ...]]) -> Telling | None:
    """What a change means for the rosters and channels: a new task goes to the unit as the new-task rule says
    (`new_task` = its notify and channels), an escalation step to whom and how the step says."""
    match c.event:
        case "dispatched" | "transferred" if c.unit is not None:
            return Telling("new_task", new_task[0], new_task[1])
        case "supervised" if c.data.get("notify"):
            return Telling("supervise", tuple(c.data["notify"]), tuple(c.data.get("channel") or ("in_app",)))
    return None


def _note(c: Change) -> str:
    return str(c.data.get("reason") or c.data.get("note") or "无说明")


def _stage(c: Change) -> str:
    return {"sign": "签收", "resolve": "处置", "verify": "核查", "feedback": "回访"}.get(
        str(c.data.get("stage")), "办理")
