"""The case state machine: every legal path works, every illegal action is refused and changes nothing,
and no sequence of actions reaches an inconsistent case."""
import copy
from datetime import UTC, datetime

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from shared.lifecycle import machine as m

UNITS = ("u.a", "u.b", "u.c")

commands = st.one_of(
    st.builds(m.Triage, category=st.just("0101"), priority=st.sampled_from(m.PRIORITIES),
              unit=st.sampled_from(UNITS + (None,)), rule=st.just("r1"),
              center=st.sampled_from((None, "320600", "320612"))),
    st.builds(m.Dispatch, unit=st.sampled_from(UNITS)),
    st.builds(m.Accept),
    st.builds(m.Return, reason=st.sampled_from(("not ours", "", "  "))),
    st.builds(m.Transfer, unit=st.sampled_from(UNITS)),
    st.builds(m.Escalate, reason=st.sampled_from(("needs county powers", "")),
              to_center=st.sampled_from((None, "320612"))),
    st.builds(m.Resolve, note=st.sampled_from(("fixed", ""))),
    st.builds(m.Verify, passed=st.booleans()),
    st.builds(m.RequestExtension, reason=st.just("parts"), hours=st.sampled_from((None, 4.0, -1.0)),
              working_days=st.sampled_from((None, 2))),
    st.builds(m.DecideExtension, approved=st.booleans()),
    st.builds(m.Supervise),
    st.builds(m.Reopen, reason=st.sampled_from(("citizen dissatisfied", ""))),
    st.builds(m.Merge, into=st.sampled_from(("C-1", "C-2")), case_id=st.just("C-2")),
    st.builds(m.Reject, reason=st.sampled_from(("duplicate prank", ""))),
    st.builds(m.Close),
    st.builds(m.Split, reason=st.sampled_from(("not the same problem", ""))),
    st.builds(m.Clear, note=st.sampled_from(("all clear", ""))),
    st.builds(m.Visit, resolved=st.booleans(), satisfaction=st.sampled_from(m.SATISFACTION + ("meh",))),
    st.builds(m.Warn, kind=st.sampled_from(("due_soon", "overdue", "bogus")), stage=st.just("resolve")),
    st.builds(m.ReviewReturn, approved=st.booleans()),
    st.builds(m.Suspend, reason=st.sampled_from(("awaiting the owner's consent", "")),
              until=st.sampled_from((None, datetime(2026, 12, 1, 9, tzinfo=UTC)))),
    st.builds(m.DecideSuspension, approved=st.booleans()),
    st.builds(m.Resume, auto=st.booleans()),
    st.builds(m.Void, reason=st.sampled_from(("test message", ""))),
    st.builds(m.RequestRegistration, rule=st.just("sensor")),
    st.builds(m.Register, approved=st.booleans(), reason=st.sampled_from((None, "not a city matter"))),
)


@settings(max_examples=3000, deadline=None)
@given(st.lists(commands, max_size=40))
def test_no_sequence_of_actions_reaches_an_inconsistent_case(cmds):
    state = m.CaseState(center="320612001")
    reworks = returns = 0
    for cmd in cmds:
        before = copy.deepcopy(state)
        try:
            new, events = m.apply(state, cmd)
        except (m.IllegalTransition, m.InvalidCommand):
            assert state == before, "a refused command changed the case"
            continue
        assert events, "an accepted command must produce at least one event"
        reworks += sum(e.type in ("reworked", "reopened") for e in events)
        returns += sum(e.type == "return_reviewed" and e.data["approved"] for e in events)
        state = new
        assert m.check_invariants(state) == [], (cmd, state)
        assert state.rework_count == reworks and state.return_count == returns


@pytest.mark.parametrize("status", m.STATUSES)
@pytest.mark.parametrize("cmd", [
    m.Accept(), m.Return("x"), m.Transfer("u.b"), m.Resolve("done"), m.Verify(True), m.Close(),
    m.Reject("x"), m.Merge("C-9", "C-1"), m.Reopen("x"), m.Supervise(), m.Dispatch("u.a"),
    m.RequestExtension("x", hours=2), m.DecideExtension(True), m.Escalate("x", "320612"), m.Split("x"),
    m.Clear("all clear"), m.Visit(True, "satisfied"), m.Void("test message"), m.Suspend("x"), m.Resume(),
    m.ReviewReturn(True), m.DecideSuspension(True), m.RequestRegistration("r"), m.Register(True),
], ids=lambda c: type(c).__name__ if not isinstance(c, str) else c)
def test_every_state_times_action_is_allowed_exactly_per_the_table(status, cmd):
    state = m.CaseState(center="320612001", status=status, unit=None if status == "received" else "u.a",
                        merged_into="C-9" if status == "merged" else None,
                        extension_pending=isinstance(cmd, m.DecideExtension) and status in ("dispatched", "accepted"),
                        return_pending="not_ours" if isinstance(cmd, m.ReviewReturn) else None,
                        suspension={m.DecideSuspension: "requested", m.Resume: "suspended"}.get(type(cmd)),
                        registration_pending=isinstance(cmd, m.Register))
    if status not in m.ALLOWED[type(cmd)]:
        with pytest.raises(m.IllegalTransition) as err:
            m.decide(state, cmd)
        assert err.value.status == status and err.value.reason
    else:
        assert m.decide(state, cmd)


def walk(state, *cmds):
    for cmd in cmds:
        state, _ = m.apply(state, cmd)
    return state


def test_the_whole_loop_reaches_closed():
    s = walk(m.CaseState(center="320612001"), m.Triage("0101", "normal", "u.a", "r1"), m.Dispatch("u.a"),
             m.Accept(), m.Resolve("replaced the cover"), m.Verify(True), m.Close())
    assert (s.status, s.unit, s.rework_count) == ("closed", "u.a", 0)


def test_a_return_approved_sends_the_case_back_to_triage_and_remembers_who_returned_it():
    s = walk(m.CaseState(center="c"), m.Triage("0101", "normal", "u.a", "r1"), m.Dispatch("u.a"),
             m.Return("not our area", "not_ours", "权责清单 第3条"))
    assert (s.status, s.unit, s.return_pending, s.return_count) == ("dispatched", "u.a", "not_ours", 0)
    s, events = m.apply(s, m.ReviewReturn(True))
    assert events[0].data | {"approved": True} == {"approved": True, "reason_code": "not_ours", "unit": "u.a",
                                                    "dispatching_center": "c", "note": None}
    assert (s.status, s.unit, s.return_count, s.returned_by) == ("triaged", None, 1, ("u.a",))
    s = walk(s, m.Triage("0101", "normal", "u.b", "r2"), m.Dispatch("u.b"))
    assert s.status == "dispatched" and s.unit == "u.b"


def test_a_return_needs_a_reason():
    s = walk(m.CaseState(center="c"), m.Triage("0101", "normal", "u.a", "r1"), m.Dispatch("u.a"))
    with pytest.raises(m.InvalidCommand):
        m.decide(s, m.Return("   "))


def test_failed_verification_sends_the_case_back_for_rework_and_counts_it():
    s = walk(m.CaseState(center="c"), m.Triage("0101", "normal", "u.a", "r1"), m.Dispatch("u.a"), m.Accept(),
             m.Resolve("done"))
    s, events = m.apply(s, m.Verify(False, "still broken"))
    assert [e.type for e in events] == ["verified", "reworked"]
    assert (s.status, s.rework_count, s.unit) == ("dispatched", 1, "u.a")


def test_resolve_before_accept_is_refused_with_a_reason():
    s = walk(m.CaseState(center="c"), m.Triage("0101", "normal", "u.a", "r1"), m.Dispatch("u.a"))
    with pytest.raises(m.IllegalTransition, match="accepted"):
        m.decide(s, m.Resolve("done"))


def test_nothing_can_be_done_to_a_merged_case():
    s = walk(m.CaseState(center="c"), m.Merge("C-1", "C-2"))
    for cmd in (m.Triage("0101", "normal", "u.a", "r"), m.Close(), m.Reopen("x"), m.Supervise()):
        with pytest.raises(m.IllegalTransition, match="merged into C-1"):
            m.decide(s, cmd)


def test_escalation_at_the_top_of_the_chain_is_refused():
    s = walk(m.CaseState(center="320600"), m.Triage("0101", "normal", "u.a", "r1"), m.Dispatch("u.a"))
    with pytest.raises(m.IllegalTransition, match="top of the chain"):
        m.decide(s, m.Escalate("too big", None))


def test_supervision_levels_stop_at_three():
    s = walk(m.CaseState(center="c"), m.Supervise(), m.Supervise(), m.Supervise())
    assert s.supervision_level == 3
    with pytest.raises(m.IllegalTransition):
        m.decide(s, m.Supervise())


def test_at_most_three_extensions():
    s = walk(m.CaseState(center="c"), m.Triage("0101", "normal", "u.a", "r1"), m.Dispatch("u.a"))
    for _ in range(3):
        s = walk(s, m.RequestExtension("parts", working_days=1), m.DecideExtension(True))
    with pytest.raises(m.InvalidCommand, match="3 extensions.*at most 3"):
        m.decide(s, m.RequestExtension("parts", working_days=1))


def test_routing_to_another_center_hands_the_case_over_as_received():
    s, events = m.apply(m.CaseState(center="320600"), m.Triage("1101", "normal", None, "down", center="320612"))
    assert [e.type for e in events] == ["routed"]
    assert (s.status, s.center) == ("received", "320612")


def test_resolving_lets_a_waiting_extension_request_lapse():
    s = walk(m.CaseState(center="c"), m.Triage("0101", "normal", "u.a", "r1"), m.Dispatch("u.a"), m.Accept(),
             m.RequestExtension("parts on order", working_days=2), m.Resolve("done early"))
    assert s.status == "resolved" and not s.extension_pending and m.check_invariants(s) == []
    with pytest.raises(m.IllegalTransition):
        m.decide(s, m.DecideExtension(True))
