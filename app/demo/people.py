"""The people around every center of the chain, played over HTTP: they watch their center's lists and act on
the cases it owns — units sign for (签收), return (退单, with a reason code and the basis), escalate (上报), ask for
more time (延期) or to suspend a case (挂账), run late and resolve (办结); the desk reviews returns (退单审核) and
decides extensions and suspensions, voids a test message (作废); grid workers and dispatchers verify (核查) and send
back for rework (返工); the desk supervises (督办) and closes a 12345 case still waiting after its visit (回访) on a
leader's review; the city's desk also supervises now and then a case it follows in its subtree. The moments every
day must show (app.demo.workflow) come first. Each center's work goes through its queue of tasks, one at a time per
case."""
from __future__ import annotations

import queue
import time

from app.demo.chain import Node
from app.demo.client import error_text
from app.demo.errors import DemoError
from app.demo.sim import Sim
from app.demo.workflow import (
    EXTENSION,
    RESUME_AFTER,
    RETURN_REVIEW_NOTES,
    VOID_REASON,
    open_joint,
    return_body,
    suspension_body,
    wants_joint,
    work_sub_tasks,
)

#: what the simulated people write: their reasons and notes
ESCALATE_REASONS = ("涉及违法建设，需区级执法权限，申请上报", "需区级多部门联合执法，超出街道处置能力",
                    "当事人拒不整改，需区级部门依法处理")
ACCEPT_NOTES = ("已签收，安排人员前往现场", "已签收，今日内处置", "收到，已派队员核实")
LATE_ACCEPT_NOTES = ("签收较晚：队员在外处置其他案件，现已安排", "迟签收：今日人手紧张，已安排处置")
RESOLVE_NOTES = {  # by unit kind; the default for the others
    "sanitation": ("已清运完毕，现场已清扫干净", "已更换新垃圾桶，现场整洁"),
    "chengguan": ("已现场劝导，当事人已自行整改", "违规物品已依法暂扣，现场恢复原状", "已责令限期整改并复查到位"),
    "municipal": ("已完成维修，现场恢复正常使用", "已更换井盖并设置警示，隐患已消除", "已疏通清理，排水恢复正常"),
    "market": ("已现场检查，责令商户整改并下架问题商品",),
    "police": ("已出警处置，车辆已挪走，现场秩序恢复",),
    "traffic_police": ("信号灯已抢修恢复，现场交通秩序正常", "违停车辆已拖移，已设置禁停标志"),
    "transport": ("护栏和标志牌已修复，现场恢复正常", "已联合执法查处，涉事车辆已暂扣"),
    "water": ("已组织保洁船打捞清理，水面恢复整洁",),
    "water_supply": ("已关阀抢修，管道修复后恢复供水", "已更换井盖，隐患已消除"),
    "power": ("已派抢修班组处理，设施恢复正常并加锁",),
    "gas": ("已派抢修人员更换井盖并检测，无泄漏",),
    "environment": ("已现场检查，责令停止排放并立案调查", "已督促安装油烟净化设施，复测达标"),
    "housing": ("已责令工地整改，覆盖裸土并落实降尘措施", "已责令停止施工并恢复路面"),
    "safety": ("已督促清理，通道恢复畅通，隐患已消除",),
    "": ("已协调相关单位处理完毕，并回复反映人", "已到现场处置完毕，拍照留存"),
}
VERIFY_OK = ("现场核查：已整改到位", "复核通过，现场整洁", "核查属实，处置到位")
VERIFY_FAIL = ("现场核查：问题仍然存在，请返工", "复核未通过，整改不彻底")
EXTENSION_REASONS = ("需协调产权单位到场，申请延期", "需采购配件，申请延期", "需联合执法，申请延期")
SUPERVISE_NOTES = ("请加快办理进度，按期反馈", "群众反映强烈，请优先处置")
FOLLOW_NOTES = ("市级督办：请属地加快处置并及时反馈", "市指挥中心督办：群众多次来电，请限时办结")
REVIEW_NOTES = {  # a hotline case still waiting after its visit: by the citizen's last answer
    "dissatisfied": "领导审核：已两次办理，现场核查已整改到位，回访仍不满意，按规定结案并做好解释",
    None: "回访多次未接通，经审核按现场核查结果结案",
}
REVIEW_AFTER = (12, 18)  # a hotline case verified this many seconds without its visit closing it: a leader reviews

# how the simulated people behave (chances per case and stage)
P_RETURN = 0.08        # a unit returns a case as not its own (once per case; never the command desk)
P_ESCALATE = 0.03      # a township unit escalates a case it signed for to the county (上报)
P_EXTEND = 0.05        # a unit asks for more time (延期) before resolving
P_SLOW = 0.06          # a unit is slow to sign for, or to resolve (runs late)
P_VERIFY_FAIL = 0.10   # the first verification fails: rework (返工)
P_SUPERVISE = 0.03     # a center supervises one of its own open cases at random (besides yellow/red ones)
P_FOLLOW = 0.05        # the city supervises a case it follows in its subtree (市级督办)
HOLD = (15, 25)        # a unit takes this long over a case a duplicate or an all-clear is about to reach


def center_loop(sim: Sim, node: Node) -> None:
    """What the people of one center see and do: its lists of dispatched, accepted, resolved and verified
    cases (its own and its subtree's); they act on the cases the center owns. The city's desk also supervises
    now and then a case it follows below (督办)."""
    token = node.tokens["viewer"]
    while not sim.stop.is_set():
        try:
            for status in ("dispatched", "accepted", "resolved", "verified"):
                for c in sim.list_all(node, token, status=status):
                    consider(sim, node, c)
        except DemoError as exc:
            sim.stats.surprises.append(str(exc))
        sim.stop.wait(1.2)


def work_loop(sim: Sim, node: Node) -> None:
    """One worker of a center: runs the tasks its people queued, one at a time."""
    while not sim.stop.is_set():
        try:
            key, task = node.tasks.get(timeout=0.5)
        except queue.Empty:
            continue
        try:
            task()
        except DemoError as exc:
            sim.stats.surprises.append(str(exc))
        finally:
            node.inflight.discard(key)


def _queue(node: Node, key, task) -> None:
    """Queue a task at `node` unless one with the same key is queued or running there."""
    if key in node.inflight:
        return
    node.inflight.add(key)
    node.tasks.put((key, task))


def consider(sim: Sim, node: Node, c: dict) -> None:
    """What the people of `node` do about one case of its lists: on a case its center only follows, the city's
    desk may supervise; on the center's own, the desk supervises, verifies and reviews, and the case's unit signs
    for it or works on it."""
    cid, status = c["id"], c["status"]
    if c["center"] != node.region:
        _follow(sim, node, c)
        return
    if status in ("dispatched", "accepted") and _desk_decides(sim, node, c):
        return  # the unit waits for the desk's decision (or the case is a test message, about to be voided)
    if status in ("dispatched", "accepted") and not sim.script.special(cid):
        _supervise(sim, node, c)
    if status == "resolved":
        if _ripe(sim, (cid, "verify", c["rework_count"]), 1, 5):
            _queue(node, cid, lambda: _verify(sim, node, c))
        return
    if status == "verified":
        _review(sim, node, c)
        return
    unit = c.get("unit")
    token = node.tokens.get(unit)
    if token is None or unit is None:  # (a case with no unit has no token either)
        sim.stats.surprises.append(f"{node.label}: case {cid} is with unit {unit}, not a unit of this center")
        return
    kind = unit.partition(".")[2]
    desk = kind == sim.catalog.command_kind
    if c.get("suspension") == "suspended":
        _resume(sim, node, c, token)
    elif status == "dispatched":
        _sign(sim, node, c, token, desk)
    else:  # accepted
        _work_on(sim, node, c, token, kind, desk)


def _desk_decides(sim: Sim, node: Node, c: dict) -> bool:
    """What waits for the desk of the center holding the case: a return to review (退单审核), a suspension to decide
    (挂账审批), the test message to void (作废). True if the case waits for the desk."""
    cid = c["id"]
    dispatcher = node.tokens["dispatcher"]
    script = sim.script
    if c.get("return_pending"):
        if _ripe(sim, (cid, "review", c["return_count"]), 1, 4):
            _queue(node, cid, lambda: _review_return(sim, node, cid))
        return True
    if c.get("suspension") == "requested":
        if _ripe(sim, (cid, "suspension"), 1, 4):
            _queue(node, cid, lambda: _act(sim, node, dispatcher, cid, "decide-suspension",
                                           {"approved": True, "note": "同意缓办，期间暂停计时"}))
        return True
    if cid == script.test_case and c["status"] == "dispatched":
        if _ripe(sim, (cid, "void"), 1, 3):
            _queue(node, cid, lambda: _act(sim, node, dispatcher, cid, "void", {"reason": VOID_REASON}))
        return True
    if cid not in node.inflight and wants_joint(sim, node, c):  # 联合处置: a lead and two assisting units
        script.joint_case, script.joint_state = cid, "asked"
        _queue(node, cid, lambda: open_joint(sim, node, c))
        return True
    assisting = list(c.get("assisting_units") or [])
    if assisting:  # joint handling: the assisting units at their sub-tasks (and whether any is still open)
        _queue(node, ("tasks", cid), lambda: work_sub_tasks(sim, node, cid, assisting))
    return False


def _review_return(sim: Sim, node: Node, cid: str) -> None:
    """The dispatching center reviews a return: the day's first review approves, the second refuses."""
    approved = sim.script.decide_review(sim.rng)
    if _act(sim, node, node.tokens["dispatcher"], cid, "review-return",
            {"approved": approved, "note": RETURN_REVIEW_NOTES[approved]}):
        sim.script.reviewed[cid] = approved
        sim.stats.inc("return_approved" if approved else "return_refused")


def _resume(sim: Sim, node: Node, c: dict, token: str) -> None:
    """A suspended case (挂账): the unit resumes it (恢复办理) a little later."""
    cid = c["id"]
    if sim.script.suspension_case == cid:
        sim.script.suspension_state = "suspended"
    if _ripe(sim, (cid, "resume"), *RESUME_AFTER):
        def resume():
            if _act(sim, node, token, cid, "resume", {"note": "管线迁改已完成，恢复办理"}) and \
                    sim.script.suspension_case == cid:
                sim.script.suspension_state = "resumed"
        _queue(node, cid, resume)


def _follow(sim: Sim, node: Node, c: dict) -> None:
    """A case of the subtree, followed read-only; only the city's desk steps in, to supervise (督办) now and then."""
    cid, status = c["id"], c["status"]
    if node is sim.city and status in ("dispatched", "accepted") and cid not in sim.followed:
        sim.followed.add(cid)
        if sim.chance(P_FOLLOW):
            _queue(node, ("follow", cid), lambda: _act(
                sim, node, node.tokens["dispatcher"], cid, "supervise",
                {"note": sim.rng.choice(FOLLOW_NOTES)}, count="followed_supervised"))


def _supervise(sim: Sim, node: Node, c: dict) -> None:
    """督办: every case turning yellow or red; otherwise the desk picks one now and then."""
    cid = c["id"]
    dispatcher = node.tokens["dispatcher"]
    if (c["light"] != "green" and c.get("supervision_level", 0) < 1) or \
            (cid not in sim.supervised and sim.chance(P_SUPERVISE)):
        _queue(node, ("supervise", cid), lambda: _act(
            sim, node, dispatcher, cid, "supervise", {"note": sim.rng.choice(SUPERVISE_NOTES)}))
    sim.supervised.add(cid)


def _review(sim: Sim, node: Node, c: dict) -> None:
    """12345 cases close after the citizen's visit (回访); one still waiting goes to a leader's review."""
    cid = c["id"]
    dispatcher = node.tokens["dispatcher"]
    if c["source"] == "hotline" and _ripe(sim, (cid, "review", c["rework_count"]), *REVIEW_AFTER):
        note = REVIEW_NOTES["dissatisfied" if c.get("satisfaction") == "dissatisfied" else None]
        _queue(node, cid, lambda: _act(sim, node, dispatcher, cid, "close", {"note": note},
                                       count="review_closed"))


def _sign(sim: Sim, node: Node, c: dict, token: str, desk: bool) -> None:
    """A case dispatched to a unit: it signs for it (签收), late now and then, when the time is ripe."""
    cid = c["id"]
    script = sim.script
    if cid == script.test_case or script.holds(cid):
        return  # a test message is not signed for; the late case waits for its escalation chain
    key = (cid, "sign", c["return_count"], c["rework_count"])
    if not _ripe(sim, key, 0.5, 4, slow=(15, 35)):
        return
    # 退单: now and then a unit says "not ours" (never the command desk, the final owner), with a reason code and
    # the basis; the day's first returns are certain, so that its reviews can approve one and refuse one
    if not desk and cid not in sim.returned_once and not script.special(cid) and \
            (script.wants_return() or sim.chance(P_RETURN)):
        sim.returned_once.add(cid)
        body = return_body(sim)
        script.returned[cid] = body["reason_code"]
        _queue(node, cid, lambda: _act(sim, node, token, cid, "return", body))
        return
    late = key in sim.late
    note = sim.rng.choice(LATE_ACCEPT_NOTES if late else ACCEPT_NOTES)
    _queue(node, cid, lambda: _act(sim, node, token, cid, "accept", {"note": note},
                                   count="late_accept" if late else None))


def _work_on(sim: Sim, node: Node, c: dict, token: str, kind: str, desk: bool) -> None:
    """A case its unit has signed for: the desk decides a pending extension (the unit waits for it); else the unit
    may escalate it (a township's, once per case) or ask for more time (once per case), and resolves it."""
    cid = c["id"]
    if c.get("extension_pending"):
        _decide_extension(sim, node, c)
        return  # the unit waits for the decision before resolving
    if node.tier == "township" and not desk and cid not in sim.escalation_decided and not sim.script.special(cid):
        sim.escalation_decided.add(cid)  # one chance per case
        if sim.chance(P_ESCALATE):
            _queue(node, cid, lambda: _act(sim, node, token, cid, "escalate",
                                           {"reason": sim.rng.choice(ESCALATE_REASONS)}))
            return
    script = sim.script
    if not desk and not script.special(cid) and not c.get("suspension") and script.wants_extension():
        script.extension_case = cid  # the day's extension, within the limits: the desk approves it
        sim.extended.add(cid)
        _queue(node, cid, lambda: _act(sim, node, token, cid, "extend", dict(EXTENSION)))
        return
    if not desk and not script.special(cid) and cid not in sim.extended and script.wants_suspension(cid):
        script.suspension_case, script.suspension_state = cid, "requested"  # the day's 挂账/缓办
        _queue(node, cid, lambda: _act(sim, node, token, cid, "suspend", suspension_body(sim)))
        return
    if cid not in sim.extended and c.get("extension_count", 0) == 0:
        sim.extended.add(cid)  # one chance per case
        if sim.chance(P_EXTEND):
            _queue(node, cid, lambda: _act(
                sim, node, token, cid, "extend", {"reason": sim.rng.choice(EXTENSION_REASONS),
                                                  "working_days": sim.rng.choice((1, 2, 3))}))
            return
    _resolve(sim, node, c, token, kind)


def _decide_extension(sim: Sim, node: Node, c: dict) -> None:
    """The desk approves most requests for more time (延期), and refuses the others."""
    cid = c["id"]
    dispatcher = node.tokens["dispatcher"]
    if _ripe(sim, (cid, "extension", c.get("extension_count", 0)), 1, 4):
        approved = cid == sim.script.extension_case or sim.chance(0.8)
        _queue(node, cid, lambda: _act(
            sim, node, dispatcher, cid, "decide-extension",
            {"approved": approved, "note": "同意延期" if approved else "不同意延期，请按期办结"}))


def _resolve(sim: Sim, node: Node, c: dict, token: str, kind: str) -> None:
    """The unit resolves the case (办结) with a note of its kind, late now and then; it takes longer (HOLD) over a
    case a duplicate or an all-clear is about to reach."""
    cid = c["id"]
    if sim.script.waits_for_tasks(c):
        return  # the lead of a joint handling resolves once every assisting unit has resolved its sub-task
    key = (cid, "resolve", c["rework_count"])
    if _ripe(sim, key, *(HOLD if cid in sim.awaited else (2, 9)), slow=(15, 35)):
        note = sim.rng.choice(RESOLVE_NOTES.get(kind, RESOLVE_NOTES[""]))
        if c["rework_count"]:
            note = "返工：" + note
        _queue(node, cid, lambda: _act(sim, node, token, cid, "resolve", {"note": note},
                                       count="late_resolve" if key in sim.late else None))


def _verify(sim: Sim, node: Node, c: dict) -> None:
    """A resolved case checked: it passes, or now and then (once per case) goes back for rework (返工)."""
    cid = c["id"]
    passed = cid in sim.failed_once or not sim.chance(P_VERIFY_FAIL)
    if not passed:
        sim.failed_once.add(cid)
    # the grid worker checks on site what grid workers reported at a township; the desk checks the rest
    who = "gridworker" if c["source"] == "grid" and node.tier == "township" else "dispatcher"
    note = sim.rng.choice(VERIFY_OK if passed else VERIFY_FAIL)
    if _act(sim, node, node.tokens[who], cid, "verify", {"passed": passed, "note": note}):
        sim.stats.inc("verified_ok" if passed else "verified_failed")


def _ripe(sim: Sim, key: tuple, lo: float, hi: float, slow: tuple[float, float] | None = None) -> bool:
    """True once a simulated person has 'taken' between lo and hi seconds over this (case, stage, round);
    with `slow`, now and then (P_SLOW) a person takes that long instead: running late."""
    now = time.monotonic()
    due = sim.due.get(key)
    if due is None:
        if slow and sim.chance(P_SLOW):
            sim.late.add(key)
            due = now + sim.rng.uniform(*slow)
        else:
            due = now + sim.rng.uniform(lo, hi)
        sim.due[key] = due
    return now >= due


def _act(sim: Sim, node: Node, token: str, case_id: str, action: str, body: dict, count: str | None = None):
    """POST one action on a case at `node`, counted (and `count` too) if it went through: its answer, or None if
    the case had moved on meanwhile (409) or the answer was unexpected (recorded as a surprise)."""
    r = node.http.call("POST", f"/api/v1/cases/{case_id}/{action}", token, json=body)
    if r.status_code == 200:
        sim.stats.inc(f"act.{action}")
        if count:
            sim.stats.inc(count)
        if case_id not in sim.cases:
            sim.leftovers.add(case_id)
        return r.json()
    if r.status_code == 409:
        try:
            code = r.json()["error"]["code"]
        except Exception:  # noqa: BLE001
            code = ""
        if code == "not_owner":  # the demo acts only where the center's own list says it owns the case
            sim.stats.surprises.append(f"{node.label}: POST {action} {case_id} → {error_text(r)}")
        sim.stats.inc("conflicts")  # the case moved on meanwhile (a race with the services): fine
        return None
    sim.stats.surprises.append(f"{node.label}: POST {action} {case_id} → {error_text(r)}")
    return None
