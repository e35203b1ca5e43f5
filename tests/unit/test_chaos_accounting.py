"""The chaos suite's accounting by case id (tests/chaos/accounting.py): one verdict per attempted report, and the
cases no report made."""
import pytest

from tests.chaos.accounting import (
    Attempt,
    Copy,
    Expect,
    Tally,
    account,
    alpha,
    doubled_events,
    key_in,
    mark,
    missing_events,
    render,
)

TOWN, COUNTY = "320612107", "320612"
FLOW = ("received", "triaged", "dispatched")
HERE = Expect("dispatched", FLOW, (TOWN,))
BOTH = Expect("dispatched", FLOW, (TOWN, COUNTY))


def answered(key, *case_ids, failures=()):
    return Attempt(key, tries=len(failures) + len(case_ids), failures=list(failures), answers=list(case_ids))


def copy(case_id, key, status="dispatched", timeline=FLOW, center=TOWN):
    return Copy(center, case_id, key, status, tuple(timeline))


def test_a_case_in_its_expected_state_is_ok_and_one_that_needed_a_retry_is_also_recovered():
    t = account("x", [answered("aa", "C1"), answered("ab", "C2", failures=["ConnectError", "503"])],
                [copy("C1", "aa"), copy("C2", "ab")], {"report": HERE})
    assert (t.attempted, t.accepted, t.ok, t.recovered) == (2, 2, 2, 1)
    assert t.passed and t.problems == []


def test_an_accepted_report_whose_case_is_missing_or_stuck_or_another_case_is_lost():
    t = account("x", [answered("aa", "C1"), answered("ab", "C2"), answered("ac", "C3")],
                [copy("C2", "ab", status="triaged", timeline=("received", "triaged")), copy("C9", "ac")],
                {"report": HERE})
    assert (t.lost, t.ok) == (3, 0) and not t.passed
    assert any("no case at" in p for p in t.problems)
    assert any("missing dispatched" in p for p in t.problems)
    assert any("holds C9" in p for p in t.problems)


def test_a_case_must_be_at_every_center_the_expectation_names():
    t = account("x", [answered("aa", "C1")], [copy("C1", "aa")], {"report": BOTH})
    assert t.lost == 1 and f"no case at {COUNTY}" in t.problems[0]
    t = account("x", [answered("aa", "C1")], [copy("C1", "aa"), copy("C1", "aa", center=COUNTY)], {"report": BOTH})
    assert t.ok == 1


@pytest.mark.parametrize("attempt, copies, why", [
    (answered("aa", "C1", "C2"), [copy("C1", "aa")], "2 case ids"),
    (answered("aa", "C1"), [copy("C1", "aa"), copy("C2", "aa")], "2 cases at"),
    (answered("aa", "C1"), [copy("C1", "aa", timeline=("received", "triaged", "triaged", "dispatched"))], "triaged"),
    (answered("aa", "C1"), [copy("C1", "aa", timeline=(*FLOW, "due_soon", "due_soon"))], "due_soon"),
])
def test_two_cases_for_a_key_or_an_event_recorded_twice_is_doubled(attempt, copies, why):
    t = account("x", [attempt], copies, {"report": HERE})
    assert (t.doubled, t.ok, t.lost) == (1, 0, 0) and why in t.problems[0]


def test_doubled_wins_over_lost_and_each_report_gets_one_verdict():
    stuck_and_twice = copy("C1", "aa", status="received", timeline=("received", "received"))
    t = account("x", [answered("aa", "C1"), answered("ab", "C2"), Attempt("ac", tries=3, failures=["503"] * 3)],
                [stuck_and_twice, copy("C2", "ab")], {"report": HERE})
    assert (t.doubled, t.ok, t.unanswered, t.lost) == (1, 1, 1, 0)
    assert t.doubled + t.ok + t.unanswered + t.lost + t.misordered == t.attempted


def test_an_event_type_listed_twice_may_occur_twice():
    routed_down = Expect("dispatched", ("received", "routed", "routed", "triaged", "dispatched"), (TOWN,))
    timeline = ("received", "routed", "routed", "triaged", "dispatched")
    assert account("x", [answered("aa", "C1")], [copy("C1", "aa", timeline=timeline)], {"report": routed_down}).ok == 1
    assert doubled_events(timeline, routed_down.timeline) == []
    assert doubled_events((*timeline, "routed"), routed_down.timeline) == ["routed"]
    assert missing_events(("received", "routed"), routed_down.timeline) == ["dispatched", "routed", "triaged"]


def test_cases_that_no_report_of_the_load_made_are_unexpected_once_per_case():
    t = account("x", [answered("aa", "C1")], [copy("C1", "aa"), copy("C7", None), copy("C7", None, center=COUNTY),
                                              copy("C8", "zz")], {"report": HERE})
    assert (t.ok, t.unexpected) == (1, 2) and not t.passed
    assert sum("unexpected" in p for p in t.problems) == 2


def test_a_report_never_answered_is_unanswered_not_lost_whatever_happened_to_it():
    gave_up = Attempt("aa", tries=4, failures=["ConnectError"] * 4)
    refused = Attempt("ab", tries=1, refused="409: idempotency_conflict")
    t = account("x", [gave_up, refused], [copy("C1", "aa")], {"report": HERE})
    assert (t.unanswered, t.lost, t.ok, t.accepted, t.unexpected) == (2, 0, 0, 0, 0) and not t.passed
    assert "idempotency_conflict" in " ".join(t.problems)


def test_12345_updates_must_all_arrive_once_in_order():
    want = Expect("closed", ("received",), (TOWN,), updates=("dispatched", "accepted", "closed"))
    attempts = [answered(k, f"C{k}") for k in ("aa", "ab", "ac", "ad", "ae")]
    copies = [copy(f"C{k}", k, status="closed", timeline=("received",)) for k in ("aa", "ab", "ac", "ad", "ae")]
    updates = {"aa": ["dispatched", "accepted", "closed"], "ab": ["accepted", "dispatched", "closed"],
               "ac": ["dispatched", "accepted"], "ad": ["dispatched", "dispatched", "accepted", "closed"]}
    t = account("x", attempts, copies, {"report": want}, updates=updates)
    assert (t.ok, t.misordered, t.lost, t.doubled) == (1, 1, 2, 1), t.problems  # "ae": nothing arrived: lost


def test_the_expectation_can_depend_on_the_attempt():
    town = Attempt("aa", kind="town", answers=["C1"])
    city = Attempt("ab", kind="city", answers=["C2"])
    t = account("x", [town, city], [copy("C1", "aa"), copy("C2", "ab", status="triaged")],
                {"town": HERE, "city": Expect("triaged", ("received",), (TOWN,))})
    assert t.ok == 2


def test_keys_are_letters_only_and_are_found_again_in_a_description():
    assert [alpha(n) for n in (0, 1, 25, 26, 27)] == ["aaaaa", "aaaab", "aaaaz", "aaaba", "aaabb"]
    assert alpha(26 ** 5 + 1) == "baaaab", "wider when it must be"
    key = "xyz" + alpha(123)
    assert key_in(f"第3号井盖破损 {mark(key)}") == key and key_in("井盖破损") is None and key_in(None) is None
    with pytest.raises(ValueError):
        mark("k123")  # digits could be taken for a phone number and masked


def test_the_table_has_the_same_columns_every_time_and_says_which_scenario_failed():
    good = Tally("R1 kill -9", attempted=5000, accepted=5000, ok=5000, recovered=37, duration=312.04, recovery=4.44)
    bad = Tally("R5 link cut", attempted=10, accepted=10, ok=9, lost=1)
    broken = Tally("R6 not running", broken=["the cut was not real"])
    lines = render([good, bad, broken]).splitlines()
    assert [c.strip() for c in lines[0].strip("|").split("|")] == [
        "scenario", "attempted", "accepted", "ok", "recovered", "lost", "doubled", "unexpected", "unanswered",
        "misordered", "duration", "recovery", "result"]
    assert lines[1].startswith("|---") and lines[1].count("|") == 14
    assert [c.strip() for c in lines[2].strip("|").split("|")] == [
        "R1 kill -9", "5000", "5000", "5000", "37", "0", "0", "0", "0", "0", "312.0 s", "4.4 s", "pass"]
    assert lines[3].rstrip("| ").endswith("FAIL") and lines[4].rstrip("| ").endswith("FAIL")
    assert lines[3].split("|")[-3].strip() == "-", "no recovery measured"
    assert len({len(x) for x in lines}) == 1, "aligned"
    assert good.passed and not bad.passed and not broken.passed
