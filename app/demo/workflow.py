"""The day's workflow moments (issue 11; docs/practice.md, "Returns, extensions, suspension, void, 立案审核" and
"Telling people"): besides their random work, the simulated people make sure every run of the demo shows them.

- 退单 with review: units return cases with a reason code from the workflow's data and the basis (the 权责清单 clause
  relied on); the dispatching center reviews each return (`review-return`): the first review approves it (the case
  is routed again, and counted against that center's 准确派遣率), the second refuses it (the unit keeps the case as
  首办责任单位 and signs for it); later ones are approved more often than not.
- 延期 within the limits (at most 3 working days a time): the first case a unit works on asks for 2 working days,
  and the desk approves it.
- 挂账/缓办: the next case a unit works on asks to be suspended (reason, `until` a week ahead); the desk approves it
  (`decide-suspension`), the clocks stand still, and a little later the unit resumes it (`resume`) and resolves it.
- 作废: a test message entered at a township's desk reaches a unit by auto-dispatch; the unit does not sign for it and
  the township's desk voids it (`void`) with the reason.
- An escalation chain that tells the duty roster: an urgent case (a fallen tree, 树木倒伏) whose unit does not sign for
  it. Its chain's steps are minutes past its deadline, and a demo's day lasts minutes, so once every other case of the
  day is final the demo moves the chain's clock on (YIWANG_CLOCK_FILE, the clock the tests and drills move; all
  centers read the same file, and it never goes back) to the chain's last step. The township's sweep fires the steps
  (催办 → 督办 → 提级: the county supervises it from then on), and the notification sender tells the people the steps
  name — the unit's and the center's duty rosters, the parent center's — by webhook and SMS, through the stub gateway
  the demo runs (app/stub_gateway.py). Then the unit signs and resolves it, late: the evaluation charges it.
- 联合处置 (joint handling): a township's desk makes the first case it dispatches to one of its teams a joint one
  (`joint`: the lead and two assisting units of the township); each assisting unit signs for and resolves its own
  sub-task (`POST /api/v1/cases/{id}/tasks/{unit}/accept|resolve`), and the lead resolves the case only once they
  all have. 街道吹哨 (`whistle`, departments of the county summoned by a township) is not in the day yet: its
  handlers act at the county, on the county's tokens (`whistle_case` below is the place for it).
"""
from __future__ import annotations

import os
import random
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any

from app.demo.client import error_text
from app.demo.errors import DemoError
from app.demo.places import ROADS, full_name, scatter
from shared.clock import CHINA

if TYPE_CHECKING:  # (sim imports this module)
    from app.demo.sim import Sim

#: the returns the units make: (reason code of services/dispatch/data/workflow.toml, the reason, the basis)
RETURNS = (
    ("not_ours", "经现场核实，该处属小区物业管理区域，非本单位职责",
     "《通州区城市管理领域权责清单》第三章：物业管理区域内共用设施的维护由物业服务企业负责"),
    ("not_ours", "该设施产权不属于本单位，建议派至产权单位",
     "《南通市市政设施权属清单》：该设施的产权及养护单位为供水、燃气等专业经营单位"),
    ("outside_area", "问题位置不在本单位管辖范围内，属相邻街道",
     "《通州区网格化管理责任区划分方案》：该路段属相邻街道管辖"),
    ("unclear_address", "地址不清，现场未找到反映的问题，请核实后重新派遣",
     "《南通市12345工单办理规范》第十二条：地址不详、无法核实的工单可申请退回"),
)
RETURN_REVIEW_NOTES = {True: "审核同意退单：理由和依据成立，重新派遣", False: "审核不同意退单：依据权责清单属你单位职责，请按首办负责制办理"}
P_APPROVE = 0.7             # a review after the scripted ones approves the return with this chance
SCRIPTED_REVIEWS = (True, False)  # the first reviews of the day: one approved, one refused
EXTENSION = {"reason": "需协调产权单位到场共同处置，申请延期", "working_days": 2}
SUSPENSION_REASON = "需待燃气公司管线迁改完成后方可施工，申请缓办"
SUSPENSION_DAYS = 7         # the suspension's `until`, from now
RESUME_AFTER = (4.0, 8.0)   # seconds an approved suspension lasts before the unit resumes the case
TEST_MESSAGE = "【测试】系统联调测试工单，请勿处理"
VOID_REASON = "测试工单，非群众真实诉求，予以作废"
LATE_CATEGORY = "1407"      # 树木倒伏: urgent, a township's (its sign-for chain runs in natural minutes)
LATE_TEXT = "{place}行道树被大风刮倒，横在非机动车道上，行人和电动车绕行很危险"
ESCALATION_WAIT = 45.0      # seconds to wait for the chain's steps and their notices after the clock moved
JOINT_REASON = "现场涉及占道经营和消防通道堵塞，需派出所、安监办协同处置"
JOINT_KINDS = ("police", "safety", "market", "sanitation", "municipal", "chengguan")  # assisting units, preferred
JOINT_NOTES = {"accept": "协办单位已签收，安排人员配合", "resolve": "协办事项已处置完毕，配合主办单位完成整改"}


class ChainClock:
    """The clock of the demo's centers: an offset in seconds in a file every center reads (YIWANG_CLOCK_FILE). It
    only moves forward, also across runs on the same databases (a run starts from the offset the last one left)."""

    def __init__(self, path: Path):
        self.path = path
        path.parent.mkdir(parents=True, exist_ok=True)
        self._offset = self._read()
        path.write_text(f"{self._offset}\n")

    def _read(self) -> float:
        try:
            return max(0.0, float(self.path.read_text().strip() or 0))
        except (OSError, ValueError):
            return 0.0

    @property
    def offset(self) -> float:
        return self._offset

    def now(self) -> datetime:
        """The centers' time now (China time)."""
        return datetime.now(CHINA) + timedelta(seconds=self._offset)

    def move_to(self, at: datetime) -> float:
        """Move the centers' clock on to `at` (never back); returns by how many seconds it moved."""
        by = max(0.0, (at - self.now()).total_seconds())
        self._offset = round(self._offset + by, 3)
        self.path.write_text(f"{self._offset}\n")
        return by


@dataclass
class Script:
    """What the day's workflow moments need and what came of them (shared by the demo's threads)."""

    reviews: list[bool] = field(default_factory=lambda: list(SCRIPTED_REVIEWS))
    returned: dict[str, str] = field(default_factory=dict)   # case id → the reason code it was returned with
    reviewed: dict[str, bool] = field(default_factory=dict)  # case id → the review's decision
    extension_case: str | None = None
    suspension_case: str | None = None
    suspension_state: str = ""     # requested → suspended (the desk approved) → resumed
    test_case: str | None = None   # the test message to be voided (作废)
    late_case: str | None = None   # the urgent case whose unit does not sign for it until its chain has fired
    late_state: str = ""           # held → escalating → released (or skipped, with `late_note` saying why)
    late_note: str = ""
    escalation: dict[str, Any] = field(default_factory=dict)  # what the chain did: steps, level, notices, clock
    joint_case: str | None = None  # the case handled jointly (联合处置)
    joint_lead: str | None = None
    joint_units: list[str] = field(default_factory=list)  # its assisting units
    joint_state: str = ""          # asked → open (sub-tasks at work) → done (every sub-task resolved), or failed
    joint_done: list[str] = field(default_factory=list)   # the assisting units that resolved their sub-task
    tasks_open: dict[str, bool] = field(default_factory=dict)  # case id → an assisting unit's sub-task still open
    started: bool = False
    clock: ChainClock | None = None
    stub: Any = None               # the stub gateway (app.stub_gateway.StubGateway) taking webhooks and SMS
    database_for: Callable[[str], str] | None = None  # region → the center's database URL (the dry run reads it)

    # ---- which case gets which moment -------------------------------------------------------------------------------
    def special(self, case_id: str) -> bool:
        """The test message, the late case and the joint case have their own moments: no random work on them."""
        return case_id in (self.test_case, self.late_case, self.joint_case)

    def waits_for_tasks(self, c: dict) -> bool:
        """The lead of a joint handling resolves the case only once every assisting unit has resolved its sub-task."""
        if c["id"] == self.joint_case and self.joint_state == "asked":
            return True
        return bool(c.get("assisting_units")) and self.tasks_open.get(c["id"], True)

    def wants_return(self) -> bool:
        """A scripted review is still to come: the next unit that can returns its case."""
        return len(self.returned) < len(SCRIPTED_REVIEWS)

    def wants_extension(self) -> bool:
        return self.extension_case is None

    def wants_suspension(self, case_id: str) -> bool:
        return self.suspension_case is None and case_id != self.extension_case

    def holds(self, case_id: str) -> bool:
        """The late case waits unsigned until its escalation chain has fired."""
        return case_id == self.late_case and self.late_state in ("held", "escalating")

    def decide_review(self, rng: random.Random) -> bool:
        return self.reviews.pop(0) if self.reviews else rng.random() < P_APPROVE

    def now(self) -> datetime:
        return self.clock.now() if self.clock is not None else datetime.now(CHINA)


def return_body(sim: Sim) -> dict:
    """A return (退单): the reason, its code and the basis."""
    code, reason, basis = sim.rng.choice(RETURNS)
    return {"reason_code": code, "reason": reason, "basis": basis}


def suspension_body(sim: Sim) -> dict:
    until = sim.script.now() + timedelta(days=SUSPENSION_DAYS)
    return {"reason": SUSPENSION_REASON, "until": until.isoformat(timespec="seconds")}


# ---- the day's own cases: the test message and the late case ------------------------------------------------------
def submit_specials(sim: Sim) -> None:
    """Once per run, before the day: the test message (to be voided) and the urgent case whose unit will not sign for
    it in time (to show the escalation chain), both at the first township."""
    script = sim.script
    if script.started:
        return
    script.started = True
    town = next((n for n in sim.nodes if n.tier == "township"), None)
    if town is None:
        script.late_state, script.late_note = "skipped", "no township in the chain"
        return
    rng = random.Random(f"{sim.rng.random()}-specials")
    test = _category_of(sim, town.region)
    if test is not None:
        script.test_case = _report(sim, town, "dispatcher", TEST_MESSAGE, test, rng)
    if LATE_CATEGORY in sim.catalog.categories:
        place = f"{rng.choice(ROADS)}与{rng.choice(ROADS)}交叉口"
        script.late_case = _report(sim, town, "gridworker", LATE_TEXT.format(place=place), LATE_CATEGORY, rng)
    if script.late_case is None:
        script.late_state, script.late_note = "skipped", f"category {LATE_CATEGORY} is not in the catalog"
    else:
        script.late_state = "held"


def _category_of(sim: Sim, town: str) -> str | None:
    """A township's everyday category of normal priority with a unit of its own (the test message's)."""
    units = {u.kind for u in sim.catalog.units_of(town)}
    for code in sim.catalog.categories:
        c = sim.catalog.category(code)
        if c.tier == "township" and c.priority == "normal" and c.unit_kind in units:
            return code
    return None


def _report(sim: Sim, node, role: str, text: str, category: str, rng: random.Random) -> str | None:
    lon, lat = scatter(rng, node.region, sim.catalog)
    body = {"description": text, "category": category,
            "location": {"lon": lon, "lat": lat, "address": f"{full_name(node.region, sim.catalog)}{text[:12]}"}}
    r = node.http.call("POST", "/api/v1/reports", node.tokens[role], json=body)
    if r.status_code != 202:
        sim.stats.surprises.append(f"{node.label}: POST /api/v1/reports ({text[:12]}) → {error_text(r)}")
        return None
    case_id = r.json()["case_id"]
    sim.entered[case_id] = node.region
    sim.cases.setdefault(case_id, {"id": case_id, "status": "received", "center": node.region,
                                   "source": "grid" if role == "gridworker" else "desk"})
    return case_id


def joint_units(sim: Sim, node, lead: str) -> list[str]:
    """Two units of the township to assist `lead` (not its command desk), by JOINT_KINDS' preference."""
    others = [u for u in node.units if u.code != lead and u.kind != sim.catalog.command_kind and u.code in node.tokens]
    others.sort(key=lambda u: JOINT_KINDS.index(u.kind) if u.kind in JOINT_KINDS else len(JOINT_KINDS))
    return [u.code for u in others[:2]]


def wants_joint(sim: Sim, node, c: dict) -> bool:
    """The first case a township dispatches to one of its teams (not the command desk) becomes the day's joint case."""
    script = sim.script
    unit = c.get("unit") or ""
    return (script.joint_case is None and node.tier == "township" and c["status"] == "dispatched"
            and not script.special(c["id"]) and not c.get("return_pending") and not c.get("suspension")
            and unit.partition(".")[2] != sim.catalog.command_kind and len(joint_units(sim, node, unit)) == 2)


def open_joint(sim: Sim, node, c: dict) -> None:
    """The township's desk names the lead and two assisting units (`joint`): each gets a sub-task."""
    script = sim.script
    lead = c["unit"]
    units = joint_units(sim, node, lead)
    script.joint_case, script.joint_lead, script.joint_units, script.joint_state = c["id"], lead, units, "asked"
    r = node.http.call("POST", f"/api/v1/cases/{c['id']}/joint", node.tokens["dispatcher"],
                       json={"lead": lead, "assisting": units, "reason": JOINT_REASON})
    if r.status_code == 200:
        sim.stats.inc("act.joint")
        script.joint_state = "open"
    else:
        script.joint_state = "failed"
        sim.stats.surprises.append(f"{node.label}: POST joint {c['id']} → {error_text(r)}")


def work_sub_tasks(sim: Sim, node, case_id: str, assisting: list[str]) -> None:
    """The assisting units of a case handled jointly — the day's joint case, or one the routing rules made joint
    (e.g. 危化品: 应急管理 leads, 公安 assists): each signs for its sub-task, then resolves it, one step per call. The
    lead may resolve the case once none is left open (`script.tasks_open`)."""
    script = sim.script
    r = node.http.call("GET", f"/api/v1/cases/{case_id}", node.tokens["dispatcher"])
    if r.status_code != 200:
        return
    tasks = {t["unit"]: t for t in r.json().get("tasks", [])}
    open_ = [u for u in assisting if tasks.get(u, {}).get("status") in ("dispatched", "accepted")]
    script.tasks_open[case_id] = bool(open_)
    if case_id == script.joint_case:
        script.joint_done = [u for u in script.joint_units if u not in open_ and u in tasks]
        if not open_ and script.joint_state == "open":
            script.joint_state = "done"
    for unit in open_:
        token = node.tokens.get(unit)
        if token is None:  # a department of another center (a whistle): its own people act there
            continue
        action = "accept" if tasks[unit]["status"] == "dispatched" else "resolve"
        answer = node.http.call("POST", f"/api/v1/cases/{case_id}/tasks/{unit}/{action}", token,
                                json={"note": JOINT_NOTES[action]})
        if answer.status_code == 200:
            sim.stats.inc(f"act.task.{action}")
        elif answer.status_code != 409:  # (409: the sub-task moved on meanwhile)
            sim.stats.surprises.append(f"{node.label}: POST tasks/{unit}/{action} {case_id} → {error_text(answer)}")
        return  # one step at a time, as people do


def whistle_case(sim: Sim) -> None:
    """街道吹哨 in the day: NOT YET. A township's desk would `whistle` departments of the county (e.g. its 城管局 and
    应急管理局) to a case; their handlers act on their sub-tasks at the county, with the county's tokens."""
    return None


# ---- the escalation chain of the late case ------------------------------------------------------------------------
def ready_to_escalate(sim: Sim, sending: bool) -> bool:
    """Every other case of the day is final (and no visit due), so moving the chain's clock changes only the late
    case: its time has come."""
    script = sim.script
    if script.late_state != "held" or sending or script.late_case is None:
        return False
    late = sim.cases.get(script.late_case, {})
    if late.get("status") != "dispatched":
        if late.get("status") in ("closed", "rejected", "merged", "voided", "accepted", "resolved", "verified"):
            script.late_state = "skipped"
            script.late_note = f"the case was {late.get('status')} before its chain could fire"
        return False
    others = [c for cid, c in list(sim.cases.items()) if cid != script.late_case]
    return all(c["status"] in ("closed", "rejected", "merged", "voided") for c in others) and not sim.visits_pending()


def escalate_late(sim: Sim) -> None:
    """Move the chain's clock to the late case's last escalation step, wait for its steps and their notices, then
    let the unit sign for it. Runs in a thread of its own; what came of it goes to `script.escalation`."""
    script = sim.script
    script.late_state = "escalating"
    try:
        _escalate(sim)
    except DemoError as exc:
        script.late_note = str(exc)
    except Exception as exc:  # noqa: BLE001 - the demo goes on; the summary says what failed
        script.late_note = f"{type(exc).__name__}: {exc}"
    finally:
        script.late_state = "released"


def _escalate(sim: Sim) -> None:
    script = sim.script
    case_id = script.late_case
    assert case_id is not None and script.clock is not None
    view = _view(sim, case_id)
    node = sim.by_region[view["center"]]
    steps = _chain(script, node.region, case_id)
    if not steps:
        raise DemoError(f"case {case_id} has no escalation chain at its stage ({view.get('stage')})")
    last = max(s.at for s in steps)
    before = {m["body"].get("id") for m in notices_for(script.stub, case_id)}  # (its new task's notices)
    moved = script.clock.move_to(last + timedelta(seconds=5))
    script.escalation.update(moved=moved, center=node.region, unit=view.get("unit"),
                             steps=[(s.level, ", ".join(s.notify), "+".join(s.channel)) for s in steps])
    deadline = time.monotonic() + ESCALATION_WAIT
    while time.monotonic() < deadline and not sim.stop.is_set():
        view = _view(sim, case_id)
        fired = [t for t in view.get("timeline", []) if t["type"] == "supervised"]
        told = [m for m in notices_for(script.stub, case_id) if m["body"].get("id") not in before]
        if len(fired) >= len(steps) and told:
            time.sleep(2.0)  # the last deliveries of the same steps
            break
        time.sleep(1.0)
    view = _view(sim, case_id)
    told = [m for m in notices_for(script.stub, case_id) if m["body"].get("id") not in before]
    script.escalation.update(
        fired=[(t.get("data") or {}).get("step") or "督办" for t in view.get("timeline", []) if t["type"] == "supervised"],
        level=view.get("supervision_level"), light=view.get("light"),
        webhooks=sum(1 for m in told if m["channel"] == "webhook"), sms=sum(1 for m in told if m["channel"] == "sms"))


def _view(sim: Sim, case_id: str) -> dict:
    """The case as the center that took it in sees it (the township: it keeps the case)."""
    node = sim.by_region[sim.entered.get(case_id, sim.city.region)]
    r = node.http.call("GET", f"/api/v1/cases/{case_id}", node.tokens["viewer"])
    if r.status_code != 200:
        raise DemoError(f"{node.label}: GET case {case_id} → {error_text(r)}")
    return r.json()


def _chain(script: Script, region: str, case_id: str) -> list:
    """The steps of the case's escalation chain (`yiwang escalation dry-run`), read from the center's database."""
    from services.supervision import api as supervision  # (the demo needs the services only while it runs)
    from shared.clock import Clock
    from shared.extensions.database import CenterStore
    from shared.store.db import make_engine

    assert script.database_for is not None and script.clock is not None
    engine = make_engine(script.database_for(region), pool_size=1)
    try:
        store = CenterStore(engine, region, "demo", Clock(str(script.clock.path)), relay=None)
        return list(supervision.escalation_preview(store, case_id).steps)
    finally:
        engine.dispose()


def notices_for(stub, case_id: str | None = None) -> list[dict]:
    """The webhooks and SMS the stub gateway took (about one case, if named)."""
    if stub is None:
        return []
    return [m for m in stub.messages() if case_id is None or m["body"].get("case_id") == case_id]


def stub_summary(stub) -> dict[str, Any]:
    """What the stub gateway took: by channel, and the webhooks by kind (new_task, supervise …)."""
    messages = notices_for(stub)
    kinds: dict[str, int] = {}
    for m in messages:
        if m["channel"] == "webhook":
            kind = str(m["body"].get("kind") or "?")
            kinds[kind] = kinds.get(kind, 0) + 1
    totals = stub.state()["totals"] if stub is not None else {}
    return {"webhook": sum(1 for m in messages if m["channel"] == "webhook"),
            "sms": sum(1 for m in messages if m["channel"] == "sms"), "kinds": kinds,
            "refused": totals.get("bad_signature", 0), "repeats": totals.get("duplicates", 0)}


def clock_path(var: Path) -> Path:
    """The chain's clock file (YIWANG_CLOCK_FILE of every center)."""
    return Path(os.path.abspath(var / "demo-clock"))
