"""The three screens in headless Chromium against a running county center (QUALITY.md U1–U3): a report made on the
phone reaches the desk and the big screen within 2 s without a reload; a transfer made on the desk reaches the
handler's phone within 2 s; the handler signs for and resolves a case with a photo and the desk's timeline shows it;
a viewer can only look; a township's screens never show another township's case; no request leaves the center.

如皋市 (320682) runs the center; its dispatchers, viewers and grid workers here belong to 如城街道 (320682001,
INSIDE); 320682103 (OUTSIDE) is another township of the same center."""
from __future__ import annotations

import io
import itertools
import math
import random
import time
from datetime import UTC, datetime, timedelta
from urllib.parse import urlsplit

import pytest
from PIL import Image, ImageDraw
from playwright.sync_api import expect

from tests.e2e.test_center_http import ADMIN, Center, _wait_status, auth

COUNTY, INSIDE, OUTSIDE = "320682", "320682001", "320682103"
LIVE_MS = 2000  # U1: a change reaches the other screens within 2 s
CHENGGUAN, HOUSING = f"{COUNTY}.chengguan", f"{COUNTY}.housing"
PHONE = (120.57, 32.38)  # where the phone stands (tests/browser/conftest.py PHONE_POSITION)

# What grid workers report, by category: each of these is the county's own business (it stays at this center and is
# dispatched to one of its units). A description and an address; the number makes every report different.
SAID = {
    "1301": [("海阳路{n}号旁工地夜间22点后仍在打桩，噪声很大，周边居民无法休息", "海阳路{n}号"),
             ("宁海路{n}号商住楼工地凌晨浇筑混凝土，搅拌车轰鸣扰民", "宁海路{n}号"),
             ("福寿路{n}号拆迁工地夜间破碎作业，噪声刺耳", "福寿路{n}号")],
    "1302": [("益寿路{n}号东侧拆迁工地未覆盖防尘网，大风天扬尘严重", "益寿路{n}号")],
    "1504": [("中山路{n}号人民医院门口机动车乱停放，占用消防通道", "中山路{n}号")],
    "1702": [("大司马路{n}号一家烧烤店油烟直排，楼上住户窗户满是油污", "大司马路{n}号")],
    "0109": [("惠政路{n}号至北段连续5盏路灯不亮，夜间行人通行不便", "惠政路{n}号")],
    "1999": [("龙游河滨河步道{n}号段护栏松动，存在安全隐患", "龙游河滨河步道")],
}
TOWNSHIP = {INSIDE: "如城街道", OUTSIDE: "东陈镇"}
_numbers = itertools.count(11)


def _places(west, south):
    """Report locations 1.1–1.2 km apart on a 9×9 grid, in a fixed shuffled order, none near the phone: reports of
    one category close together would be merged (并单) into one case (施工扰民 within 500 m)."""
    spots = [{"lon": round(west + i * 0.012, 4), "lat": round(south + j * 0.011, 4)} for i in range(9) for j in range(9)]
    spots = [p for p in spots if math.dist((p["lon"], p["lat"]), PHONE) > 0.015]
    random.Random(12345).shuffle(spots)
    return iter(spots)


PLACES = {INSIDE: _places(120.522, 32.336), OUTSIDE: _places(120.64, 32.44)}


# ---- the center and who signs in -----------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def center(amqp_uri, database_url, tmp_path_factory):
    media = tmp_path_factory.mktemp("media")
    c = Center(COUNTY, amqp_uri, database_url, extra_env={"YIWANG_MEDIA_DIR": str(media / "{region}")})
    yield c
    assert c.stop() == 0, "SIGTERM drains and exits 0\n" + c.tail()


@pytest.fixture(scope="module")
def tokens(center):
    return {"dispatcher": center.token("dispatcher", region=INSIDE), "viewer": center.token("viewer", region=INSIDE),
            "grid": center.token("gridworker", region=INSIDE), "outside_grid": center.token("gridworker", region=OUTSIDE),
            "county": center.token("dispatcher", region=COUNTY), "county_viewer": center.token("viewer", region=COUNTY),
            "county_grid": center.token("gridworker", region=COUNTY)}


def handler(center, unit, region=INSIDE) -> dict:
    return center.token("handler", unit=unit, region=region)


def named(center, role, name, region=INSIDE, unit=None) -> dict:
    """A token with a person's name (the screens show it), for the README's pictures."""
    r = center.http.post("/api/v1/tokens", headers=auth(ADMIN),
                         json={"role": role, "region": region, "unit": unit, "name": name})
    assert r.status_code == 201, r.text
    return auth(r.json()["token"])


# ---- data made through the API when a test only needs it -----------------------------------------------------------
def photo(size=(480, 360)) -> bytes:
    """A small JPEG of a street at dusk: a road, a kerb, a lamp post and a broken cover."""
    w, h = size
    image = Image.new("RGB", size)
    draw = ImageDraw.Draw(image)
    for y in range(h):
        t = y / h
        sky = (int(70 + 110 * t), int(110 + 80 * t), int(170 + 40 * t)) if y < h * 0.55 else (96, 98, 104)
        draw.line([(0, y), (w, y)], fill=sky)
    draw.polygon([(0, h * 0.55), (w, h * 0.55), (w, h * 0.6), (0, h * 0.62)], fill=(150, 150, 145))
    for x in range(0, w, 90):
        draw.rectangle([x + 20, h * 0.8, x + 70, h * 0.82], fill=(235, 235, 225))
    draw.rectangle([w * 0.78, h * 0.12, w * 0.8, h * 0.58], fill=(50, 55, 60))
    draw.ellipse([w * 0.72, h * 0.09, w * 0.86, h * 0.15], fill=(255, 214, 120))
    draw.ellipse([w * 0.3, h * 0.66, w * 0.5, h * 0.74], fill=(35, 35, 38), outline=(180, 120, 60), width=3)
    out = io.BytesIO()
    image.save(out, "JPEG", quality=85)
    return out.getvalue()


PHOTO = photo()
PHOTO_FILE = {"name": "现场.jpg", "mimeType": "image/jpeg", "buffer": PHOTO}


def report(center, headers, category="1301", region=INSIDE, **extra) -> str:
    n = next(_numbers)
    said, address = SAID[category][n % len(SAID[category])]
    body = {"description": TOWNSHIP[region] + said.format(n=n), "category": category, "region": region,
            "location": {**next(PLACES[region]), "address": address.format(n=n)}, **extra}
    r = center.http.post("/api/v1/reports", headers=headers, json=body)
    assert r.status_code == 202, r.text
    return r.json()["case_id"]


def dispatched(center, case_id) -> dict:
    return _wait_status(center, auth(ADMIN), case_id, "dispatched")


def upload(center, headers) -> str:
    r = center.http.post("/api/v1/media", headers=headers, files={"file": ("现场.jpg", PHOTO, "image/jpeg")})
    assert r.status_code == 201, r.text
    return r.json()["media_id"]


def resolved(center, case_id, region=INSIDE, note="已处理完毕，现场恢复正常", who=None) -> dict:
    """Sign for and resolve a dispatched case as its unit's handler (`who`, else a new one), with a photo."""
    case = dispatched(center, case_id)
    who = who or handler(center, case["unit"], region)
    assert center.http.post(f"/api/v1/cases/{case_id}/accept", headers=who, json={}).status_code == 200
    r = center.http.post(f"/api/v1/cases/{case_id}/resolve", headers=who,
                         json={"note": note, "media": [upload(center, who)]})
    assert r.status_code == 200, r.text
    return r.json()


def board_figures(center, headers) -> dict:
    board = center.http.get("/api/v1/board", headers=headers).json()
    return {"total": sum(board["by_status"].values()), "grid": board["by_source"].get("grid", 0)}


# ---- reading the pages ---------------------------------------------------------------------------------------------
def case_row(page, case_id):
    return page.locator(f'[data-testid="case-row"][data-case-id="{case_id}"]')


def action(page, name):
    return page.locator(f'[data-testid="action"][data-action="{name}"]')


def timeline(page, event_type):
    return page.locator(f'[data-testid="case-timeline"] li[data-type="{event_type}"]')


def figure(page, testid, attr=None, value=None):
    """A figure's value on the big screen, e.g. figure(page, 'status-count', 'data-status', 'received')."""
    which = f'[data-testid="{testid}"]' + (f'[{attr}="{value}"]' if attr else "")
    return page.locator(f'{which} [data-testid="{testid}-value"]')


def posted(path: str):
    """A predicate for page.expect_response: the POST to this path."""
    return lambda r: r.request.method == "POST" and urlsplit(r.url).path == path


def open_on_desk(desk, case_id) -> None:
    case_row(desk, case_id).click()
    expect(desk.get_by_test_id("case-pane")).to_have_attribute("data-case-id", case_id)
    expect(desk.get_by_test_id("case-timeline")).to_be_visible()


def traces_of(page, case_id) -> list[str]:
    """Where the page holds this case, hidden parts included (a closed panel, a banner gone): the elements that
    name it and the text that mentions it."""
    return page.evaluate("""(id) => [
      ...[...document.querySelectorAll('[data-case-id]')].filter((el) => el.dataset.caseId === id)
        .map((el) => el.outerHTML.slice(0, 300)),
      ...(document.body.textContent.includes(id) ? ['text: …' + document.body.textContent.split(id)[0].slice(-80) + id] : [])]""",
                         case_id)


def charts_settled(page, *ids) -> None:
    """Wait until the ECharts charts in these elements have finished their entry animation (for a screenshot)."""
    page.wait_for_function("ids => ids.every((id) => { const c = window.echarts?.getInstanceByDom(document.getElementById(id));"
                           " return c && c.getZr().animation.isFinished(); })", arg=list(ids))


class Within:
    """A time budget that starts now: what is left of it for the next wait, and how much has been spent."""

    def __init__(self, ms: int):
        self.start = time.monotonic()
        self.deadline = self.start + ms / 1000

    def left(self) -> float:
        return max(1.0, (self.deadline - time.monotonic()) * 1000)

    def spent(self, what: str) -> None:
        """Say how long it has taken (shown with -s or -rP)."""
        print(f"{what}: {(time.monotonic() - self.start) * 1000:.0f} ms")


POST_WITH_SESSION = """async ([path, body]) => {
  const csrf = decodeURIComponent((document.cookie.split('; ').find((c) => c.startsWith('yiwang_csrf=')) || '=').split('=')[1]);
  const r = await fetch(path, {method: 'POST', credentials: 'same-origin', body: JSON.stringify(body),
    headers: {'Content-Type': 'application/json', 'X-Yiwang-CSRF': csrf}});
  return [r.status, await r.json()];
}"""


# ---- U1: live ------------------------------------------------------------------------------------------------------
def test_a_report_made_on_the_phone_is_on_the_desk_and_the_big_screen_within_2_s(center, tokens, screens):
    # the county's people here; a township's grid worker reporting from the phone: the next test
    desk = screens.open("desk", tokens["county"])
    board = screens.open("screen", tokens["county_viewer"])
    phone = screens.open("m", tokens["county_grid"])
    before = board_figures(center, tokens["county_viewer"])
    expect(figure(board, "kpi-total")).to_have_text(f"{before['total']:,}")
    expect(figure(board, "source-count", "data-source", "grid")).to_have_text(f"{before['grid']:,}")

    form = phone.get_by_test_id("report-form")
    expect(form.get_by_test_id("report-lon")).to_have_value(str(PHONE[0]))  # the device's position
    form.get_by_test_id("report-description").fill("如城街道福寿路菜场北门工地夜间施工，电锯声扰民")
    form.get_by_test_id("report-category").select_option("1301")
    form.get_by_test_id("report-photos").set_input_files(PHOTO_FILE)
    expect(form.locator('[data-testid="report-photos-previews"] img')).to_have_count(1)
    with phone.expect_response(posted("/api/v1/reports")) as answer:
        form.get_by_test_id("report-submit").click()
    assert answer.value.status == 202, answer.value.text()
    live = Within(LIVE_MS)
    case_id = answer.value.json()["case_id"]

    expect(case_row(desk, case_id)).to_be_visible(timeout=live.left())  # in the desk's queue, no reload
    live.spent("report → desk")
    expect(figure(board, "kpi-total")).to_have_text(f"{before['total'] + 1:,}", timeout=live.left())
    expect(figure(board, "source-count", "data-source", "grid")).to_have_text(f"{before['grid'] + 1:,}",
                                                                             timeout=live.left())
    live.spent("report → desk and big screen")

    expect(phone.get_by_test_id("toast").filter(has_text=case_id)).to_be_visible()  # 已上报，案件编号 …
    expect(phone.get_by_test_id("outbox")).to_be_hidden()  # nothing left to send
    open_on_desk(desk, case_id)
    photo_on_desk = desk.locator('[data-testid="case-photos"] [data-testid="case-photo"]')
    expect(photo_on_desk).to_have_js_property("naturalWidth", 480)  # the phone's photo, served by the center
    for page, name in ((phone, "m"), (desk, "desk"), (board, "screen")):
        screens.shot(page, name)
    screens.assert_stayed_home()


def test_a_townships_grid_worker_can_report_from_the_phone(center, tokens, screens):
    phone = screens.open("m", tokens["grid"])
    form = phone.get_by_test_id("report-form")
    expect(form.get_by_test_id("report-lon")).to_have_value(str(PHONE[0]))
    form.get_by_test_id("report-description").fill("如城街道福寿路菜场南门人行道井盖缺失，行人易跌落")
    form.get_by_test_id("report-category").select_option("1999")
    with phone.expect_response(posted("/api/v1/reports")) as answer:
        form.get_by_test_id("report-submit").click()
    screens.shot(phone, "m")
    screens.assert_stayed_home()
    assert answer.value.status == 202, answer.value.text()
    # the form names no region and 如皋's townships have no boundaries: the report is the grid worker's township's
    case_id = answer.value.json()["case_id"]
    assert center.http.get(f"/api/v1/cases/{case_id}", headers=auth(ADMIN)).json()["region"] == INSIDE


def test_a_transfer_made_on_the_desk_reaches_the_new_units_phone_within_2_s(center, tokens, screens):
    case = dispatched(center, report(center, tokens["grid"], "1302"))
    case_id, target = case["id"], next(u for u in (HOUSING, CHENGGUAN) if u != case["unit"])
    phone = screens.open("m", handler(center, target))  # the target unit's handler, its task list open
    expect(phone.get_by_test_id("case-list")).to_be_visible()
    expect(case_row(phone, case_id)).to_have_count(0)
    desk = screens.open("desk", tokens["dispatcher"])
    open_on_desk(desk, case_id)

    action(desk, "transfer").click()
    form = desk.get_by_test_id("action-form")
    form.get_by_test_id("action-field-unit").select_option(target)
    form.get_by_test_id("action-field-reason").fill("经核实属该单位职责，转派办理")
    with desk.expect_response(posted(f"/api/v1/cases/{case_id}/transfer")) as answer:
        form.get_by_test_id("action-submit").click()
    assert answer.value.status == 200, answer.value.text()
    live = Within(LIVE_MS)

    expect(case_row(phone, case_id)).to_be_visible(timeout=live.left())  # a new task, no reload
    expect(phone.get_by_test_id("notif-banner").locator(f'[data-case-id="{case_id}"]')).to_be_visible(timeout=live.left())
    live.spent("transfer → phone")
    expect(timeline(desk, "transferred")).to_be_visible()
    expect(desk.get_by_test_id("action-form")).to_have_count(0)
    screens.shot(phone, "m")
    screens.shot(desk, "desk")
    screens.assert_stayed_home()


def test_the_handler_signs_for_and_resolves_on_the_phone_and_the_desk_timeline_shows_it(center, tokens, screens):
    case = dispatched(center, report(center, tokens["grid"], "1301"))
    case_id = case["id"]
    desk = screens.open("desk", tokens["dispatcher"])
    open_on_desk(desk, case_id)
    phone = screens.open("m", handler(center, case["unit"]))

    case_row(phone, case_id).click()
    expect(phone.get_by_test_id("case-detail")).to_have_attribute("data-case-id", case_id)
    action(phone, "accept").click()
    with phone.expect_response(posted(f"/api/v1/cases/{case_id}/accept")) as answer:
        phone.get_by_test_id("action-submit").click()
    assert answer.value.status == 200, answer.value.text()
    expect(timeline(desk, "accepted")).to_be_visible()  # the desk follows the case it shows

    expect(action(phone, "resolve")).to_be_enabled()
    action(phone, "resolve").click()
    form = phone.get_by_test_id("action-form")
    form.get_by_test_id("action-field-note").fill("已约谈施工单位，夜间停止高噪声作业，现场已恢复安静")
    form.get_by_test_id("action-photos").set_input_files(PHOTO_FILE)
    expect(form.locator('[data-testid="action-photos-previews"] img')).to_have_count(1)
    expect(form.get_by_test_id("action-lon")).to_have_value(str(PHONE[0]))
    with phone.expect_response(posted(f"/api/v1/cases/{case_id}/resolve")) as answer:
        form.get_by_test_id("action-submit").click()
    assert answer.value.status == 200, answer.value.text()

    resolved_entry = timeline(desk, "resolved")
    expect(resolved_entry).to_be_visible()
    expect(resolved_entry).to_contain_text("现场已恢复安静")
    evidence = resolved_entry.get_by_test_id("case-photo")
    evidence.scroll_into_view_if_needed()
    expect(evidence).to_have_js_property("naturalWidth", 480)  # the resolve photo, served by the center
    expect(desk.locator('#case-head-tags [data-status="resolved"]')).to_be_visible()
    expect(phone.get_by_test_id("case-detail").locator('[data-testid="case-summary"] [data-status="resolved"]')).to_be_visible()
    screens.shot(phone, "m")
    screens.shot(desk, "desk")
    screens.assert_stayed_home()


def test_a_return_with_its_reason_code_and_basis_on_the_phone_is_reviewed_in_the_desks_queue(center, tokens, screens):
    """Issue 11's returns on the screens: the phone's return form asks for a reason code (from the catalog) and the
    basis; the case then waits for the review (签收 disabled); the desk finds it under 退单审核 and refuses it."""
    case = dispatched(center, report(center, tokens["grid"], "1301"))
    case_id = case["id"]
    phone = screens.open("m", handler(center, case["unit"]))
    case_row(phone, case_id).click()
    expect(phone.get_by_test_id("case-detail")).to_have_attribute("data-case-id", case_id)
    action(phone, "return").click()
    form = phone.get_by_test_id("action-form")
    codes = form.get_by_test_id("action-field-reason_code").locator("option")
    expect(codes).to_have_count(8)  # a prompt and the seven codes of workflow.toml
    form.get_by_test_id("action-field-reason_code").select_option("not_ours")
    form.get_by_test_id("action-field-basis").fill("《如皋市城市管理权责清单》第5条：建筑工地噪声由生态环境部门负责")
    form.get_by_test_id("action-field-reason").fill("经核实不属本单位职责")
    with phone.expect_response(posted(f"/api/v1/cases/{case_id}/return")) as answer:
        form.get_by_test_id("action-submit").click()
    assert answer.value.status == 200, answer.value.text()
    assert answer.value.json()["return_pending"] == "not_ours"
    expect(action(phone, "accept")).to_be_disabled()  # the unit waits for the review

    desk = screens.open("desk", tokens["dispatcher"])
    desk.locator('[data-testid="queue-tab"][data-tab="return_reviews"]').click()
    open_on_desk(desk, case_id)
    expect(desk.get_by_test_id("tag-return-pending")).to_be_visible()
    expect(action(desk, "register")).to_be_disabled()
    action(desk, "review-return").click()
    review = desk.get_by_test_id("action-form")
    review.get_by_test_id("action-field-approved-no").check()
    review.get_by_test_id("action-field-note").fill("依据权责清单，施工扰民属你单位职责，请按首办负责制办理")
    with desk.expect_response(posted(f"/api/v1/cases/{case_id}/review-return")) as answer:
        review.get_by_test_id("action-submit").click()
    assert answer.value.status == 200, answer.value.text()
    expect(timeline(desk, "return_reviewed")).to_be_visible()
    kept = center.http.get(f"/api/v1/cases/{case_id}", headers=auth(ADMIN)).json()
    assert (kept["status"], kept["unit"], kept["return_pending"]) == ("dispatched", case["unit"], None)
    expect(action(phone, "accept")).to_be_enabled()  # the phone follows: the unit keeps the case and signs for it
    screens.assert_stayed_home()


# ---- U3: what each screen allows ---------------------------------------------------------------------------------
def test_a_viewer_can_only_look(center, tokens, screens):
    case = dispatched(center, report(center, tokens["grid"], "1504"))
    case_id = case["id"]
    board = screens.open("screen", tokens["viewer"])
    expect(figure(board, "kpi-total")).not_to_have_text("0")
    figure(board, "kpi-total").click()  # every figure opens the cases behind it
    expect(board.get_by_test_id("drawer")).to_be_visible()
    case_row(board, case_id).click()
    expect(board.get_by_test_id("case-detail")).to_have_attribute("data-case-id", case_id)
    for what in ("action", "action-form", "action-submit", "report-form", "new-report"):
        expect(board.get_by_test_id(what)).to_have_count(0)
    for label in ("签收", "办结", "转派", "督办", "退单", "结案", "核查"):
        expect(board.get_by_role("button", name=label, exact=True)).to_have_count(0)
    screens.shot(board, "screen")

    desk = screens.open("desk", tokens["viewer"], expect_role=False)
    told = desk.get_by_test_id("wrong-role")
    expect(told).to_be_visible()
    expect(told).to_contain_text("大屏")
    expect(told.get_by_test_id("wrong-role-link")).to_have_attribute("href", "/screen/")
    expect(desk.get_by_test_id("queue-list")).to_be_hidden()
    expect(desk.get_by_test_id("action")).to_have_count(0)
    screens.shot(desk, "desk")
    phone = screens.open("m", tokens["viewer"], expect_role=False)
    expect(phone.get_by_test_id("wrong-role")).to_be_visible()
    expect(phone.get_by_test_id("tab-report")).to_have_count(0)

    # and the center refuses what the screens do not offer, asked with the viewer's own session
    for name, body in (("supervise", {"note": "请加快办理"}), ("transfer", {"unit": HOUSING, "reason": "转派"}),
                       ("accept", {}), ("close", {})):
        status, answer = desk.evaluate(POST_WITH_SESSION, [f"/api/v1/cases/{case_id}/{name}", body])
        assert status == 403 and answer["error"]["code"] == "forbidden", (name, status, answer)
    status, _ = desk.evaluate(POST_WITH_SESSION, ["/api/v1/reports", {
        "description": "只读账号的上报", "region": INSIDE, "location": next(PLACES[INSIDE])}])
    assert status == 403
    after = center.http.get(f"/api/v1/cases/{case_id}", headers=tokens["dispatcher"]).json()
    assert (after["status"], after["unit"], after["supervision_level"]) == ("dispatched", case["unit"], 0)
    assert len(after["timeline"]) == len(case["timeline"])
    screens.assert_stayed_home()


def test_a_townships_screens_never_show_another_townships_case(center, tokens, screens):
    # in both townships a case resolved and waiting for verification
    resolved_inside = resolved(center, report(center, tokens["grid"]))["id"]
    resolved_outside = resolved(center, report(center, tokens["outside_grid"], region=OUTSIDE), OUTSIDE)["id"]
    # the inside screens are open before the outside case is made: its live events must not reach them either
    board = screens.open("screen", tokens["dispatcher"])
    desk = screens.open("desk", tokens["dispatcher"])
    grid = screens.open("m", tokens["grid"])
    phone = screens.open("m", handler(center, CHENGGUAN))   # the county's 城管局, for 如城街道
    county = screens.open("desk", tokens["county"])           # sees both townships: the lists can show it
    outside = dispatched(center, report(center, tokens["outside_grid"], region=OUTSIDE))
    assert outside["unit"] == CHENGGUAN
    # an inside case for the same unit after it: once its events are on a screen, the outside case's would be too
    later = dispatched(center, report(center, tokens["grid"]))["id"]

    expect(case_row(county, later)).to_be_visible()
    expect(case_row(county, outside["id"])).to_be_visible()

    expect(case_row(desk, later)).to_be_visible()              # the desk's queue
    desk.locator('[data-testid="queue-tab"][data-tab="all"]').click()
    expect(case_row(desk, later)).to_be_visible()              # every case, newest first
    expect(case_row(desk, resolved_inside)).to_be_visible()

    figure(board, "kpi-total").click()                          # every case, newest first
    expect(case_row(board, later)).to_be_visible()
    board.get_by_test_id("drawer-close").click()
    board.locator('[data-testid="category-count"][data-category="1301"]').click()
    expect(case_row(board, later)).to_be_visible()

    grid.get_by_test_id("tab-verify").click()                  # the grid worker's verifications
    expect(case_row(grid, resolved_inside)).to_be_visible()

    for page, name in ((board, "screen"), (desk, "desk"), (grid, "m-grid")):
        screens.shot(page, name)
        for other in (outside["id"], resolved_outside):
            assert not traces_of(page, other), f"{name} shows {other} of {OUTSIDE}: {traces_of(page, other)}"
    # the handler's task list holds only its township's cases (what it is told live: the next test)
    expect(case_row(phone, later)).to_be_visible()
    expect(case_row(phone, outside["id"])).to_have_count(0)
    screens.shot(phone, "m-handler")
    screens.assert_stayed_home()


def test_a_townships_handler_is_never_told_of_another_townships_task(center, tokens, screens):
    # the live stream, not only the lists: a new task of its unit in another township is no news for this phone
    phone = screens.open("m", handler(center, CHENGGUAN))   # the county's 城管局, for 如城街道 only
    outside = dispatched(center, report(center, tokens["outside_grid"], region=OUTSIDE))["id"]
    later = dispatched(center, report(center, tokens["grid"]))["id"]  # after it, for the same unit
    expect(case_row(phone, later)).to_be_visible()
    expect(phone.locator(f'[data-testid="notif-item"][data-case-id="{later}"]')).to_have_count(1)
    screens.shot(phone, "m")
    screens.assert_stayed_home()
    assert center.http.get(f"/api/v1/cases/{outside}", headers=handler(center, CHENGGUAN)).status_code == 404
    assert not traces_of(phone, outside), f"the phone was told of {outside} of {OUTSIDE}: {traces_of(phone, outside)}"


# ---- U2: the pictures the README shows ---------------------------------------------------------------------------
def _people(center) -> dict:
    """The people of the README's pictures, by name."""
    return {"viewer": named(center, "viewer", "指挥大厅"), "dispatcher": named(center, "dispatcher", "值班长 陈静"),
            "grid": named(center, "gridworker", "网格员 周敏"),
            CHENGGUAN: named(center, "handler", "城管局 张伟", unit=CHENGGUAN),
            HOUSING: named(center, "handler", "住建局 王强", unit=HOUSING),
            f"{COUNTY}.environment": named(center, "handler", "生态环境分局 刘洋", unit=f"{COUNTY}.environment")}


def _a_morning(center, people) -> dict:
    """Cases in several categories and states, as a morning at the center leaves them: two left unsigned past their
    30-minute deadline (red, one of them supervised), one close to it (yellow), others just in, one entered at the
    desk from a phone call, one resolved with photos, one closed. They are made with the center's clock set back
    (the clock file of tests/e2e/test_center_http.py), which then returns to now, where the browsers' clocks are."""
    def clock(minutes):
        with open(center.clock.name, "w") as f:
            f.write(str(minutes * 60))
        # every service reads the file again at most a second later (shared/clock.py): no event tells when each has,
        # and a service still on the old time would put the case's timeline out of order
        time.sleep(1.2)

    def dispatched_at(category, minutes) -> str:
        case = dispatched(center, report(center, people["grid"], category))
        at = datetime.fromisoformat(next(t["at"] for t in case["timeline"] if t["type"] == "dispatched"))
        assert abs(at - datetime.now(UTC) - timedelta(minutes=minutes)) < timedelta(minutes=2), (case["id"], at)
        return case["id"]

    def done(case_id, note) -> dict:
        return resolved(center, case_id, note=note, who=people[dispatched(center, case_id)["unit"]])

    clock(-40)
    red = [dispatched_at(c, -40) for c in ("1301", "1504")]
    fixed = report(center, people["grid"], "0109", media=[upload(center, people["grid"])])
    closed = report(center, people["grid"], "1702")
    for case_id in (fixed, closed):  # all done on this clock before it moves
        dispatched(center, case_id)
    clock(-26)
    yellow = dispatched_at("1301", -26)  # 26 of its 30 minutes gone by now: yellow from 24
    fresh = [report(center, people["grid"], c) for c in ("1302", "1702", "1999")]
    done(fixed, "已更换5盏路灯灯具，夜间照明恢复")
    done(closed, "已责令店家安装油烟净化器，复查达标")
    r = center.http.post(f"/api/v1/cases/{closed}/verify", headers=people["grid"], json={"passed": True})
    assert r.status_code == 200, r.text
    for case_id in fresh:
        dispatched(center, case_id)
    _wait_status(center, people["dispatcher"], closed, "closed")
    clock(0)
    phoned = report(center, people["dispatcher"], "1302", reporter={"name": "李女士", "phone": "13962712345"})
    dispatched(center, phoned)
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:  # the sweep turns the lights
        seen = [center.http.get(f"/api/v1/cases/{c}", headers=people["dispatcher"]).json() for c in (*red, yellow)]
        if [c["light"] for c in seen] == ["red", "red", "yellow"]:
            break
        time.sleep(0.2)
    assert [c["light"] for c in seen] == ["red", "red", "yellow"], [
        (c["id"], c["light"], c["deadlines"]["sign"], [(t["type"], t["at"][11:19]) for t in c["timeline"]]) for c in seen]
    r = center.http.post(f"/api/v1/cases/{red[0]}/supervise", headers=people["dispatcher"],
                         json={"note": "夜间施工投诉较多，请城管局今晚到场处置"})
    assert r.status_code == 200, r.text
    return {"red": red, "yellow": yellow, "fixed": fixed}


def test_the_three_screens_as_the_readme_shows_them(center, screens):
    people = _people(center)
    cases = _a_morning(center, people)
    hide_toasts = "#toasts { display: none !important; }"

    board = screens.open("screen", people["viewer"])
    expect(figure(board, "light-count", "data-light", "red")).not_to_have_text("0")
    expect(figure(board, "light-count", "data-light", "yellow")).not_to_have_text("0")
    expect(board.get_by_test_id("overdue-item").first).to_be_visible()
    expect(board.get_by_test_id("warning-item").first).to_be_visible()
    expect(board.get_by_test_id("map")).not_to_have_attribute("data-points", "0")
    expect(board.get_by_test_id("title")).to_contain_text("如皋市")
    charts_settled(board, "trend")
    screens.publish(board, "screen")

    desk = screens.open("desk", people["dispatcher"])
    expect(case_row(desk, cases["red"][0])).to_be_visible()  # the queue of new cases
    desk.locator('[data-testid="queue-tab"][data-tab="all"]').click()
    open_on_desk(desk, cases["fixed"])
    expect(timeline(desk, "resolved").get_by_test_id("case-photo")).to_have_count(1)
    expect(desk.locator('[data-testid="case-photos"] [data-testid="case-photo"]')).to_have_js_property("naturalWidth", 480)
    expect(action(desk, "verify")).to_be_enabled()
    expect(desk.get_by_test_id("case-map")).to_have_attribute("data-points", "1")
    charts_settled(desk, "case-map")
    timeline(desk, "resolved").evaluate("el => el.scrollIntoView({block: 'end'})")  # the photos and the timeline
    desk.get_by_test_id("queue-list").evaluate("el => { el.scrollTop = 0; }")  # the queue from its top
    desk.add_style_tag(content=hide_toasts)
    screens.publish(desk, "desk")

    phone = screens.open("m", people[CHENGGUAN])
    expect(case_row(phone, cases["red"][0])).to_be_visible()
    expect(case_row(phone, cases["yellow"])).to_be_visible()
    phone.add_style_tag(content=hide_toasts)
    screens.publish(phone, "m")
    screens.assert_stayed_home()
