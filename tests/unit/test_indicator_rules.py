"""The indicators as versioned data (issue 11 item 8): pure computations over hand-built timelines, no database."""
import shutil
import tomllib
from datetime import UTC, date, datetime, timedelta

import pytest

from services.feedback.domain.indicators import (
    DATA_DIR,
    CaseRecord,
    Entry,
    IndicatorRulesError,
    UnknownVersion,
    choose,
    composite,
    evaluate,
    load_versions,
    parse_expr,
    parse_rules,
    ranking,
)

T0 = datetime(2026, 10, 12, 9, tzinfo=UTC)
OCT = (datetime(2026, 10, 1, tzinfo=UTC), datetime(2026, 11, 1, tzinfo=UTC))
NOV = (datetime(2026, 11, 1, tzinfo=UTC), datetime(2026, 12, 1, tzinfo=UTC))
TOWN, TOWN2, COUNTY, CITY = "320612001", "320612002", "320612", "320600"
V1 = load_versions()["v1"]


def e(case, minutes, type_, unit=None, center=TOWN, **data):
    return Entry(case, T0 + timedelta(minutes=minutes), type_, unit, data, center)


def run(timelines, by="unit", rules=V1, period=OCT, regions=None, **kw):
    cases = [CaseRecord(cid, (regions or {}).get(cid, TOWN), es) for cid, es in timelines.items()]
    return evaluate(cases, rules, *period, by, **kw)


def rows_by(result):
    return {r[result["by"]]: r for r in result["rows"]}


def v1_doc():
    return tomllib.loads((DATA_DIR / "v1.toml").read_text(encoding="utf-8"))


def test_version_1_defines_every_indicator_of_the_practice_with_a_weight():
    names = {i.name for i in V1.indicators}
    assert names == {"及时签收率", "按期处置率", "结案率", "按期结案率", "返工率", "退单率", "延期率", "准确派遣率",
                     "响应率", "解决率", "满意率", "平均处置时长"}
    assert V1.version == "v1" and V1.exclude_cases == {"merged", "rejected", "voided"} and V1.exclude_suspended_time
    assert sum(i.weight for i in V1.indicators) == 100
    by_code = {i.code: i for i in V1.indicators}
    assert by_code["rework_rate"].better == "lower" and by_code["dispatch_accuracy_rate"].charged_to == "dispatcher"
    assert by_code["avg_handling_hours"].kind == "mean"


def test_merged_rejected_and_voided_cases_are_left_out_of_every_figure_but_a_split_case_counts():
    timelines = {
        "OK": [e("OK", 0, "dispatched", "u1"), e("OK", 5, "accepted", "u1")],
        "VOID": [e("VOID", 0, "dispatched", "u1"), e("VOID", 3, "voided", "u1")],
        "REJ": [e("REJ", 0, "dispatched", "u1"), e("REJ", 3, "rejected")],
        "SPLIT": [e("SPLIT", 0, "merged"), e("SPLIT", 2, "split"), e("SPLIT", 4, "dispatched", "u1")],
    }
    result = run(timelines)
    u1 = rows_by(result)["u1"]
    assert u1["assignments"] == 2 and u1["timely_sign_rate"]["denominator_cases"] == ["OK", "SPLIT"]
    assert result["excluded_cases"] == {"REJ": "rejected", "VOID": "voided"}
    only_merged = parse_rules({**v1_doc(), "exclude_cases": ["merged"]})
    assert rows_by(run(timelines, rules=only_merged))["u1"]["assignments"] == 4, "the exclusions are the version's"


def test_suspended_time_is_not_charged_to_the_unit():
    timeline = [e("S", 0, "dispatched", "u1"), e("S", 10, "accepted", "u1"),
                e("S", 60, "suspension_decided", "u1", approved=True), e("S", 180, "resumed", "u1"),
                e("S", 240, "resolved", "u1")]
    u1 = rows_by(run({"S": timeline}))["u1"]
    assert u1["avg_handling_hours"]["value"] == 2.0 and u1["avg_handling_hours"]["denominator_cases"] == ["S"]
    charged_all = parse_rules({**v1_doc(), "exclude_suspended_time": False})
    assert rows_by(run({"S": timeline}, rules=charged_all))["u1"]["avg_handling_hours"]["value"] == 4.0
    refused = [e("R", 0, "dispatched", "u1"), e("R", 60, "suspension_decided", "u1", approved=False),
               e("R", 180, "resumed", "u1"), e("R", 240, "resolved", "u1")]
    assert rows_by(run({"R": refused}))["u1"]["avg_handling_hours"]["value"] == 4.0, "only an approved suspension"


def test_a_suspension_without_resume_ends_at_its_until():
    until = (T0 + timedelta(minutes=120)).isoformat()
    timeline = [e("U", 0, "dispatched", "u1"), e("U", 60, "suspension_decided", "u1", approved=True, until=until),
                e("U", 240, "resolved", "u1")]
    assert rows_by(run({"U": timeline}))["u1"]["avg_handling_hours"]["value"] == 3.0


def test_time_and_outcome_are_charged_to_the_unit_that_held_the_case_at_each_stage():
    timeline = [e("T", 0, "dispatched", "u1"), e("T", 30, "overdue", "u1", stage="sign"),
                e("T", 60, "transferred", "u2"), e("T", 70, "accepted", "u2"), e("T", 180, "resolved", "u2"),
                e("T", 190, "verified", "u2", passed=True), e("T", 200, "closed", "u2")]
    rows = rows_by(run({"T": timeline}))
    u1, u2 = rows["u1"], rows["u2"]
    assert u1["timely_sign_rate"]["numerator"] == 0 and u2["timely_sign_rate"]["numerator_cases"] == ["T"]
    assert u1["close_rate"]["denominator"] == 0, "the transfer ended u1's assignment: nothing of it to close"
    assert u2["close_rate"]["numerator_cases"] == ["T"] and u2["on_time_close_rate"]["numerator_cases"] == ["T"]
    assert u2["avg_handling_hours"]["value"] == 2.0 and u1["avg_handling_hours"]["value"] is None


def test_an_approved_return_counts_against_the_dispatching_center_and_a_refused_one_keeps_the_unit():
    timelines = {
        "A": [e("A", 0, "dispatched", "u1"), e("A", 20, "returned", "u1", reason_code="not_ours", basis="第3条"),
              e("A", 40, "return_reviewed", None, approved=True), e("A", 50, "dispatched", "u2"),
              e("A", 55, "accepted", "u2")],
        "B": [e("B", 0, "dispatched", "u1"), e("B", 20, "returned", "u1", reason_code="not_ours", basis="第3条"),
              e("B", 40, "return_reviewed", None, approved=False), e("B", 45, "accepted", "u1"),
              e("B", 90, "resolved", "u1")],
        "C": [e("C", 0, "dispatched", "u3", center=COUNTY), e("C", 5, "accepted", "u3", center=COUNTY)],
    }
    desks = {TOWN: f"{TOWN}.command", COUNTY: f"{COUNTY}.command"}
    rows = rows_by(run(timelines, desk=desks.get))
    accuracy = rows[f"{TOWN}.command"]["dispatch_accuracy_rate"]
    assert accuracy["denominator_cases"] == ["A", "A", "B"] and accuracy["numerator_cases"] == ["A", "B"]
    assert rows[f"{COUNTY}.command"]["dispatch_accuracy_rate"]["value"] == 1.0
    assert rows["u1"]["dispatch_accuracy_rate"]["denominator"] == 0, "the unit is not charged for a wrong dispatch"
    assert rows["u1"]["return_rate"]["numerator_cases"] == ["A", "B"]
    assert rows["u1"]["on_time_resolve_rate"]["denominator_cases"] == ["B"], "refused: u1 keeps B (首办责任单位)"
    assert rows["u1"]["on_time_resolve_rate"]["numerator_cases"] == ["B"]
    assert rows["u2"]["timely_sign_rate"]["numerator_cases"] == ["A"]
    by_region = rows_by(run(timelines, by="region", rollup=lambda r: (r,)))
    assert by_region[TOWN]["dispatch_accuracy_rate"]["numerator"] == 2
    assert by_region[COUNTY]["dispatch_accuracy_rate"]["denominator_cases"] == ["C"]


def test_a_countys_row_includes_its_townships_cases():
    parents = {TOWN: COUNTY, TOWN2: COUNTY, COUNTY: CITY, CITY: None}

    def path(region):
        out = []
        while region:
            out.append(region)
            region = parents[region]
        return tuple(out)
    timelines = {"P": [e("P", 0, "dispatched", "u1"), e("P", 5, "accepted", "u1")],
                 "Q": [e("Q", 0, "dispatched", "u2", center=TOWN2)],
                 "R": [e("R", 0, "dispatched", "u3", center=COUNTY)]}
    regions = {"P": TOWN, "Q": TOWN2, "R": COUNTY}
    rows = rows_by(run(timelines, by="region", regions=regions, rollup=path))
    assert rows[COUNTY]["timely_sign_rate"]["denominator_cases"] == ["P", "Q", "R"]
    assert rows[COUNTY]["assignments"] == 3 and rows[CITY]["assignments"] == 3
    assert rows[TOWN]["timely_sign_rate"]["denominator_cases"] == ["P"] and rows[TOWN2]["assignments"] == 1
    flat = rows_by(run(timelines, by="region", regions=regions))
    assert flat[COUNTY]["assignments"] == 1, "without the roll-up a row is only its own region"


def test_only_what_the_timeline_showed_before_the_end_of_the_period_counts():
    late = [e("L", 0, "dispatched", "u1"), e("L", 5, "accepted", "u1"),
            Entry("L", OCT[1] + timedelta(hours=2), "resolved", "u1", {}, TOWN)]
    assert rows_by(run({"L": late}))["u1"]["on_time_resolve_rate"]["numerator"] == 0
    assert rows_by(run({"L": late}, period=(OCT[0], NOV[1])))["u1"]["on_time_resolve_rate"]["numerator"] == 1


def test_a_past_period_recomputes_to_the_same_figures_under_its_version(tmp_path):
    shutil.copy(DATA_DIR / "v1.toml", tmp_path / "v1.toml")
    october = {
        "K1": [e("K1", 0, "dispatched", "u1"), e("K1", 5, "accepted", "u1"), e("K1", 60, "resolved", "u1"),
               e("K1", 70, "verified", "u1", passed=True), e("K1", 71, "closed", "u1")],
        "K2": [e("K2", 0, "dispatched", "u1"), e("K2", 40, "overdue", "u1", stage="sign"),
               e("K2", 41, "accepted", "u1")],
        "K3": [e("K3", 0, "dispatched", "u2"), e("K3", 3, "returned", "u2", reason_code="not_ours", basis="x")],
    }
    versions = load_versions(tmp_path)
    before = run(october, rules=choose(versions, "v1", OCT[0].date()))
    assert before["version"] == "v1"

    # later: October's open case closes in November, new cases come, and a v2 weighs the sign-for rate more
    later = {cid: list(es) for cid, es in october.items()}
    n0 = NOV[0] + timedelta(days=3)
    later["K2"] += [Entry("K2", n0, "resolved", "u1", {}, TOWN), Entry("K2", n0 + timedelta(hours=1), "closed", "u1",
                                                                        {}, TOWN)]
    later["N1"] = [Entry("N1", n0, "dispatched", "u1", {}, TOWN)]
    doc = v1_doc()
    doc["version"], doc["effective_from"] = "v2", date(2026, 11, 1)
    doc["indicators"]["timely_sign_rate"]["weight"] = 40
    text = (DATA_DIR / "v1.toml").read_text(encoding="utf-8").replace('version = "v1"', 'version = "v2"')
    text = text.replace("effective_from = 2026-01-01", "effective_from = 2026-11-01")
    text = text.replace('numerator = "signed_in_time"\ndenominator = "assigned"\nweight = 10',
                        'numerator = "signed_in_time"\ndenominator = "assigned"\nweight = 40')
    (tmp_path / "v2.toml").write_text(text, encoding="utf-8")
    versions = load_versions(tmp_path)
    assert list(versions) == ["v1", "v2"] and versions["v2"] == parse_rules(doc, "v2.toml")

    again = run(later, rules=choose(versions, "v1", OCT[0].date()))
    assert again == before, "the same figures, case ids and score under v1"
    assert choose(versions, None, OCT[0].date()).version == "v1", "by default a period uses the version then"
    assert choose(versions, None, NOV[0].date()).version == "v2"
    under_v2 = run(later, rules=versions["v2"])
    assert under_v2["version"] == "v2"
    assert rows_by(under_v2)["u1"]["score"] != rows_by(before)["u1"]["score"], "v2 weighs differently"
    with pytest.raises(UnknownVersion, match="v1, v2"):
        choose(versions, "v9", OCT[0].date())


def test_the_composite_score_is_the_weighted_mean_of_the_indicators_with_a_value():
    doc = {"version": "t", "effective_from": date(2026, 1, 1), "indicators": {
        "a": {"name": "A", "numerator": "accepted", "denominator": "assigned", "weight": 3},
        "b": {"name": "B", "numerator": "returned", "denominator": "assigned", "weight": 1, "better": "lower"},
        "c": {"name": "C", "numerator": "solved", "denominator": "visited", "weight": 5},
        "h": {"name": "H", "kind": "mean", "measure": "handling_hours", "denominator": "resolved", "weight": 2,
              "full_score_at": 2, "zero_score_at": 12}}}
    rules = parse_rules(doc)
    row = {"a": {"value": 0.5}, "b": {"value": 0.25}, "c": {"value": None}, "h": {"value": 7.0}}
    assert composite(row, rules) == round(100 * (3 * 0.5 + 1 * 0.75 + 2 * 0.5) / 6, 1)
    assert composite({k: {"value": None} for k in "abch"}, rules) is None
    assert rules.indicators[3].score(1.0) == 1.0 and rules.indicators[3].score(20.0) == 0.0


def test_the_ranking_orders_by_the_composite_score():
    timelines = {"G": [e("G", 0, "dispatched", "good"), e("G", 5, "accepted", "good"), e("G", 60, "resolved", "good"),
                       e("G", 70, "verified", "good", passed=True), e("G", 71, "closed", "good")],
                 "B": [e("B", 0, "dispatched", "bad"), e("B", 50, "overdue", "bad", stage="sign"),
                       e("B", 60, "returned", "bad")]}
    result = run(timelines)
    scores = {r["unit"]: r["score"] for r in result["rows"]}
    assert scores["good"] > scores["bad"]
    ranked = ranking(result["rows"], "unit", V1)
    assert [r["unit"] for r in ranked["best"]] == ["good"] and [r["unit"] for r in ranked["worst"]] == ["bad"]
    assert ranked["best"][0]["score"] == scores["good"] and ranked["version"] == "v1"


@pytest.mark.parametrize("text, ok", [("signed_in_time or returned_in_time", {"signed_in_time"}),
                                      ("not (returned and return_approved)", {"returned"}),
                                      ("kept and not reworked", {"kept"})])
def test_expressions_combine_facts(text, ok):
    facts = {f: f in ok for f in ("signed_in_time", "returned_in_time", "returned", "return_approved", "kept",
                                  "reworked")}
    assert parse_expr(text)(facts) is True


@pytest.mark.parametrize("change, message", [
    (lambda d: d["indicators"]["close_rate"].update(numerator="closed and finished"),
     "indicators.close_rate.numerator: unknown fact 'finished'"),
    (lambda d: d["indicators"]["close_rate"].update(weight=-1), "indicators.close_rate.weight: must not be negative"),
    (lambda d: d["indicators"]["close_rate"].update(colour="red"), "indicators.close_rate: unknown keys colour"),
    (lambda d: d["indicators"]["avg_handling_hours"].update(measure="days"), "measure: expected one of"),
    (lambda d: d.update(exclude_cases=["closed"]), "exclude_cases: a list of merged, rejected, voided"),
    (lambda d: d["indicators"]["close_rate"].update(numerator="(closed"), "a parenthesis is not closed"),
])
def test_a_bad_version_file_is_refused_naming_the_file_and_the_key(change, message):
    doc = v1_doc()
    change(doc)
    with pytest.raises(IndicatorRulesError, match=message.replace("(", r"\(")):
        parse_rules(doc, "v1.toml")


def test_a_version_file_must_carry_its_own_name(tmp_path):
    (tmp_path / "v3.toml").write_text((DATA_DIR / "v1.toml").read_text(encoding="utf-8"), encoding="utf-8")
    with pytest.raises(IndicatorRulesError, match="v3.toml: version: 'v1' must match"):
        load_versions(tmp_path)
