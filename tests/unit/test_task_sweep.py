"""The sweep watches each assisting unit's open sub-task (联合处置) as it watches the case: its light, `due_soon` and
`overdue`, and the steps of its stage's escalation chain, each once, told to that unit — the pure part
(services/supervision/tasks.py `watch_task`) and the sweep on an in-memory center (the real unit of work and the
notification reaction)."""
from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from sqlmodel import Session, select

from services.dispatch import handlers as dispatch
from services.intake.handlers import submit_report
from services.notification.adapters.tables import Notification
from services.supervision import handlers as supervision
from services.supervision.adapters.tables import CaseDeadline
from services.supervision.domain.deadlines import AlwaysOn
from services.supervision.domain.escalation import load_rules
from services.supervision.tasks import keep_task_keys, task_tag, watch_task, watched
from services.triage import handlers as triage
from shared.calendar import WorkCalendar
from shared.clock import Clock
from shared.contracts.api import ReportIn
from shared.lifecycle.tasks import ASSISTING, LEAD, Task
from tests.unit.memory import Bus, case, memory_store

CN = ZoneInfo("Asia/Shanghai")
TOWN, COUNTY = "320612001", "320612"
POLICE, SAFETY = f"{TOWN}.police", f"{TOWN}.safety"
SIGN = load_rules().chain("sign", "high")       # 催办 at the deadline, 督办 +0.5 stage, 挂牌督办 +0.75, 提级 +1
RESOLVE = load_rules().chain("resolve", "high")  # 催办 repeats every working day
ALWAYS = AlwaysOn(WorkCalendar())


def t(*args: int) -> datetime:
    return datetime(*args, tzinfo=CN)


def police_task(**changes) -> Task:
    base = dict(unit=POLICE, role=ASSISTING, started_at=t(2026, 11, 23, 9, 0), sign_due=t(2026, 11, 23, 9, 30),
                resolve_due=t(2026, 11, 23, 13, 0))
    return Task(**(base | changes))


# ---- the pure part ----------------------------------------------------------------------------------------------
def test_a_sub_task_turns_yellow_then_red_with_each_warning_once_and_the_light_the_case_json_shows():
    task = police_task()
    green = watch_task(task, SIGN, ALWAYS, t(2026, 11, 23, 9, 10), [], 0.8)
    assert (green.light, green.warnings, green.firings) == ("green", (), ())
    assert green.next_check_at == t(2026, 11, 23, 9, 24)  # 80 % of its 30 minutes
    soon = watch_task(task, SIGN, ALWAYS, t(2026, 11, 23, 9, 25), [], 0.8)
    assert (soon.light, soon.warnings, soon.next_check_at) == ("yellow", ("due_soon",), t(2026, 11, 23, 9, 30))
    assert soon.keys == [f"{task_tag(task)}sign:due_soon"]
    again = watch_task(task, SIGN, ALWAYS, t(2026, 11, 23, 9, 26), soon.keys, 0.8)
    assert again.warnings == () and again.light == "yellow"
    late = watch_task(task, SIGN, ALWAYS, t(2026, 11, 23, 9, 31), soon.keys, 0.8)
    assert (late.light, late.overdue, late.warnings) == ("red", True, ("overdue",))
    assert [(f.step.level, f.stage) for f in late.firings] == [("催办", "sign")]
    assert late.next_check_at == t(2026, 11, 23, 9, 45)  # 督办: half the stage's time again
    for now in (t(2026, 11, 23, 9, 10), t(2026, 11, 23, 9, 25), t(2026, 11, 23, 9, 31)):
        assert watch_task(task, SIGN, ALWAYS, now, [], 0.8).light == task.light(now)  # = tasks_public's light
    done = watch_task(task, SIGN, ALWAYS, t(2026, 11, 23, 9, 32), soon.keys + late.keys, 0.8)
    assert (done.warnings, done.firings) == ((), ())


def test_a_late_sweep_emits_the_overdue_and_each_step_due_once_not_a_due_soon():
    task = police_task()
    w = watch_task(task, SIGN, ALWAYS, t(2026, 11, 23, 10, 5), [], 0.8)
    assert w.warnings == ("overdue",)
    assert [f.step.level for f in w.firings] == ["催办", "督办", "挂牌督办", "提级"]
    assert w.next_check_at is None  # the sign chain has no repeat
    assert watch_task(task, SIGN, ALWAYS, t(2026, 11, 24, 9, 0), w.keys, 0.8).keys == []


def test_a_signed_sub_task_is_watched_on_its_resolve_deadline_and_its_sign_keys_do_not_count():
    task = police_task(status="accepted", accepted_at=t(2026, 11, 23, 9, 20))
    signed = watch_task(police_task(), SIGN, ALWAYS, t(2026, 11, 23, 9, 31), [], 0.8)
    w = watch_task(task, RESOLVE, ALWAYS, t(2026, 11, 23, 13, 1), signed.keys, 0.8)
    assert (w.stage, w.warnings, [f.step.level for f in w.firings]) == ("resolve", ("overdue",), ["催办"])
    assert all(k.startswith(task_tag(task) + "resolve:") for k in w.keys)


def test_a_unit_named_again_gets_a_new_sub_task_and_new_keys():
    first = watch_task(police_task(), SIGN, ALWAYS, t(2026, 11, 23, 9, 31), [], 0.8)
    renamed = police_task(started_at=t(2026, 11, 23, 10, 0), sign_due=t(2026, 11, 23, 10, 30))
    w = watch_task(renamed, SIGN, ALWAYS, t(2026, 11, 23, 10, 31), first.keys, 0.8)
    assert w.warnings == ("overdue",) and w.firings


def test_only_the_assisting_units_open_sub_tasks_are_watched():
    lead = Task(unit=f"{TOWN}.chengguan", role=LEAD, started_at=t(2026, 11, 23, 9, 0))
    resolved = police_task(unit=SAFETY, status="resolved")
    returned = police_task(unit=f"{TOWN}.market", status="returned")
    assert watched([lead, police_task(), resolved, returned]) == [police_task()]
    assert watch_task(resolved, SIGN, ALWAYS, t(2026, 11, 24, 9, 0), [], 0.8).keys == []


def test_a_new_stage_of_the_case_keeps_the_sub_tasks_keys():
    before = ["sign:due_soon", "sign:overdue", "task:x@1:sign:overdue", "task:x@1:sign:step:0:0"]
    assert keep_task_keys(before, []) == ["task:x@1:sign:overdue", "task:x@1:sign:step:0:0"]
    assert keep_task_keys(before, ["task:x@1:sign:overdue"]) == ["task:x@1:sign:overdue", "task:x@1:sign:step:0:0"]


# ---- the sweep on an in-memory center ------------------------------------------------------------------------------
class SetClock(Clock):
    def __init__(self, at: datetime):
        super().__init__()
        self.at = at

    def now(self) -> datetime:
        return self.at


def _told(store, unit: str | None, case_id: str) -> list[str]:
    with Session(store.engine) as s:
        q = select(Notification).where(Notification.case_id == case_id, Notification.role == "handler")
        return [n.kind for n in s.exec(q.where(Notification.unit == unit)).all()]


def _events(bus: Bus, name: str, case_id: str) -> list[dict]:
    return [e.payload.model_dump(exclude={"case"}) for e in bus.events(name, case_id)]


def test_the_sweep_warns_and_urges_the_late_assisting_unit_once_and_tells_it_not_the_lead():
    clock = SetClock(t(2026, 11, 23, 9, 0))  # a Monday
    town, county = memory_store(TOWN, clock), memory_store(COUNTY, clock)
    bus = Bus(town)
    report = ReportIn.model_validate({"description": "路口井盖破损，有车辆陷落危险", "category": "0107", "region": TOWN,
                                      "location": {"lon": 121.07, "lat": 32.08}})
    case_id = submit_report(town, report, source="grid", actor="gridworker:李").case_id
    bus.deliver("received", triage.route_case)
    bus.deliver("triaged", dispatch.dispatch_case)
    bus.deliver("dispatched", supervision.track)
    lead = case(town, case_id).unit
    assert lead and lead not in (POLICE, SAFETY)
    clock.at = t(2026, 11, 23, 9, 1)  # 0107 is high: each sub-task signs for within 30 minutes (police: 24x7)
    dispatch.joint(town, case_id, "dispatcher:王", lead, [POLICE, SAFETY], "需派出所、安监办协同")
    clock.at = t(2026, 11, 23, 9, 5)
    dispatch.accept(town, case_id, f"handler:{lead}")  # the lead signs for the case on time
    dispatch.task_act(town, case_id, SAFETY, "accept", f"handler:{SAFETY}")  # and so does the safety office
    bus.deliver("accepted", supervision.track)
    with Session(town.engine) as s:
        row = s.get(CaseDeadline, case_id)
        assert row is not None and row.stage == "resolve"
        assert row.next_check_at is not None and row.next_check_at <= t(2026, 11, 23, 9, 25), \
            "the police's sub-task is watched: the sweep looks at it when it turns yellow"

    clock.at = t(2026, 11, 23, 9, 26)
    supervision.sweep(town)
    (soon,) = _events(bus, "due_soon", case_id)
    assert (soon["unit"], soon["task"], soon["stage"]) == (POLICE, True, "sign")
    clock.at = t(2026, 11, 23, 9, 32)  # the police missed its sign-for deadline (9:31)
    for _ in range(3):
        supervision.sweep(town)  # the sweep runs again and again (and in several processes): once each
    (late,) = _events(bus, "overdue", case_id)
    assert (late["unit"], late["task"], late["stage"]) == (POLICE, True, "sign")
    (urge,) = _events(bus, "supervised", case_id)
    assert (urge["unit"], urge["task"], urge["step"], urge["level"], urge["stage"]) == (POLICE, True, "催办", 1, "sign")
    assert "派出所" in urge["note"] and urge["notify"] == ["handler", "unit_leader"]
    assert case(town, case_id).supervision_level == 0, "the case's own (the lead's) level stands"
    assert sorted(_told(town, POLICE, case_id)) == ["due_soon", "new_task", "overdue", "supervise"]
    assert _told(town, SAFETY, case_id) == ["new_task"]
    assert _told(town, lead, case_id) == ["new_task"], "the lead, on time, hears nothing"
    with Session(town.engine) as s:
        row = s.get(CaseDeadline, case_id)
        assert row is not None and (row.light, row.overdue) == ("green", False), "the case itself is on time"
        assert row.next_check_at == t(2026, 11, 23, 9, 46)  # the police's 督办 next

    clock.at = t(2026, 11, 23, 9, 47)
    supervision.sweep(town)
    assert [s["step"] for s in _events(bus, "supervised", case_id)] == ["催办", "督办"]
    dispatch.task_act(town, case_id, POLICE, "accept", f"handler:{POLICE}")  # signed for at last
    clock.at = t(2026, 11, 23, 10, 5)
    supervision.sweep(town)
    assert [s["step"] for s in _events(bus, "supervised", case_id)] == ["催办", "督办"], "a signed sub-task's sign chain ends"

    # the county follows the case: a sub-task's warnings do not turn the case's light there
    for name in ("received", "triaged", "dispatched", "joint_opened", "accepted", "due_soon", "overdue", "supervised"):
        for event in bus.events(name, case_id):
            supervision.follow_below(county, event)
    with Session(county.engine) as s:
        copy = s.get(CaseDeadline, case_id)
        assert copy is not None and copy.light == "green" and not copy.overdue


def test_a_transfer_of_the_case_keeps_the_sub_tasks_once_keys():
    clock = SetClock(t(2026, 11, 23, 9, 0))
    town = memory_store(TOWN, clock)
    bus = Bus(town)
    report = ReportIn.model_validate({"description": "路口井盖破损", "category": "0107", "region": TOWN,
                                      "location": {"lon": 121.07, "lat": 32.08}})
    case_id = submit_report(town, report, source="grid", actor="gridworker:李").case_id
    bus.deliver("received", triage.route_case)
    bus.deliver("triaged", dispatch.dispatch_case)
    bus.deliver("dispatched", supervision.track)
    lead = case(town, case_id).unit
    dispatch.joint(town, case_id, "dispatcher:王", lead, [POLICE])
    clock.at = t(2026, 11, 23, 9, 31)
    supervision.sweep(town)
    assert len(_events(bus, "overdue", case_id)) == 2  # the lead's case (9:30) and the police's sub-task
    clock.at = t(2026, 11, 23, 9, 33)
    dispatch.transfer(town, case_id, "dispatcher:王", f"{TOWN}.municipal", "转市政")
    bus.deliver("transferred", supervision.track)  # a new stage of the case: its own keys start afresh, not the
    clock.at = t(2026, 11, 23, 9, 34)             # sub-task's (the track and the sweep would fire them again)
    supervision.sweep(town)
    tasks = [e for e in _events(bus, "overdue", case_id) if e.get("task")]
    assert len(tasks) == 1 and len([e for e in _events(bus, "supervised", case_id) if e.get("task")]) == 1
