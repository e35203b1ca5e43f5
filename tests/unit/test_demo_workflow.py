"""The demo's workflow moments (app/demo/workflow.py) and its evaluation total, the pure parts: the returns the units
make use the workflow's reason codes and the extension stays within its limits; the first reviews approve one
return and refuse one; the chain's clock only moves forward, across runs too; the total of the evaluation by region
is its top row (rows roll up by tier), not a sum. And what the 12345 platform hears of the new workflow events. The
day's monitoring (app/demo/monitoring.py) plays once per run, and its summary says what the centers answer — and
says so plainly when the tankers' dwell or deviation, or the hot spot's proactive task, is missing."""
import random
from datetime import datetime, timedelta

from app.demo.evaluation import evaluation_region_table, top_rows
from app.demo.workflow import EXTENSION, RETURNS, ChainClock, Script
from services.dispatch.api import load_workflow
from services.feedback.hotline_updates import STATUS_OF, message, owe
from shared.catalog import load_catalog


def test_the_units_return_with_the_workflows_reason_codes_and_ask_for_time_within_its_limits():
    rules = load_workflow()
    for code, reason, basis in RETURNS:
        assert code in rules.reason_codes and reason and basis
    limit = rules.extension
    assert EXTENSION["working_days"] <= limit.max_working_days and limit.max_count >= 1


def test_the_days_first_reviews_approve_one_return_and_refuse_one():
    script = Script()
    rng = random.Random(1)
    assert script.wants_return()
    assert [script.decide_review(rng), script.decide_review(rng)] == [True, False]
    script.returned = {"a": "not_ours", "b": "outside_area"}
    assert not script.wants_return()
    later = [script.decide_review(rng) for _ in range(200)]
    assert 0.5 < sum(later) / len(later) < 0.9  # later ones: approved more often than not


def test_special_cases_get_no_random_work_and_the_late_case_waits_until_released():
    script = Script(test_case="t", late_case="l", late_state="held")
    assert script.special("t") and script.special("l") and not script.special("x")
    assert script.holds("l") and not script.holds("t")
    script.late_state = "released"
    assert not script.holds("l")


def test_the_lead_of_a_joint_case_waits_for_every_sub_task():
    script = Script(joint_case="j", joint_state="asked")
    assert script.waits_for_tasks({"id": "j", "assisting_units": []})
    script.joint_state = "open"
    case = {"id": "j", "assisting_units": ["u.police"]}
    assert script.waits_for_tasks(case), "until the sub-tasks were read, they count as open"
    script.tasks_open["j"] = False
    assert not script.waits_for_tasks(case)
    assert not script.waits_for_tasks({"id": "k", "assisting_units": []})


def test_the_chain_clock_moves_only_forward_and_a_new_run_goes_on_from_it(tmp_path):
    path = tmp_path / "demo-clock"
    clock = ChainClock(path)
    assert clock.offset == 0 and path.read_text().strip() == "0.0"
    moved = clock.move_to(clock.now() + timedelta(minutes=30))
    assert 1790 < moved <= 1800 and 1790 < float(path.read_text()) <= 1800
    assert clock.move_to(clock.now() - timedelta(hours=1)) == 0, "never back"
    again = ChainClock(path)
    assert again.offset == clock.offset and again.now() - clock.now() < timedelta(seconds=1)
    path.write_text("nonsense")
    assert ChainClock(path).offset == 0


def _row(region, assignments, num, den):
    ind = {"value": num / den if den else None, "numerator": num, "denominator": den}
    return {"region": region, "assignments": assignments, "score": 90.0, **{
        name: dict(ind) for name in ("timely_sign_rate", "on_time_resolve_rate", "close_rate", "rework_rate",
                                     "return_rate", "response_rate", "solve_rate", "satisfaction_rate")}}


def test_the_evaluation_total_by_region_is_the_top_row_not_a_sum_of_rolled_up_rows():
    catalog = load_catalog()
    rows = [_row("320600", 10, 8, 10), _row("320612", 9, 7, 9), _row("320612001", 5, 4, 5), _row("320612002", 4, 3, 4)]
    assert [r["region"] for r in top_rows(rows, catalog)] == ["320600"]
    assert [r["region"] for r in top_rows(rows[1:], catalog)] == ["320612"]
    assert [r["region"] for r in top_rows(rows[2:], catalog)] == ["320612001", "320612002"], "peers add up"
    table = evaluation_region_table(rows, catalog, "2026-11")
    total = [cell for cell in table.columns[1].cells][-1]
    assert "10" in str(total), "the city's 10 hand-overs, not 10 + 9 + 5 + 4"


def test_the_platform_hears_returned_only_of_an_approved_review_and_a_void_as_closed():
    assert "returned" not in STATUS_OF, "a return waits for its review: the unit may keep the case"
    assert STATUS_OF["return_reviewed"] == "returned" and STATUS_OF["voided"] == "closed"
    assert set(STATUS_OF.values()) == {"accepted", "dispatched", "returned", "resolved", "closed"}
    names = {"320612001.chengguan": "金沙街道城管中队"}.get
    assert message("voided", {"unit": "320612001.chengguan", "reason": "测试工单"}, names) == \
        "工单已作废，不再办理（测试工单）"
    assert message("return_reviewed", {"unit": "320612001.chengguan", "approved": True, "note": "理由成立"}, names) == \
        "金沙街道城管中队退回，经审核同意，正在重新派遣（理由成立）"
    # a refused review owes nothing (and reads nothing: no session is needed to say so)
    assert owe(None, "c", "e", "return_reviewed", None, {"approved": False}, None) == 0
    assert owe(None, "c", "e", "returned", None, {"reason_code": "not_ours"}, None) == 0


# ---- the day's monitoring: once per run, and what the summary reads back ---------------------------------------
from types import SimpleNamespace  # noqa: E402

from app.demo import monitoring  # noqa: E402
from app.demo.monitoring import Monitoring, monitoring_lines, plan_hotspot, plan_tankers  # noqa: E402
from shared.clock import CHINA  # noqa: E402

NOW = datetime(2026, 11, 23, 10, 30, tzinfo=CHINA)
TOWN = "320612001"
TASK = f"{TOWN}-20261123-000099"


def test_the_monitoring_plays_once_per_run(monkeypatch):
    played = []
    monkeypatch.setattr(monitoring, "play", lambda sim, run_id: played.append(run_id))
    sim = SimpleNamespace(monitoring=Monitoring())
    monitoring.start(sim, "r1").join()
    assert monitoring.start(sim, "r1-2") is None, "the rounds after the day play it no more"
    assert played == ["r1"] and sim.monitoring.started


class _Answer:
    def __init__(self, status_code, body):
        self.status_code, self.body = status_code, body

    def json(self):
        return self.body


class _Center:
    """A center as the summary asks it: its warnings by kind and its cases, canned."""

    def __init__(self, region, warnings, cases):
        self.region, self.label, self.tokens = region, f"center {region}", {"viewer": "v", "dispatcher": "d"}
        self.warnings, self.cases = warnings, cases
        self.http = SimpleNamespace(call=self.call)

    def call(self, method, path, token=None, params=None, **_):
        if path == "/api/v1/warnings":
            items = [w for w in self.warnings if w["kind"] == params["kind"]]
            return _Answer(200, {"items": items, "page": 1, "page_size": 100, "total": len(items)})
        case = self.cases.get(path.rsplit("/", 1)[1])
        return _Answer(200, case) if case else _Answer(404, {"error": {"code": "not_found", "message": "no case"}})


def _sim(city_warnings, town_warnings):
    catalog = load_catalog()
    m = Monitoring(started=True, state="done", tankers=plan_tankers(1, NOW, "r1"), batches=24, points=400)
    m.hotspot = plan_hotspot(1, TOWN, catalog, NOW)
    m.reports = [f"{TOWN}-20261123-{i:06d}" for i in range(1, 12)]
    case = {"source": "sensor", "status": "closed", "priority": "urgent", "category": "1405", "center": "320600",
            "unit": "320600.emergency", "assisting_units": ["320600.police"]}
    task = {"source": "proactive", "status": "closed", "priority": "normal", "category": "1701", "center": TOWN,
            "unit": f"{TOWN}.chengguan", "assisting_units": []}
    city = _Center("320600", city_warnings, {"320600-20261123-000001": case, "320600-20261123-000002": case,
                                             TASK: task})  # the city holds every case of the chain, up to date
    town = _Center(TOWN, town_warnings, {TASK: {**task, "status": "received", "center": "320612", "unit": None}})
    cases = {c: {"status": "merged"} for c in m.reports[1:]}
    return SimpleNamespace(monitoring=m, city=city, by_region={"320600": city, TOWN: town}, cases=cases,
                           catalog=catalog)


def _vehicle_warning(kind, vehicle, case, **evidence):
    return {"id": f"W320600-{kind[:4]}000000", "kind": kind, "level": "red", "status": "open", "at": "2026-11-23T10:05",
            "title": f"{kind} of {vehicle}", "case_ids": [case], "evidence": {"vehicle": {"id": vehicle}, **evidence}}


def _hotspot(status, task=None):
    return {"id": f"W{TOWN}-0123456789", "kind": "hotspot", "level": "yellow", "status": status, "at": "2026-11-23T10:06",
            "title": "类案高发", "case_ids": [f"{TOWN}-20261123-{i:06d}" for i in range(1, 11)], "task_case_id": task,
            "acted_by": "dispatcher:金沙街道指挥中心值班员" if task else None,
            "evidence": {"count": 10, "expected": 1.4, "p_value": 2e-6, "bbox": [121.0, 32.0, 121.01, 32.01]}}


def test_the_summary_names_the_warnings_and_the_proactive_case_the_centers_answer_with():
    place = {"id": "E-XD-02", "licence": "closed", "distance_m": 12}
    sim = _sim([_vehicle_warning("dwell", "HZ-r1-1", "320600-20261123-000001", place=place,
                                 reachable={"regions": ["320612002"], "radius_m": 3333, "minutes": 5},
                                 teams=[{"name": "兴东街道城管中队", "distance_m": 800}]),
                _vehicle_warning("route_deviation", "HZ-r1-2", "320600-20261123-000002"),
                _vehicle_warning("dwell", "HZ-someone-else", "320600-20261123-000003")],
               [_hotspot("tasked", TASK)])
    text = "\n".join(monitoring_lines(sim))
    assert "dwell red W320600-dwel000000 (open)" in text and "at E-XD-02 (closed, 12 m)" in text
    assert "reachable in 5 min: 320612002" in text and "nearest 兴东街道城管中队 800 m" in text
    assert "route_deviation red W320600-rout000000" in text and "HZ-someone-else" not in text
    assert "case 320600-20261123-000001 (source sensor, closed, urgent, category 1405, at 320600: 320600.emergency " \
           "lead, 320600.police assisting)" in text
    assert f"hotspot yellow W{TOWN}-0123456789 (tasked)" in text and "10 merged into another" in text
    assert f"proactive case {TASK} (source proactive, closed" in text
    assert "NO " not in text and "NOT" not in text


def test_the_summary_says_plainly_what_is_missing():
    sim = _sim([_vehicle_warning("route_deviation", "HZ-r1-2", "320600-20261123-000002")], [_hotspot("open")])
    lines = monitoring_lines(sim)
    assert "      NO dwell warning read back" in lines
    assert "      未诉先办 NOT tasked" in lines
    sim = _sim([], [])
    lines = monitoring_lines(sim)
    assert "      NO route_deviation warning read back" in lines and "      NO hotspot warning read back" in lines
