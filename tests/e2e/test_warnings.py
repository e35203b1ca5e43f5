"""Warnings through HTTP at running centers (issue 12 items 1, 4, 5; CONTRACTS.md §7; BRIEF.md scenario 9): eleven
noise complaints around one street market in a week raise one `hotspot` warning, shown on the live stream and kept
by the parent county; a dispatcher turns it into a proactive task (未诉先办) that is triaged and dispatched like any
case; a repeat caller's warning names a keyed hash, never the number, and is dismissed with a reason; a viewer
cannot act; the 分析研判 report comes as JSON and as printable HTML with SVG charts and no script. A township of its
own lives three weeks on a moved clock: a category rising against its own baseline raises one `trend` warning, a flat
one none."""
import subprocess
import sys
import time
from datetime import UTC, date, datetime, timedelta

import pytest

from services.warning.domain import patterns
from shared.clock import CHINA
from tests.e2e.test_center_http import Center, _wait_status
from tests.e2e.test_screens_api import Stream
from tests.support import somewhere, wait_until

COUNTY, TOWN = "320671", "320671001"  # 南通经济技术开发区, 中兴街道: used by no other e2e test
MARKET = (120.9700, 31.9600)
PHONE = "13912345678"


@pytest.fixture(scope="module")
def chain(amqp_uri, database_url):
    county = Center(COUNTY, amqp_uri, database_url)
    try:
        town = Center(TOWN, amqp_uri, database_url)
    except BaseException:
        county.stop()
        raise
    yield county, town
    assert town.stop() == 0, town.tail()
    assert county.stop() == 0, county.tail()


@pytest.fixture(scope="module")
def staff(chain):
    county, town = chain
    return {"dispatcher": town.token("dispatcher"), "viewer": town.token("viewer"),
            "county_dispatcher": county.token("dispatcher"), "county_viewer": county.token("viewer")}


def _warnings(center, headers, **params):
    r = center.http.get("/api/v1/warnings", headers=headers, params=params)
    assert r.status_code == 200, r.text
    return r.json()


def _wait_warnings(center, headers, want, timeout=20, **params):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        found = _warnings(center, headers, **params)
        if found["total"] >= want:
            return found
        time.sleep(0.2)
    raise AssertionError(f"{want} warning(s) {params} not seen: {found}\n{center.tail()}")


@pytest.fixture(scope="module")
def complaints(chain, staff):
    """Eleven noise complaints within ~250 m of one market (the first three from one caller), a live stream open."""
    county, town = chain
    stream = Stream(town, staff["dispatcher"])
    ids = []
    for n in range(11):
        body = {"description": f"中兴街道夜市噪音扰民，音响太吵（第{n + 1}次反映）", "category": "1701", "region": TOWN,
                "location": {"lon": round(MARKET[0] + (n % 4) * 0.0006, 6), "lat": round(MARKET[1] + (n // 4) * 0.0006, 6),
                             "address": f"中兴路夜市{n + 1}号"}}
        if n < 3:
            body["reporter"] = {"name": "王女士", "phone": PHONE}
        r = town.http.post("/api/v1/reports", headers=staff["dispatcher"], json=body)
        assert r.status_code == 202, r.text
        ids.append(r.json()["case_id"])
    yield ids, stream
    stream.close()


def test_eleven_complaints_around_one_market_raise_one_hotspot_shown_live_and_kept_by_the_county(chain, staff,
                                                                                                   complaints):
    county, town = chain
    ids, stream = complaints
    hot = _wait_warnings(town, staff["viewer"], 1, kind="hotspot")
    assert hot["total"] == 1, "raised once per cause, not once per complaint"
    w = hot["items"][0]
    assert w["level"] in ("yellow", "red") and w["region"] == TOWN and w["status"] == "open"
    assert w["evidence"]["category"] == "1701" and w["evidence"]["count"] >= 10
    lon0, lat0, lon1, lat1 = w["evidence"]["bbox"]
    assert lon0 <= MARKET[0] <= lon1 and lat0 <= MARKET[1] <= lat1
    assert set(w["case_ids"]) <= set(ids) and len(w["case_ids"]) >= 10
    assert {c["id"] for c in w["cases"]} == set(w["case_ids"]), "the warning comes with its cases"
    events = stream.until(lambda evs: any(e["event"] == "warning" and e.get("id") == w["id"] for e in evs))
    live = next(e for e in events if e["event"] == "warning" and e.get("id") == w["id"])  # on the live feed
    # the live row says what was known when it was raised (10 complaints); the record follows the 11th
    assert (live["kind"], live["level"]) == ("hotspot", w["level"]) and live["title"].startswith("类案高发"), live
    # the parent keeps its subtree's warnings (read only there: acted on where raised)
    kept = _wait_warnings(county, staff["county_viewer"], 1, kind="hotspot")
    assert kept["items"][0]["id"] == w["id"] and kept["items"][0]["center"] == TOWN
    r = county.http.post(f"/api/v1/warnings/{w['id']}/act", headers=staff["county_dispatcher"],
                         json={"action": "task"})
    assert r.status_code == 409, r.text


def test_a_viewer_cannot_act_and_a_dispatcher_turns_the_hotspot_into_a_dispatched_proactive_task(chain, staff,
                                                                                                   complaints):
    county, town = chain
    w = _wait_warnings(town, staff["viewer"], 1, kind="hotspot")["items"][0]
    r = town.http.post(f"/api/v1/warnings/{w['id']}/act", headers=staff["viewer"], json={"action": "task"})
    assert r.status_code == 403, r.text
    assert _warnings(town, staff["viewer"], kind="hotspot")["items"][0]["status"] == "open", "nothing changed"
    r = town.http.post(f"/api/v1/warnings/{w['id']}/act", headers=staff["dispatcher"],
                       json={"action": "task", "note": "联合市场监管部门整治夜市音响"})
    assert r.status_code == 200, r.text
    acted = r.json()
    assert acted["status"] == "tasked" and acted["task_case_id"] and acted["acted_by"]
    case = _wait_status(town, staff["viewer"], acted["task_case_id"], "dispatched")
    assert case["source"] == "proactive" and case["category"] == "1701" and w["id"] in case["description"]
    assert case["unit"] == f"{TOWN}.chengguan"
    again = town.http.post(f"/api/v1/warnings/{w['id']}/act", headers=staff["dispatcher"], json={"action": "task"})
    assert again.status_code == 409 and again.json()["error"]["code"] == "illegal_transition"
    assert _warnings(town, staff["viewer"], status="tasked")["total"] == 1


def test_a_repeat_caller_is_named_by_a_keyed_hash_and_dismissed_with_a_reason(chain, staff, complaints):
    county, town = chain
    found = _wait_warnings(town, staff["viewer"], 1, kind="repeat_caller")
    assert found["total"] == 1
    w = found["items"][0]
    assert PHONE not in str(w) and PHONE[-4:] not in w["evidence"]["caller"]
    assert len(w["case_ids"]) == 3 and w["evidence"]["orders"] == 3
    url = f"/api/v1/warnings/{w['id']}/act"
    no_reason = town.http.post(url, headers=staff["dispatcher"], json={"action": "dismiss"})
    assert no_reason.status_code == 422, no_reason.text
    r = town.http.post(url, headers=staff["dispatcher"], json={"action": "dismiss", "reason": "同一事件重复反映，已并单处理"})
    assert r.status_code == 200, r.text
    assert r.json()["status"] == "dismissed" and r.json()["reason"] == "同一事件重复反映，已并单处理"
    assert town.http.post(url, headers=staff["dispatcher"], json={"action": "task"}).status_code == 409
    assert town.http.post("/api/v1/warnings/W320671001-0000000000/act", headers=staff["dispatcher"],
                          json={"action": "dismiss", "reason": "x"}).status_code == 404
    assert town.http.post("/api/v1/warnings/%00W1/act", headers=staff["dispatcher"],
                          json={"action": "dismiss", "reason": "x"}).status_code == 404
    bad = town.http.get("/api/v1/warnings", headers=staff["viewer"], params={"kind": "bogus"})
    assert bad.status_code == 422


def test_the_analysis_report_as_json_and_as_printable_html(chain, staff, complaints):
    county, town = chain
    _wait_warnings(town, staff["viewer"], 1, status="tasked", timeout=30)
    period = datetime.now(CHINA).strftime("%Y-%m")
    r = town.http.get("/api/v1/analysis", headers=staff["viewer"], params={"period": period})
    assert r.status_code == 200 and r.headers["content-type"].startswith("application/json"), r.text
    rep = r.json()
    assert rep["period"] == period and rep["scope"] == TOWN
    by_cat = {row["code"]: row for row in rep["volume"]["by_category"]}
    assert by_cat["1701"]["count"] >= 12 and by_cat["1701"]["previous"] == 0  # eleven complaints and the task
    assert {row["code"] for row in rep["volume"]["by_source"]} >= {"desk", "proactive"}
    assert [h["status"] for h in rep["hotspots"]] == ["tasked"]
    assert rep["warnings"]["by_status"]["tasked"] == 1 and rep["warnings"]["by_status"]["dismissed"] == 1
    assert rep["repeat_callers"] and rep["repeat_callers"][0]["masked"] == "139****5678"
    assert PHONE not in r.text
    assert rep["recurring_places"] and rep["recurring_places"][0]["category"] == "1701"
    assert rep["indicators"]["version"] and "best" in rep["ranking"]
    assert len(rep["proactive"]) == 1 and rep["proactive"][0]["before"] >= 10
    page = town.http.get("/api/v1/analysis", headers={**staff["viewer"], "Accept": "text/html"},
                         params={"period": period})
    assert page.status_code == 200 and page.headers["content-type"].startswith("text/html"), page.text[:300]
    assert "<svg" in page.text and "<script" not in page.text.lower()
    assert "分析研判" in page.text and "未诉先办" in page.text and PHONE not in page.text
    assert town.http.get("/api/v1/analysis", headers=staff["viewer"], params={"period": "2026-13"}).status_code == 422
    assert town.http.get("/api/v1/analysis", headers={"Authorization": "Bearer nope"}).status_code == 401


def test_yiwang_analysis_writes_the_printable_report(chain, staff, complaints, tmp_path):
    county, town = chain
    _wait_warnings(town, staff["viewer"], 1, kind="hotspot")
    out = tmp_path / "report.html"
    period = datetime.now(CHINA).strftime("%Y-%m")
    done = subprocess.run([sys.executable, "-m", "app.cli", "analysis", "--region", TOWN, "--period", period,
                           "--out", str(out)], env=town.env, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    page = out.read_text(encoding="utf-8")
    assert "<svg" in page and "<script" not in page.lower() and "类案高发" in page and PHONE not in page


def test_a_storm_of_sensor_alerts_is_one_alert_storm_warning_raised_again_when_it_turns_red(chain, staff):
    county, town = chain
    sensor = town.token("sensor")
    observed = datetime.now(CHINA).isoformat()
    cases = set()
    for i in range(20):
        r = town.http.post("/api/v1/alerts", headers=sensor, json={
            "sensor_id": f"wl-storm-{i % 3}", "alert_type": "waterlogging", "level": "warning",
            "location": {"lon": 120.9900, "lat": 31.9400, "address": "中兴路地道"}, "observed_at": observed,
            "value": 0.4})
        assert r.status_code == 202, r.text
        cases.add(r.json()["case_id"])
    assert len(cases) == 1, "the alerts group into one case"
    storm = _wait_warnings(town, staff["viewer"], 1, kind="alert_storm")
    assert storm["total"] == 1, "one warning per storm, not one per alert"
    w = storm["items"][0]
    assert w["level"] == "red" and w["case_ids"] == list(cases) and w["evidence"]["alerts"] == 20


# ---- trend: a category rising in a region against its own recent baseline ------------------------------------------
TREND_TOWN = "320614103"  # 常乐镇 (海门区): a center of its own, used by no other test; its clock lives three weeks
RISING, FLAT = "1506", "1505"  # 露天烧烤 takes off; 非机动车乱停放 stays as it was
# Every fourth day of three weeks, day 0 the last (one clock move each): the days up to -8 are the baseline (14 days
# from the first, all left the 7-day window by day 0), -4 and 0 lie in the window. Cases sent on each day:
TREND_DAYS = {-20: (1, 4), -16: (1, 4), -12: (1, 4), -8: (1, 4), -4: (5, 4), 0: (5, 4)}  # day: (RISING, FLAT)


@pytest.fixture(scope="module")
def trend_town(amqp_uri, database_url):
    """The gateway alone: a report's patterns are found where it is taken in, in the transaction of its `received`."""
    town = Center(TREND_TOWN, amqp_uri, database_url, services="gateway")
    yield town
    assert town.stop() == 0, town.tail()


def _live_on(center, viewer, day: date) -> None:
    """Set the center's clock to noon (China time) of `day` and wait until it reads it (a process reads the clock file
    at most once a second): the board's 30-day trend ends on the center's today."""
    with open(center.clock.name, "w") as f:
        f.write(str((datetime(day.year, day.month, day.day, 12, tzinfo=CHINA) - datetime.now(UTC)).total_seconds()))
    wait_until(lambda: center.http.get("/api/v1/board", headers=viewer).json()["trend"][-1]["date"] == day.isoformat(),
               timeout=15, interval=0.1, what=f"the center's clock on {day}")


def _expected(rules: patterns.Rules, category: str, sent: dict[int, int], today: int) -> float:
    """The count a category's window ending on `today` is expected to hold (docs/warnings.md), worked out here from
    the daily counts sent: the bias-corrected EWMA of the days that left the window, zero days included, from the
    window of its first case on; never below the prior."""
    r = rules.of("trend", category)
    window, alpha = int(r["window_days"]), float(r["ewma_alpha"])
    start, cutoff = min(sent) - window, today - window  # the last day before the first case's window; before this one
    rate = 0.0
    for day in range(start + 1, cutoff + 1):
        rate = (1 - alpha) * rate + alpha * sent.get(day, 0)
    return window * max(float(r["prior_per_day"]), rate / (1 - (1 - alpha) ** (cutoff - start)))


def test_a_category_rising_against_its_own_baseline_raises_one_trend_warning_and_a_flat_one_none(trend_town):
    town = trend_town
    viewer, dispatcher = town.token("viewer"), town.token("dispatcher")
    today = datetime.now(CHINA).date()
    sent: dict[str, dict[int, list[str]]] = {RISING: {}, FLAT: {}}
    for day, counts in TREND_DAYS.items():
        on = today + timedelta(days=day)
        _live_on(town, viewer, on)
        for category, n in zip((RISING, FLAT), counts, strict=True):
            for _ in range(n):
                what = "夜间露天烧烤，油烟呛人" if category == RISING else "非机动车乱停放，堵住人行道"
                r = town.http.post("/api/v1/reports", headers=dispatcher, json={
                    "description": f"常乐镇{what}", "category": category, "region": TREND_TOWN,
                    "location": somewhere(121.20, 31.89, address="常乐镇中心街")})
                assert r.status_code == 202, r.text
                case_id = r.json()["case_id"]
                assert case_id.split("-")[1] == on.strftime("%Y%m%d"), f"{case_id} not taken in on {on}"
                sent[category].setdefault(day, []).append(case_id)
    rules = patterns.load_rules()
    rule = rules.of("trend", RISING)
    window = int(rule["window_days"])
    in_window = [i for day, ids in sent[RISING].items() if day > -window for i in ids]
    expected = _expected(rules, RISING, {d: len(ids) for d, ids in sent[RISING].items()}, 0)
    assert window * float(rule["prior_per_day"]) < expected < len(in_window) / float(rule["factor"]), \
        "a baseline learned (above the prior), and a rise above it"

    found = _wait_warnings(town, viewer, 1, kind="trend")
    assert found["total"] == 1, f"raised once per cause (not once per case), and not for the flat category: {found}"
    w = found["items"][0]
    assert (w["kind"], w["region"], w["level"], w["status"]) == ("trend", TREND_TOWN, rule["level"], "open"), w
    ev = w["evidence"]
    assert ev["category"] == RISING and ev["window_days"] == window and ev["count"] == len(in_window) == 10, ev
    assert ev["expected"] == pytest.approx(expected, abs=1e-3), (ev, expected)
    assert ev["ratio"] == pytest.approx(len(in_window) / expected, abs=0.01), ev
    assert ev["p_value"] <= float(rule["p_max"]), ev
    assert set(w["case_ids"]) == set(in_window), "the cases of the window, not those of the baseline"
    assert {c["id"] for c in w["cases"]} == set(in_window) and {c["category"] for c in w["cases"]} == {RISING}

    # the flat series says nothing, and only its own baseline keeps it quiet: against the prior it would be a trend
    f = rules.of("trend", FLAT)
    flat = sum(len(ids) for day, ids in sent[FLAT].items() if day > -window)
    flat_expected = _expected(rules, FLAT, {d: len(ids) for d, ids in sent[FLAT].items()}, 0)
    prior = window * float(f["prior_per_day"])
    assert flat >= int(f["min_cases"]) and flat >= float(f["factor"]) * prior
    assert patterns.poisson_tail(flat, prior) <= float(f["p_max"])
    assert flat < float(f["factor"]) * flat_expected
    assert not [x for x in _warnings(town, viewer, kind="trend")["items"] if x["evidence"].get("category") == FLAT]

    r = town.http.post(f"/api/v1/warnings/{w['id']}/act", headers=dispatcher,
                       json={"action": "dismiss", "reason": "夏季夜市季节性上升，已纳入常规巡查"})
    assert r.status_code == 200, r.text
    assert r.json()["status"] == "dismissed" and r.json()["reason"] == "夏季夜市季节性上升，已纳入常规巡查"
    after = _warnings(town, viewer, kind="trend")
    assert after["total"] == 1 and after["items"][0]["status"] == "dismissed"
