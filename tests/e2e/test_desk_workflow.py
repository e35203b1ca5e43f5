"""The follow-ups of issue 11 a desk and the screens meet, through HTTP against a center started as a process (real
RabbitMQ and PostgreSQL): the desk's queue has groups of its own for returns waiting for review, suspension requests
and cases waiting for 立案审核; the catalog serves the return reason codes the screens' return form offers; a query
parameter with a control character (a NUL byte) is a 422 with the standard error body, never a 500; and a bad
workflow or rosters file stops a center at start-up with one clear line."""
import os
import subprocess
import sys

import pytest

from tests.e2e.test_center_http import ADMIN, Center, _free_port, auth
from tests.support import somewhere, wait_until

REGION = "320613016"  # a township no other test runs; its rules switch 立案审核 on for the desk's 暴露垃圾 reports
CODES = {"not_ours": "非本单位职责", "unclear_address": "地址不清"}
BASIS = "《崇川区城市管理权责清单》第12条：井盖由产权单位负责"


@pytest.fixture(scope="module")
def center(amqp_uri, database_url, tmp_path_factory):
    rules = tmp_path_factory.mktemp("workflow") / "workflow.toml"
    rules.write_text('[return]\nwindow = "1 working_days"\n[return.reason_codes]\n'
                     + "".join(f'{code} = "{name}"\n' for code, name in CODES.items())
                     + '[[registration.rules]]\nsource = "desk"\ncategories = ["1101"]\n', encoding="utf-8")
    c = Center(REGION, amqp_uri, database_url, extra_env={"YIWANG_WORKFLOW_FILE": str(rules)})
    yield c
    assert c.stop() == 0, "SIGTERM drains and exits 0\n" + c.tail()


@pytest.fixture(scope="module")
def desk(center):
    return center.token("dispatcher")


def _report(center, headers, category="0107") -> str:
    body = {"description": "小区门口井盖破损，晚上路过很危险", "category": category, "region": REGION,
            "location": somewhere(120.95, 32.05, address="人民路12号")}
    r = center.http.post("/api/v1/reports", headers=headers, json=body)
    assert r.status_code == 202, r.text
    return r.json()["case_id"]


def _get(center, headers, case_id) -> dict:
    r = center.http.get(f"/api/v1/cases/{case_id}", headers=headers)
    assert r.status_code == 200, r.text
    return r.json()


def _act(center, headers, case_id, action, body=None):
    return center.http.post(f"/api/v1/cases/{case_id}/{action}", headers=headers, json=body or {})


def _queue(center, headers) -> dict[str, list[str]]:
    r = center.http.get("/api/v1/queue", headers=headers)
    assert r.status_code == 200, r.text
    return {name: [c["id"] for c in cases] for name, cases in r.json().items()}


def _dispatched(center, desk) -> tuple[str, dict]:
    case_id = _report(center, desk)
    case = wait_until(lambda: (c := _get(center, desk, case_id))["status"] == "dispatched" and c, timeout=30,
                      what="dispatched")
    return case_id, center.token("handler", unit=case["unit"])


def test_the_catalog_serves_the_return_reason_codes_of_the_centers_workflow(center, desk):
    r = center.http.get("/api/v1/catalog", headers=desk)
    assert r.status_code == 200, r.text
    assert r.json()["return_reasons"] == [{"code": c, "name": n} for c, n in CODES.items()]
    assert r.json()["categories"] and r.json()["units"], "the catalog as before"


def test_the_desk_queue_has_groups_for_return_reviews_suspension_requests_and_registrations(center, desk):
    waiting = _report(center, desk, category="1101")  # the rules: a desk's 暴露垃圾 report waits for 立案审核
    wait_until(lambda: _get(center, desk, waiting).get("registration_pending"), timeout=30, what="立案审核 waiting")
    returned, returner = _dispatched(center, desk)
    r = _act(center, returner, returned, "return", {"reason": "不属本单位", "reason_code": "not_ours", "basis": BASIS})
    assert r.status_code == 200, r.text
    suspended, handler = _dispatched(center, desk)
    assert _act(center, handler, suspended, "accept").status_code == 200
    r = _act(center, handler, suspended, "suspend", {"reason": "需待管线迁改完成后施工"})
    assert r.status_code == 200, r.text

    queue = _queue(center, desk)
    assert waiting in queue["registrations"] and returned in queue["return_reviews"]
    assert suspended in queue["suspension_requests"]
    assert returned not in queue["suspension_requests"] and suspended not in queue["return_reviews"]
    assert waiting not in queue["return_reviews"] + queue["suspension_requests"]

    assert _act(center, desk, waiting, "register", {"approved": True}).status_code == 200
    assert _act(center, desk, returned, "review-return", {"approved": False, "note": "属你单位职责"}).status_code == 200
    assert _act(center, desk, suspended, "decide-suspension", {"approved": True}).status_code == 200
    queue = _queue(center, desk)
    assert waiting not in queue["registrations"] and returned not in queue["return_reviews"]
    assert suspended not in queue["suspension_requests"], "decided: no longer waiting"


@pytest.mark.parametrize("path, params", [
    ("/api/v1/cases", {"category": "\x00"}),
    ("/api/v1/cases", {"status": "dispatched\x00"}),
    ("/api/v1/cases", {"region": "3206\x01"}),
    ("/api/v1/cases", {"unit\x00": "x"}),
    ("/api/v1/evaluation", {"period": "2026-11", "version": "v1\x00"}),
    ("/api/v1/ranking", {"period": "2026-11\x0b"}),
    ("/api/v1/notifications", {"unread": "\x00"}),
])
def test_a_query_parameter_with_a_control_character_is_refused_with_the_standard_error(center, desk, path, params):
    r = center.http.get(path, params=params, headers=desk)
    assert r.status_code == 422, r.text
    error = r.json()["error"]
    assert error["code"] == "validation_failed" and "control character" in error["message"]
    assert set(error["details"]) == {"parameter"}


def test_plain_query_parameters_still_work(center, desk):
    r = center.http.get("/api/v1/cases", params={"category": "0107", "status": "dispatched"}, headers=desk)
    assert r.status_code == 200, r.text
    r = center.http.get("/api/v1/audit", params={"from": "2026-01-01"}, headers=auth(ADMIN))
    assert r.status_code == 200, r.text


def _run(tmp_path, **env) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "app.cli", "run", "--region", REGION, "--port", str(_free_port())],
                          capture_output=True, text=True, timeout=60, env={**os.environ, **env})


def test_a_bad_workflow_file_stops_the_start_with_one_line_naming_the_file_and_the_key(tmp_path):
    bad = tmp_path / "workflow.toml"
    bad.write_text('[return]\nwindow = "1 working_days"\n[return.reason_codes]\nnot_ours = "非本单位职责"\n'
                   '[extension]\nmax_count = 0\n', encoding="utf-8")
    r = _run(tmp_path, YIWANG_WORKFLOW_FILE=str(bad))
    lines = [x for x in r.stderr.splitlines() if x.strip()]
    assert r.returncode == 2 and len(lines) == 1, r.stderr
    assert "workflow.toml" in lines[0] and "extension.max_count" in lines[0] and "YIWANG_WORKFLOW_FILE" in lines[0]


def test_a_bad_rosters_file_stops_the_start_with_one_line_naming_the_key(tmp_path):
    bad = tmp_path / "rosters.toml"
    bad.write_text('[people.x]\nname = "值班员"\nrole = "值班长"\nphone = "call me"\n', encoding="utf-8")
    r = _run(tmp_path, YIWANG_ROSTERS_FILE=str(bad))
    lines = [x for x in r.stderr.splitlines() if x.strip()]
    assert r.returncode == 2 and len(lines) == 1, r.stderr
    assert "rosters.toml" in lines[0] and "people.x.phone" in lines[0] and "call me" not in lines[0]
