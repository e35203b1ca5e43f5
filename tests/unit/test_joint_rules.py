"""The pure rules of joint handling (联合处置) and the whistle (街道吹哨): the lifecycle's joint, whistle and sub-task
commands, the fold of a timeline into sub-tasks, their lights, and the lead resolving last."""
from datetime import UTC, datetime, timedelta

import pytest

from shared import lifecycle
from shared.lifecycle import tasks as T
from shared.lifecycle.machine import IllegalTransition, InvalidCommand, TaskAction, TaskSpec

T0 = datetime(2026, 11, 24, 9, 0, tzinfo=UTC)
LEAD, POLICE, WATER = "320600.emergency", "320600.police", "320600.water"


def dispatched() -> lifecycle.CaseState:
    state = lifecycle.CaseState(center="320600", status="triaged", category="1405", priority="urgent", unit=LEAD)
    state, _ = lifecycle.apply(state, lifecycle.Dispatch(LEAD))
    return state


def entries(events, start=T0):
    """Timeline entries of events, a minute apart."""
    return [{"type": e.type, "at": start + timedelta(minutes=i), "unit": e.data.get("unit"), "data": e.data}
            for i, e in enumerate(events)]


def specs(*units):
    return tuple(TaskSpec(u, "lead" if i == 0 else "assisting", T0 + timedelta(minutes=15), T0 + timedelta(hours=2))
                 for i, u in enumerate(units))


def test_joint_names_the_lead_and_gives_each_assisting_unit_a_sub_task_with_its_deadlines():
    state, events = lifecycle.apply(dispatched(), lifecycle.OpenJoint(LEAD, (POLICE, WATER), specs(LEAD, POLICE, WATER)))
    assert [e.type for e in events] == ["joint_opened"]
    data = events[0].data
    assert (data["lead"], data["assisting"], state.assisting_units) == (LEAD, [POLICE, WATER], (POLICE, WATER))
    assert [(t["unit"], t["role"]) for t in data["tasks"]] == [(LEAD, "lead"), (POLICE, "assisting"),
                                                                (WATER, "assisting")]
    assert data["tasks"][1]["sign_due"] == (T0 + timedelta(minutes=15)).isoformat()
    assert lifecycle.check_invariants(state) == []


def test_a_joint_with_another_lead_transfers_the_case_to_it_first():
    state, events = lifecycle.apply(dispatched(), lifecycle.OpenJoint(POLICE, (WATER,)))
    assert [e.type for e in events] == ["transferred", "joint_opened"]
    assert (state.unit, state.assisting_units) == (POLICE, (WATER,))


@pytest.mark.parametrize("lead, assisting", [(LEAD, (LEAD,)), (LEAD, ())])
def test_a_joint_without_a_real_assisting_unit_is_refused(lead, assisting):
    with pytest.raises(InvalidCommand):
        lifecycle.decide(dispatched(), lifecycle.OpenJoint(lead, assisting))


def test_units_already_assisting_keep_their_sub_task_when_named_again():
    state, _ = lifecycle.apply(dispatched(), lifecycle.OpenJoint(LEAD, (POLICE,)))
    with pytest.raises(InvalidCommand, match="already has an open sub-task"):
        lifecycle.decide(state, lifecycle.OpenJoint(LEAD, (POLICE,), open_tasks=(POLICE,)))
    _, events = lifecycle.apply(state, lifecycle.OpenJoint(LEAD, (POLICE, WATER), open_tasks=(POLICE,)))
    assert [t["unit"] for t in events[0].data["tasks"]] == [LEAD, WATER]
    assert events[0].data["assisting"] == [POLICE, WATER]


def test_joint_needs_a_unit_holding_the_case():
    state = lifecycle.CaseState(center="320600", status="triaged", unit=LEAD)
    with pytest.raises(IllegalTransition):
        lifecycle.decide(state, lifecycle.OpenJoint(LEAD, (POLICE,)))


def test_the_whistle_summons_departments_as_a_joint_handling_led_by_the_unit_holding_the_case():
    _, events = lifecycle.apply(dispatched(), lifecycle.Whistle((POLICE, WATER), "危化品车辆反复停靠，需多部门到场"))
    assert [e.type for e in events] == ["whistled", "joint_opened"]
    assert events[0].data["units"] == [POLICE, WATER]
    assert events[1].data["whistle"] is True and events[1].data["lead"] == LEAD
    with pytest.raises(InvalidCommand):
        lifecycle.decide(dispatched(), lifecycle.Whistle((POLICE,), " "))


@pytest.mark.parametrize("action, status, ok", [
    ("accept", "dispatched", True), ("accept", "accepted", False), ("resolve", "dispatched", False),
    ("resolve", "accepted", True), ("return", "dispatched", True), ("return", "accepted", True),
    ("return", "resolved", False), ("accept", None, False)])
def test_an_assisting_unit_acts_on_its_sub_task_only_as_its_status_allows(action, status, ok):
    state, _ = lifecycle.apply(dispatched(), lifecycle.OpenJoint(LEAD, (POLICE,)))
    cmd = TaskAction(POLICE, action, status, note="已到场处置", reason="不属本单位", reason_code="not_ours", basis="权责清单")
    if ok:
        done = {"accept": "task_accepted", "return": "task_returned", "resolve": "task_resolved"}[action]
        assert [e.type for e in lifecycle.decide(state, cmd)] == [done]
    else:
        with pytest.raises(IllegalTransition):
            lifecycle.decide(state, cmd)


def test_a_sub_task_return_after_its_window_is_refused_and_a_return_drops_the_unit():
    state, _ = lifecycle.apply(dispatched(), lifecycle.OpenJoint(LEAD, (POLICE, WATER)))
    late = TaskAction(POLICE, "return", "dispatched", reason="不属本单位", window_ends_at=T0, at=T0 + timedelta(hours=1))
    with pytest.raises(IllegalTransition, match="return window"):
        lifecycle.decide(state, late)
    state, events = lifecycle.apply(state, TaskAction(POLICE, "return", "dispatched", reason="不属本单位",
                                                      window_ends_at=T0, at=T0))
    assert events[0].type == "task_returned" and state.assisting_units == (WATER,)


def test_the_lead_acts_on_the_case_not_on_a_sub_task():
    state, _ = lifecycle.apply(dispatched(), lifecycle.OpenJoint(LEAD, (POLICE,)))
    with pytest.raises(InvalidCommand, match="leads the case"):
        lifecycle.decide(state, TaskAction(LEAD, "accept", "dispatched"))


def test_the_lead_resolves_last_while_sub_tasks_are_open_the_case_waits():
    state, _ = lifecycle.apply(dispatched(), lifecycle.Accept())
    with pytest.raises(IllegalTransition, match=f"waiting for {POLICE}"):
        lifecycle.decide(state, lifecycle.Resolve("处置完毕", waiting_for=(POLICE,)))
    assert lifecycle.apply(state, lifecycle.Resolve("处置完毕"))[0].status == "resolved"


def _fold_of(*commands):
    state, events = dispatched(), []
    for cmd in commands:
        state, new = lifecycle.apply(state, cmd)
        events += new
    return T.fold(entries([lifecycle.Event("dispatched", {"unit": LEAD})] + events)), state


def test_the_fold_follows_each_sub_task_and_the_lead_follows_the_case():
    tasks, _ = _fold_of(lifecycle.OpenJoint(LEAD, (POLICE, WATER), specs(LEAD, POLICE, WATER)),
                        TaskAction(POLICE, "accept", "dispatched"), lifecycle.Accept(),
                        TaskAction(POLICE, "resolve", "accepted", note="已处置"),
                        TaskAction(WATER, "return", "dispatched", reason="不属本单位"))
    assert {u: (t.role, t.status) for u, t in tasks.items()} == {
        LEAD: ("lead", "accepted"), POLICE: ("assisting", "resolved"), WATER: ("assisting", "returned")}
    assert T.waiting_for(tasks) == ()
    assert tasks[POLICE].sign_due == T0 + timedelta(minutes=15)


def test_the_fold_is_empty_for_a_case_never_handled_jointly_and_ends_sub_tasks_with_the_case():
    assert T.fold(entries([lifecycle.Event("dispatched", {"unit": LEAD}), lifecycle.Event("accepted", {})])) == {}
    tasks, _ = _fold_of(lifecycle.OpenJoint(LEAD, (POLICE,)))
    ended = T.fold(entries([lifecycle.Event("joint_opened", {"unit": LEAD, "lead": LEAD, "assisting": [POLICE],
                                                             "tasks": [{"unit": LEAD, "role": "lead"},
                                                                       {"unit": POLICE, "role": "assisting"}]}),
                            lifecycle.Event("escalated", {"unit": LEAD})]))
    assert {t.status for t in ended.values()} == {"ended"} and T.waiting_for(ended) == ()
    assert T.waiting_for(tasks) == (POLICE,)


def test_a_transfer_moves_the_lead_sub_task_to_the_new_unit():
    tasks, _ = _fold_of(lifecycle.OpenJoint(LEAD, (POLICE,)), lifecycle.Transfer(WATER))
    assert {u: t.role for u, t in tasks.items()} == {POLICE: "assisting", WATER: "lead"}


def test_a_sub_task_light_turns_yellow_then_red_on_its_own_deadline():
    task = T.Task(POLICE, "assisting", "dispatched", T0, T0 + timedelta(minutes=10), T0 + timedelta(hours=2))
    assert task.light(T0 + timedelta(minutes=5)) == "green"
    assert task.light(T0 + timedelta(minutes=9)) == "yellow"
    assert task.light(T0 + timedelta(minutes=11)) == "red" and task.overdue(T0 + timedelta(minutes=11))
    signed = T.Task(POLICE, "assisting", "accepted", T0, T0 + timedelta(minutes=10), T0 + timedelta(hours=2))
    assert signed.light(T0 + timedelta(minutes=11)) == "green"  # now on its resolve clock
    assert T.Task(POLICE, "assisting", "resolved", T0, T0, T0).light(T0 + timedelta(days=1)) == "green"


# ---- evaluation: each unit charged its own sub-task --------------------------------------------------------------
def test_evaluation_charges_each_assisting_unit_its_own_sub_task_and_the_lead_the_case():
    from services.feedback.domain.indicators import CaseRecord, Entry, evaluate, load_versions

    v1 = load_versions()["v1"]
    t0 = datetime(2026, 10, 12, 9, tzinfo=UTC)
    town = "320612001"

    def e(minutes, type_, unit=None, **data):
        return Entry("C1", t0 + timedelta(minutes=minutes), type_, unit, data, town)

    due = {"sign_due": (t0 + timedelta(minutes=16)).isoformat(), "resolve_due": (t0 + timedelta(hours=2)).isoformat()}
    timeline = [
        e(0, "dispatched", LEAD),
        e(1, "joint_opened", LEAD, lead=LEAD, assisting=[POLICE, WATER],
          tasks=[{"unit": LEAD, "role": "lead"}, {"unit": POLICE, "role": "assisting", **due},
                 {"unit": WATER, "role": "assisting", **due}]),
        e(5, "accepted", LEAD),
        e(10, "task_accepted", POLICE),       # in time
        e(17, "overdue", WATER, stage="sign", task=True),  # the sweep's word on WATER's sub-task, not on the lead
        e(30, "task_accepted", WATER),        # after its sign deadline
        e(60, "task_resolved", POLICE),       # on time
        e(200, "task_resolved", WATER),       # late
        e(210, "resolved", LEAD), e(220, "verified", LEAD, passed=True), e(230, "closed", LEAD)]
    plain = [Entry("C2", t0, "dispatched", LEAD, {}, town), Entry("C2", t0 + timedelta(minutes=5), "accepted", LEAD,
                                                                   {}, town)]
    rows = {r["unit"]: r for r in evaluate([CaseRecord("C1", town, timeline), CaseRecord("C2", town, plain)], v1,
                                           datetime(2026, 10, 1, tzinfo=UTC), datetime(2026, 11, 1, tzinfo=UTC),
                                           "unit")["rows"]}
    assert {u: r["assignments"] for u, r in rows.items()} == {LEAD: 2, POLICE: 1, WATER: 1}
    assert rows[POLICE]["timely_sign_rate"]["value"] == 1 and rows[WATER]["timely_sign_rate"]["value"] == 0
    assert rows[POLICE]["on_time_resolve_rate"]["value"] == 1 and rows[WATER]["on_time_resolve_rate"]["value"] == 0
    assert rows[POLICE]["close_rate"]["numerator_cases"] == ["C1"]
    assert rows[LEAD]["timely_sign_rate"]["denominator_cases"] == ["C1", "C2"]  # the lead's figures as before
    assert rows[LEAD]["on_time_close_rate"]["numerator_cases"] == ["C1"]  # not late for an assisting unit's overdue
    by_region = evaluate([CaseRecord("C1", town, timeline)], v1, datetime(2026, 10, 1, tzinfo=UTC),
                         datetime(2026, 11, 1, tzinfo=UTC), "region")["rows"]
    assert [(r["region"], r["assignments"]) for r in by_region] == [(town, 1)]  # a region counts the case once


# ---- dispatch's handlers on an in-memory center (no broker) -----------------------------------------------------
def test_assisting_units_named_by_the_routing_rules_get_real_sub_tasks_when_the_case_is_dispatched():
    from sqlmodel import Session, select

    from services.dispatch import handlers as dispatch
    from services.dispatch.adapters.tables import CaseTask
    from services.intake.handlers import submit_report
    from services.triage import handlers as triage
    from shared.contracts.api import ReportIn
    from shared.store.tables import Case
    from tests.unit.memory import Bus, case, memory_store, timeline

    town = "320612001"
    store = memory_store(town)
    bus = Bus(store)
    case_id = submit_report(store, ReportIn.model_validate({
        "description": "人民路12号门口的污水井盖破损，晚上很危险", "category": "0107", "region": town,
        "location": {"lon": 121.07, "lat": 32.08}}), source="grid", actor="gridworker:李").case_id
    bus.deliver("received", triage.route_case)
    with Session(store.engine) as s:  # as a routing rule naming an assisting unit would have
        row = s.get(Case, case_id)
        row.assisting_units = [f"{town}.police"]
        s.add(row)
        s.commit()
    bus.deliver("triaged", dispatch.dispatch_case)
    assert timeline(store, case_id)[-2:] == ["dispatched", "joint_opened"]
    lead = case(store, case_id).unit
    with Session(store.engine) as s:
        rows = {r.unit: r for r in s.exec(select(CaseTask).where(CaseTask.case_id == case_id)).all()}
    assert {u: (r.role, r.status) for u, r in rows.items()} == {lead: ("lead", "dispatched"),
                                                                 f"{town}.police": ("assisting", "dispatched")}
    assert rows[f"{town}.police"].sign_due < rows[f"{town}.police"].resolve_due
    (opened,) = bus.events("joint_opened", case_id)
    assert opened.payload.assisting == [f"{town}.police"]
    dispatch.accept(store, case_id, "handler:王")
    with pytest.raises(lifecycle.IllegalTransition, match=f"waiting for {town}.police"):
        dispatch.resolve(store, case_id, "handler:王", "井盖已更换")
    dispatch.task_act(store, case_id, f"{town}.police", "accept", "handler:赵")
    dispatch.task_act(store, case_id, f"{town}.police", "resolve", "handler:赵", note="已维护现场秩序")
    assert dispatch.resolve(store, case_id, "handler:王", "井盖已更换").status == "resolved"
    assert bus.deliver("accepted", dispatch.refresh_tasks) == bus.deliver("resolved", dispatch.refresh_tasks) == 1
    with Session(store.engine) as s:
        assert {r.unit: r.status for r in s.exec(select(CaseTask).where(CaseTask.case_id == case_id))} == {
            lead: "resolved", f"{town}.police": "resolved"}
