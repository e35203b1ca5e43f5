"""Joint handling (联合处置) on the screens, in headless Chromium against a running county center: the desk opens a
joint handling with an assisting unit (协办); that unit's handler finds the case on the phone under 协办任务, is offered
its sub-task's acts only (not the lead's case actions), signs for and resolves its part with a note and a photo
through the tasks route; the desk's case view shows the sub-task resolved.

如皋市 (320682) runs the center, as in test_three_screens.py: its dispatcher and handlers here belong to 如城街道
(320682001)."""
from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import Screens
from tests.browser.test_three_screens import (
    COUNTY,
    INSIDE,
    PHOTO_FILE,
    action,
    case_row,
    dispatched,
    handler,
    open_on_desk,
    posted,
    report,
    timeline,
)
from tests.e2e.test_center_http import Center
from tests.support import wait_until

ASSISTANTS = (f"{COUNTY}.police", f"{COUNTY}.market")  # the assisting unit: the first that is not the lead


@pytest.fixture(scope="module")
def center(amqp_uri, database_url, tmp_path_factory):
    media = tmp_path_factory.mktemp("media")
    c = Center(COUNTY, amqp_uri, database_url, extra_env={"YIWANG_MEDIA_DIR": str(media / "{region}")})
    yield c
    assert c.stop() == 0, "SIGTERM drains and exits 0\n" + c.tail()


@pytest.fixture(scope="module")
def town(amqp_uri, database_url, center):
    """如城街道's own center (a township: it may whistle), started for the last test of the module."""
    c = Center(INSIDE, amqp_uri, database_url)
    yield c
    assert c.stop() == 0, "SIGTERM drains and exits 0\n" + c.tail()


def task_row(page, unit):
    return page.locator(f'[data-testid="case-task"][data-unit="{unit}"]')


def test_a_joint_opened_on_the_desk_is_signed_for_and_resolved_by_the_assisting_units_phone(center, screens):
    case = dispatched(center, report(center, center.token("gridworker", region=INSIDE), "1301"))
    case_id, lead = case["id"], case["unit"]
    helper = next(u for u in ASSISTANTS if u != lead)
    desk = screens.open("desk", center.token("dispatcher", region=INSIDE))
    desk.locator('[data-testid="queue-tab"][data-tab="all"]').click()
    open_on_desk(desk, case_id)
    expect(desk.get_by_test_id("case-tasks")).to_have_count(0)  # never handled jointly yet
    expect(action(desk, "whistle")).to_have_count(0)  # a county center does not whistle

    # 联合处置: the lead is the unit holding the case unless changed; one assisting unit
    action(desk, "joint").click()
    form = desk.get_by_test_id("action-form")
    expect(form.get_by_test_id("action-field-lead")).to_have_value(lead)
    form.get_by_test_id("action-field-assisting").locator(f'input[value="{helper}"]').check()
    form.get_by_test_id("action-field-reason").fill("涉及多个部门职责，联合处置")
    with desk.expect_response(posted(f"/api/v1/cases/{case_id}/joint")) as answer:
        form.get_by_test_id("action-submit").click()
    assert answer.value.status == 200, answer.value.text()
    assert answer.value.json()["assisting_units"] == [helper]
    expect(desk.get_by_test_id("action-form")).to_have_count(0)
    expect(task_row(desk, lead)).to_have_attribute("data-role", "lead")
    expect(task_row(desk, helper)).to_have_attribute("data-status", "dispatched")
    expect(task_row(desk, helper)).to_contain_text("协办")
    expect(task_row(desk, helper)).to_contain_text("待签收")
    expect(task_row(desk, helper).locator(".dot")).to_have_class("dot dot-green")
    expect(timeline(desk, "joint_opened")).to_be_visible()

    # the assisting unit's handler: the case is under 协办任务, with its own sub-task's acts only
    phone = screens.open("m", handler(center, helper))
    expect(case_row(phone, case_id)).to_have_count(0)  # not under 待签收: the case is the lead's
    phone.locator('[data-testid="task-filter"][data-status="assisting"]').click()
    case_row(phone, case_id).click()
    expect(phone.get_by_test_id("case-detail")).to_have_attribute("data-case-id", case_id)
    expect(task_row(phone, helper)).to_have_attribute("data-status", "dispatched")
    expect(phone.get_by_test_id("assisting-notice")).to_be_visible()
    for lead_action in ("accept", "resolve", "return", "extend", "suspend"):
        expect(action(phone, lead_action)).to_have_count(0)
    expect(action(phone, "task-resolve")).to_be_disabled()  # not signed for yet

    action(phone, "task-accept").click()
    with phone.expect_response(posted(f"/api/v1/cases/{case_id}/tasks/{helper}/accept")) as answer:
        phone.get_by_test_id("action-submit").click()
    assert answer.value.status == 200, answer.value.text()
    expect(task_row(phone, helper)).to_have_attribute("data-status", "accepted")
    expect(task_row(desk, helper)).to_have_attribute("data-status", "accepted")  # the desk follows the case it shows

    expect(action(phone, "task-resolve")).to_be_enabled()
    action(phone, "task-resolve").click()
    form = phone.get_by_test_id("action-form")
    form.get_by_test_id("action-field-note").fill("已配合主办单位完成现场处置")
    form.get_by_test_id("action-photos").set_input_files(PHOTO_FILE)
    expect(form.locator('[data-testid="action-photos-previews"] img')).to_have_count(1)
    with phone.expect_response(posted(f"/api/v1/cases/{case_id}/tasks/{helper}/resolve")) as answer:
        form.get_by_test_id("action-submit").click()
    assert answer.value.status == 200, answer.value.text()
    assert next(t for t in answer.value.json()["tasks"] if t["unit"] == helper)["status"] == "resolved"
    expect(task_row(phone, helper)).to_have_attribute("data-status", "resolved")

    # the desk's case view: the sub-task resolved, the case still with its lead
    expect(task_row(desk, helper)).to_have_attribute("data-status", "resolved")
    expect(task_row(desk, helper)).to_contain_text("已办结")
    expect(task_row(desk, lead)).to_have_attribute("data-status", "dispatched")
    expect(timeline(desk, "task_resolved")).to_contain_text("已配合主办单位完成现场处置")
    expect(desk.locator('#case-head-tags [data-status="dispatched"]')).to_be_visible()
    screens.shot(phone, "m")
    screens.shot(desk, "desk")
    screens.assert_stayed_home()


def test_the_assisting_unit_returns_its_sub_task_with_a_reason_code_and_basis_and_the_desk_checks_the_joint_form(
        center, screens):
    """退回 of a sub-task from the phone asks for the reason code (from the catalog), the basis and the reason and goes
    through the tasks route; the desk's joint form refuses to go without an assisting unit and shows why."""
    case = dispatched(center, report(center, center.token("gridworker", region=INSIDE), "1302"))
    case_id, lead = case["id"], case["unit"]
    helper = next(u for u in ASSISTANTS if u != lead)
    desk = screens.open("desk", center.token("dispatcher", region=INSIDE))
    desk.locator('[data-testid="queue-tab"][data-tab="all"]').click()
    open_on_desk(desk, case_id)
    action(desk, "joint").click()
    form = desk.get_by_test_id("action-form")
    form.get_by_test_id("action-submit").click()
    expect(form.get_by_test_id("action-error")).to_contain_text("请选择协办单位")  # nothing was sent
    form.get_by_test_id("action-field-assisting").locator(f'input[value="{helper}"]').check()
    with desk.expect_response(posted(f"/api/v1/cases/{case_id}/joint")) as answer:
        form.get_by_test_id("action-submit").click()
    assert answer.value.status == 200, answer.value.text()
    expect(task_row(desk, helper)).to_have_attribute("data-status", "dispatched")

    phone = screens.open("m", handler(center, helper))
    phone.locator('[data-testid="task-filter"][data-status="assisting"]').click()
    case_row(phone, case_id).click()
    action(phone, "task-return").click()
    form = phone.get_by_test_id("action-form")
    expect(form.get_by_test_id("action-field-reason_code").locator('option[value="not_ours"]')).to_have_count(1)
    form.get_by_test_id("action-field-reason_code").select_option("not_ours")
    form.get_by_test_id("action-field-basis").fill("《如皋市城市管理权责清单》：拆迁工地扬尘不属本单位职责")
    form.get_by_test_id("action-field-reason").fill("经核实不属本单位职责，退回")
    with phone.expect_response(posted(f"/api/v1/cases/{case_id}/tasks/{helper}/return")) as answer:
        form.get_by_test_id("action-submit").click()
    assert answer.value.status == 200, answer.value.text()
    expect(task_row(phone, helper)).to_have_attribute("data-status", "returned")
    for act in ("task-accept", "task-resolve", "task-return"):
        expect(action(phone, act)).to_be_disabled()  # its part is over

    expect(task_row(desk, helper)).to_have_attribute("data-status", "returned")
    expect(task_row(desk, helper)).to_contain_text("已退回")
    expect(timeline(desk, "task_returned")).to_be_visible()
    screens.assert_stayed_home()


def test_a_townships_desk_whistles_a_county_department(town, browser, request):
    """街道吹哨 on a township's desk: the county's departments to choose from, a reason; the summoned department's
    sub-task shows 协办 with 吹哨. (A county's desk is not offered the whistle: the first tests' desk has no button.)"""
    desk_token = town.token("dispatcher")
    body = {"description": "如城街道人民路路口井盖破损，有车辆陷落危险", "category": "0107", "region": INSIDE,
            "location": {"lon": 120.571, "lat": 32.392, "address": "如城街道人民路8号"}}
    r = town.http.post("/api/v1/reports", headers=desk_token, json=body)
    assert r.status_code == 202, r.text
    case_id = r.json()["case_id"]
    case = wait_until(lambda: (c := town.http.get(f"/api/v1/cases/{case_id}", headers=desk_token).json())["status"]
                      == "dispatched" and c, timeout=30, what="the case dispatched at the township")
    assert case["center"] == INSIDE, case
    summoned = f"{COUNTY}.police"
    screens = Screens(browser, town.port, request.node.name)
    try:
        desk = screens.open("desk", desk_token)
        desk.locator('[data-testid="queue-tab"][data-tab="all"]').click()
        open_on_desk(desk, case_id)
        action(desk, "whistle").click()
        form = desk.get_by_test_id("action-form")
        choice = form.get_by_test_id("action-field-units").locator(f'input[value="{summoned}"]')
        expect(choice).to_have_count(1)
        choice.check()
        form.get_by_test_id("action-field-reason").fill("井盖属市政设施，周边交通需公安协助疏导")
        with desk.expect_response(posted(f"/api/v1/cases/{case_id}/whistle")) as answer:
            form.get_by_test_id("action-submit").click()
        assert answer.value.status == 200, answer.value.text()
        row = task_row(desk, summoned)
        expect(row).to_have_attribute("data-role", "assisting")
        expect(row).to_contain_text("吹哨")
        expect(row).to_contain_text("如皋市")
        expect(timeline(desk, "whistled")).to_be_visible()
        screens.shot(desk, "desk")
        screens.assert_stayed_home()
    finally:
        screens.close()
