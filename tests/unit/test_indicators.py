from datetime import UTC, datetime, timedelta

from services.feedback.domain.indicators import CaseRecord, Entry, assignments, evaluate, load_versions

T0 = datetime(2026, 11, 2, 9, tzinfo=UTC)
V1 = load_versions()["v1"]


def indicators(timelines, by="unit", region="320612001"):
    """The v1 rows of these timelines ({case id: entries}) over November 2026."""
    cases = [CaseRecord(cid, region, es) for cid, es in timelines.items()]
    return evaluate(cases, V1, datetime(2026, 11, 1, tzinfo=UTC), datetime(2026, 12, 1, tzinfo=UTC), by)["rows"]


def e(case, minutes, type_, unit=None, **data):
    return Entry(case, T0 + timedelta(minutes=minutes), type_, unit, data)


def test_each_indicator_counts_the_cases_behind_it():
    timelines = {
        "A": [e("A", 0, "dispatched", "u1"), e("A", 5, "accepted", "u1"), e("A", 60, "resolved", "u1"),
              e("A", 70, "verified", "u1"), e("A", 71, "closed", "u1")],
        "B": [e("B", 0, "dispatched", "u1"), e("B", 40, "overdue", "u1", stage="sign"), e("B", 41, "accepted", "u1"),
              e("B", 90, "resolved", "u1"), e("B", 95, "reworked", "u1"), e("B", 99, "resolved", "u1")],
        "C": [e("C", 0, "dispatched", "u1"), e("C", 3, "returned", "u1"), e("C", 4, "triaged"),
              e("C", 5, "dispatched", "u2"), e("C", 6, "accepted", "u2")],
    }
    by_unit = {r["unit"]: r for r in indicators(timelines)}
    u1 = by_unit["u1"]
    assert u1["assignments"] == 3
    assert u1["timely_sign_rate"]["numerator_cases"] == ["A"] and u1["timely_sign_rate"]["denominator"] == 3
    assert u1["return_rate"]["numerator_cases"] == ["C"] and u1["return_rate"]["value"] == round(1 / 3, 4)
    assert u1["close_rate"]["denominator_cases"] == ["A", "B"] and u1["close_rate"]["numerator_cases"] == ["A"]
    assert u1["rework_rate"]["numerator_cases"] == ["B"]
    assert u1["on_time_resolve_rate"]["numerator_cases"] == ["A", "B"]  # no resolve-stage overdue for either
    assert by_unit["u2"]["timely_sign_rate"]["value"] == 1.0


def test_a_transfer_ends_one_assignment_and_starts_another():
    rows = assignments("D", "r", [e("D", 0, "dispatched", "u1"), e("D", 5, "transferred", "u2"),
                                  e("D", 9, "accepted", "u2")])
    assert [(a.unit, a.ended, a.accepted) for a in rows] == [("u1", "transferred", False), ("u2", None, True)]


def test_by_region_groups_on_the_case_region_and_empty_denominators_are_null():
    (row,) = indicators({"E": [e("E", 0, "dispatched", "u1"), e("E", 1, "returned", "u1")]}, by="region",
                        region="320612002")
    assert row["region"] == "320612002" and row["close_rate"]["value"] is None


def test_the_three_rates_of_12345_count_responses_and_the_citizens_visits():
    timelines = {
        # signed in time, solved, satisfied
        "H1": [e("H1", 0, "dispatched", "u1"), e("H1", 5, "accepted", "u1"), e("H1", 60, "resolved", "u1"),
               e("H1", 90, "visited", None, resolved=True, satisfaction="satisfied")],
        # returned in time with a reason: a response, though not a signature
        "H2": [e("H2", 0, "dispatched", "u1"), e("H2", 3, "returned", "u1")],
        # signed late; the citizen says not solved and is dissatisfied, then after rework basically satisfied
        "H3": [e("H3", 0, "dispatched", "u1"), e("H3", 40, "overdue", "u1", stage="sign"), e("H3", 41, "accepted", "u1"),
               e("H3", 90, "resolved", "u1"), e("H3", 95, "visited", None, resolved=False, satisfaction="dissatisfied"),
               e("H3", 96, "reopened", "u1"), e("H3", 99, "resolved", "u1"),
               e("H3", 120, "visited", None, resolved=True, satisfaction="basically_satisfied")],
        "H4": [e("H4", 0, "dispatched", "u1"), e("H4", 5, "accepted", "u1"), e("H4", 60, "resolved", "u1"),
               e("H4", 90, "visited", None, resolved=False, satisfaction="dissatisfied")],
    }
    (u1,) = indicators(timelines)
    assert u1["response_rate"]["numerator_cases"] == ["H1", "H2", "H4"] and u1["response_rate"]["denominator"] == 4
    assert u1["timely_sign_rate"]["numerator_cases"] == ["H1", "H4"], "a return is a response, not a signature"
    assert u1["solve_rate"]["denominator_cases"] == ["H1", "H3", "H4"], "only visited assignments"
    assert u1["solve_rate"]["numerator_cases"] == ["H1", "H3"], "the last visit counts"
    assert u1["satisfaction_rate"]["numerator_cases"] == ["H1", "H3"]
    assert u1["satisfaction_rate"]["value"] == round(2 / 3, 4)


def test_the_ranking_never_puts_a_unit_on_both_lists_and_orders_by_score():
    from services.feedback.domain.indicators import ranking

    def row(unit, value, n=1):
        return {"unit": unit, "assignments": n, "score": value * 100,
                **{name: {"value": value, "denominator_cases": [f"{unit}-1"]} for name in V1.codes}}
    rows = [row("a", 0.9), row("b", 0.5), row("c", 0.7)]
    r = ranking(rows, "unit", V1, size=5)
    assert [x["unit"] for x in r["best"]] == ["a", "c"] and [x["unit"] for x in r["worst"]] == ["b"]
    many = ranking([row(f"u{i}", i / 20) for i in range(20)], "unit", V1, size=5)
    assert [x["unit"] for x in many["best"]] == ["u19", "u18", "u17", "u16", "u15"]
    assert [x["unit"] for x in many["worst"]] == ["u0", "u1", "u2", "u3", "u4"]
