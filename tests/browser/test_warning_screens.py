"""Warnings (监测预警) on the screens, in headless Chromium against a running township center (BRIEF scenarios 8 and 9):
a tanker's tracker reports a 25-minute stay at the chemical plant whose licence was revoked — the tanker appears on
the big screen's map with the area it can reach in 5 minutes, and on the desk's 预警 tab with the plant, the stay and
the teams nearby; the tanker then leaves its permitted route, and the dispatcher dismisses that warning with a reason
(none without one); eleven noise complaints around one market raise a hot spot, which the township's dispatcher
turns into a proactive task (未诉先办) on the desk — the task's case opens, and the hot spot leaves the open lists.

兴东街道 (320612002) runs the center: the revoked plant (E-XD-02) is in it, and no other test runs this center."""
from __future__ import annotations

import random
from datetime import datetime, timedelta

import pytest
from playwright.sync_api import expect

from services.warning.domain import tracks_geodesy as geo
from tests.browser.test_three_screens import posted
from tests.e2e.test_center_http import Center
from tests.e2e.test_tracks import MAIN, PLANT, _daytime, _drive, _send, _stay

TOWN = "320612002"
MARKET = (121.1250, 32.0550)  # a night market in 兴东街道, away from the tankers' route


@pytest.fixture(scope="module")
def center(amqp_uri, database_url):
    c = Center(TOWN, amqp_uri, database_url)
    yield c
    assert c.stop() == 0, "SIGTERM drains and exits 0\n" + c.tail()


@pytest.fixture(scope="module")
def pages(center, browser):
    """The big screen and the desk, open before anything happens (so what they show came live)."""
    from tests.browser.conftest import Screens

    opened = Screens(browser, center.port, "warnings")
    try:
        screen = opened.open("screen", center.token("viewer"))
        desk = opened.open("desk", center.token("dispatcher"))
        desk.locator('[data-testid="queue-tab"][data-tab="warnings"]').click()
        expect(desk.get_by_test_id("warning-list-empty")).to_be_visible()
        yield opened, screen, desk
        opened.assert_stayed_home()
    finally:
        opened.close()


def card(desk, kind):
    return desk.locator(f'[data-testid="warning-card"][data-kind="{kind}"]')


@pytest.fixture(scope="module")
def tanker(center):
    """A tanker's day: along its permitted route to the revoked plant, 25 minutes there, back to the route and off it."""
    headers, rng, vehicle = center.token("sensor"), random.Random(12), "HZ-SCREEN-01"
    approach = _drive([MAIN.line[8], MAIN.line[9], MAIN.line[10], (PLANT.lon, PLANT.lat)], _daytime(10))
    stay = _stay(PLANT.lon, PLANT.lat, datetime.fromisoformat(approach[-1]["at"]) + timedelta(seconds=30), 25)
    leave = _drive([(PLANT.lon, PLANT.lat), MAIN.line[10], MAIN.line[11]],
                   datetime.fromisoformat(stay[-1]["at"]) + timedelta(seconds=30))
    answers = _send(center, headers, vehicle, approach + stay + leave, rng)
    dwell = [w for a in answers for w in a["warnings"]]
    assert [(w["kind"], w["level"]) for w in dwell] == [("dwell", "red")], dwell
    return {"headers": headers, "rng": rng, "vehicle": vehicle, "dwell": dwell[0], "last": leave[-1]}


def test_a_tanker_at_the_revoked_plant_is_on_the_big_screens_map_and_the_desks_warnings(pages, tanker):
    screens, screen, desk = pages
    dwell = tanker["dwell"]
    # the big screen: the tanker where it stayed, its 5-minute reach, and the warning at the top of the feed
    expect(screen.locator("#map")).to_have_attribute("data-vehicles", "1")
    item = screen.locator('[data-testid="warning-item"]').filter(has_text=dwell["title"]).first
    expect(item).to_be_visible()
    expect(item).to_contain_text("异常停留")
    expect(item).to_have_attribute("data-case-id", dwell["case_id"])

    # the desk: the 预警 tab counts it and shows what a dispatcher needs to act
    expect(desk.locator('[data-testid="queue-tab"][data-tab="warnings"] [data-testid="queue-tab-count"]')).to_have_text("1")
    shown = card(desk, "dwell")
    expect(shown).to_have_attribute("data-warning-id", dwell["id"])
    expect(shown.get_by_test_id("warning-level")).to_have_class("feed-tag feed-red")
    evidence = shown.get_by_test_id("warning-evidence")
    expect(evidence).to_contain_text("苏FD0825")
    expect(evidence).to_contain_text("已关停")
    expect(evidence).to_contain_text("5分钟可达")
    expect(evidence).to_contain_text("附近力量")
    shown.get_by_test_id("warning-case").first.click()  # the tanker's case opens in the middle pane
    expect(desk.get_by_test_id("case-pane")).to_have_attribute("data-case-id", dwell["case_id"])
    screens.shot(screen, "tanker-screen")
    screens.publish(desk, "desk-warnings")


def test_a_deviation_is_dismissed_only_with_a_reason(center, pages, tanker):
    screens, screen, desk = pages
    (ex, ey), = geo.project_many([MAIN.line[11]])
    off = geo.unproject_many([(ex, ey), (ex + 400, ey + 1200), (ex + 800, ey + 2500)])
    start = datetime.fromisoformat(tanker["last"]["at"]) + timedelta(seconds=30)
    answers = _send(center, tanker["headers"], tanker["vehicle"], _drive(off, start, kmh=30), tanker["rng"], size=4)
    deviation = next(w for a in answers for w in a["warnings"] if w["kind"] == "route_deviation")
    shown = card(desk, "route_deviation")
    expect(shown).to_have_attribute("data-warning-id", deviation["id"])

    shown.get_by_test_id("warning-dismiss").click()
    requests = []
    desk.on("request", lambda r: requests.append(r.url) if "/act" in r.url else None)
    shown.get_by_test_id("warning-submit").click()  # no reason: refused on the page, nothing sent
    expect(desk.get_by_test_id("toast").filter(has_text="请填写忽略原因")).to_be_visible()
    assert not requests
    reason = "道路施工临时绕行，已向交警部门报备"
    shown.get_by_test_id("warning-text").fill(reason)
    # the list is drawn again (as on a live event) while the form is open: the form and its text stay
    desk.get_by_test_id("queue-search").fill("没有这样的预警")
    expect(shown).to_have_count(0)
    desk.get_by_test_id("queue-search").fill("")
    expect(shown.get_by_test_id("warning-text")).to_have_value(reason)
    with desk.expect_response(posted(f"/api/v1/warnings/{deviation['id']}/act")) as answer:
        shown.get_by_test_id("warning-submit").click()
    assert answer.value.status == 200, answer.value.text()
    assert answer.value.json()["status"] == "dismissed"
    expect(card(desk, "route_deviation")).to_have_count(0)
    expect(card(desk, "dwell")).to_have_count(1)  # the stay at the plant is still open


def test_a_hot_spot_turned_into_a_proactive_task_on_the_desk(center, pages):
    screens, screen, desk = pages
    headers = center.token("dispatcher")  # complaints phoned to the township and entered at its desk
    for n in range(11):
        body = {"description": f"兴东夜市音响噪音扰民（第{n + 1}次反映）", "category": "1701", "region": TOWN,
                "location": {"lon": round(MARKET[0] + (n % 4) * 0.0006, 6), "lat": round(MARKET[1] + (n // 4) * 0.0006, 6),
                             "address": f"兴东夜市{n + 1}号摊位"}}
        r = center.http.post("/api/v1/reports", headers=headers, json=body)
        assert r.status_code == 202, r.text

    shown = card(desk, "hotspot")  # it comes live: the desk is not reloaded
    expect(shown).to_be_visible()
    expect(shown.get_by_test_id("warning-evidence")).to_contain_text("噪声")
    expect(screen.locator("#map")).to_have_attribute("data-hotspots", "1")
    warning_id = shown.get_attribute("data-warning-id")
    screens.publish(screen, "screen-warnings")  # the tanker, its reach and the hot spot, all open

    shown.get_by_test_id("warning-task").click()
    shown.get_by_test_id("warning-text").fill("联合市场监管所整治夜市音响")
    with desk.expect_response(posted(f"/api/v1/warnings/{warning_id}/act")) as answer:
        shown.get_by_test_id("warning-submit").click()
    assert answer.value.status == 200, answer.value.text()
    task = answer.value.json()["task_case_id"]
    assert task and answer.value.json()["status"] == "tasked"
    expect(desk.get_by_test_id("case-pane")).to_have_attribute("data-case-id", task)  # the proactive case opens
    expect(desk.locator("#case-summary")).to_contain_text("主动发现")
    expect(card(desk, "hotspot")).to_have_count(0)
    expect(screen.locator("#map")).to_have_attribute("data-hotspots", "0")
    case = center.http.get(f"/api/v1/cases/{task}", headers=center.token("viewer")).json()
    assert case["source"] == "proactive" and warning_id in case["description"]
    screens.shot(desk, "hotspot-tasked")
