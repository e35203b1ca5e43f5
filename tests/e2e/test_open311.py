"""Open311 GeoReport v2 of a center started as a process: discovery, services and their definitions, POST and GET
requests with every filter and paging, tokens, errors in Open311's format (and nothing stored on bad input), region
scope (S1), and an existing Open311 client from PyPI (civicbot) driving the center unchanged. Every response is
validated against the Open311 project's own schemas (tests/data/open311/)."""
import json
import re
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from civicbot import Endpoint, HttpError, Open311Client, ValidationError
from jsonschema import Draft202012Validator
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012

from services.gateway.open311 import request_view
from services.supervision.api import CaseRow
from shared.catalog import load_catalog
from shared.clock import CHINA
from shared.store.tables import Case
from tests.e2e.test_center_http import ADMIN, Center, _wait_status, auth
from tests.support import somewhere

COUNTY, OWN, SIBLING = "320623", "320623001", "320623002"
BASE = "/open311/v2"
SCHEMA_DIR = Path(__file__).parents[1] / "data" / "open311"
SCHEMAS = {p.name: json.loads(p.read_text()) for p in SCHEMA_DIR.glob("*.json")}
REGISTRY = Registry().with_resources(
    (name, Resource.from_contents(schema, default_specification=DRAFT202012)) for name, schema in SCHEMAS.items())
W3C = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+08:00$")
PERSONAL = ("王小明", "小明", "13812345678", "xiaoming@example.cn")
FORM = {"service_code": "1301", "description": "工地深夜施工扰民，噪音很大", "address_string": "掘港镇人民路 8 号",
        "first_name": "小明", "last_name": "王", "phone": "+86 138-1234-5678", "email": "xiaoming@example.cn",
        "media_url": "https://example.org/photo.jpg", "device_id": "dev-1", "account_id": "acct-1"}


def valid(body, schema: str):
    """`body` validated against the named Open311 schema, with its date-times in W3C format at +08:00."""
    Draft202012Validator(SCHEMAS[schema], registry=REGISTRY).validate(body)
    for item in body if isinstance(body, list) else [body]:
        for name in ("requested_datetime", "updated_datetime", "expected_datetime"):
            assert item.get(name) is None or W3C.match(item[name]), (name, item[name])
    return body


def error(r, status: int) -> str:
    """The description of an Open311 error answer with this status."""
    assert r.status_code == status, (r.status_code, r.text)
    body = r.json()
    assert isinstance(body, list) and len(body) == 1 and body[0]["code"] == status and body[0]["description"], body
    return body[0]["description"]


@pytest.fixture(scope="module")
def center(amqp_uri, database_url):
    c = Center(COUNTY, amqp_uri, database_url)
    yield c
    assert c.stop() == 0, c.tail()


@pytest.fixture(scope="module")
def keys(center):
    """Raw tokens (Open311 api_keys) by name."""
    def key(role, region):
        r = center.http.post("/api/v1/tokens", headers=auth(ADMIN),
                             json={"role": role, "region": region, "name": f"open311-{role}-{region}"})
        assert r.status_code == 201, r.text
        return r.json()["token"]
    return {"own": key("citizen", OWN), "sibling": key("citizen", SIBLING), "county": key("citizen", COUNTY),
            "viewer": key("viewer", OWN), "elsewhere": key("citizen", "320612")}


def post(center, key, **changes):
    form = {**FORM, "api_key": key, **changes}
    return center.http.post(f"{BASE}/requests.json", data={k: v for k, v in form.items() if v is not None})


def create(center, key, **changes) -> str:
    loc = somewhere()
    r = post(center, key, lat=str(loc["lat"]), long=str(loc["lon"]), **changes)
    assert r.status_code == 200, r.text
    created = r.json()
    assert len(created) == 1 and set(created[0]) == {"service_request_id", "service_notice", "account_id"}
    return created[0]["service_request_id"]


def read(center, path, **params):
    r = center.http.get(f"{BASE}/{path}", params=params)
    assert r.status_code == 200, r.text
    return r.json()


def listed(center, **params) -> list[str]:
    return [x["service_request_id"] for x in valid(read(center, "requests.json", **params), "requests.json")]


def until(probe, timeout: float = 20):
    """The first truthy answer of `probe`, asked every 0.1 s."""
    deadline = time.monotonic() + timeout
    while not (answer := probe()):
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.1)
    return answer


def seconds(iso: str) -> datetime:
    return datetime.fromisoformat(iso).replace(microsecond=0)


def open311_total(center) -> int:
    r = center.http.get("/api/v1/cases", params={"source": "open311"}, headers=auth(ADMIN))
    return r.json()["total"]


# ---- discovery, services, definitions ---------------------------------------------------------------------------
def test_discovery_services_and_their_definitions(center):
    discovery = read(center, "discovery.json")
    endpoint = discovery["endpoints"][0]
    assert endpoint["url"] == f"http://127.0.0.1:{center.port}{BASE}/" and endpoint["formats"] == ["application/json"]
    assert endpoint["specification"] == "http://wiki.open311.org/GeoReport_v2" and discovery["key_service"]

    services = valid(read(center, "services.json"), "services.json")
    catalog = load_catalog()
    assert [s["service_code"] for s in services] == list(catalog.categories)
    guardrail = next(s for s in services if s["service_code"] == "0202")
    assert guardrail["service_name"] == "道路护栏" and guardrail["type"] == "realtime" and guardrail["metadata"]
    assert read(center, "services") == services, "the .json suffix may be left out"

    facility = valid(read(center, "services/0202.json"), "service-definition.json")
    by_code = {a["code"]: a for a in facility["attributes"]}
    assert by_code["condition"]["required"] and by_code["condition"]["datatype"] == "singlevaluelist"
    assert "damaged" in [v["key"] for v in by_code["condition"]["values"]]
    event = valid(read(center, "services/1301.json"), "service-definition.json")
    assert [a["code"] for a in event["attributes"]] == ["occurred_at"]
    assert read(center, "services/1301", jurisdiction_id=COUNTY) == event


def test_formats_jurisdictions_and_unknown_resources_answer_in_open311_format(center):
    assert "json" in error(center.http.get(f"{BASE}/services.xml"), 400)
    assert "not a service code" in error(center.http.get(f"{BASE}/services/abc.json"), 400)
    assert "not found" in error(center.http.get(f"{BASE}/services/9876.json"), 404)
    assert COUNTY in error(center.http.get(f"{BASE}/services.json", params={"jurisdiction_id": "320612"}), 404)
    error(center.http.get(f"{BASE}/nothing.json"), 404)
    error(center.http.delete(f"{BASE}/requests.json"), 404)


# ---- POST and GET ---------------------------------------------------------------------------------------------------
def test_a_posted_request_reads_back_by_id_token_and_every_filter(center, keys):
    before = datetime.now(CHINA) - timedelta(minutes=5)
    rid = create(center, keys["own"], **{"attribute[occurred_at]": "2026-11-22T09:30:00+08:00"})
    assert re.fullmatch(rf"{COUNTY}-\d{{8}}-\d{{6}}", rid)

    [got] = valid(read(center, f"requests/{rid}.json"), "requests.json")
    assert got["status"] == "open" and got["service_code"] == "1301" and got["service_name"] == "施工扰民"
    assert got["description"] == FORM["description"] and got["address"] == FORM["address_string"]
    assert got["media_url"] == FORM["media_url"] and got["lat"] and got["long"] and got["service_notice"]
    # The chain moves a new request on by itself (triage sets agency_responsible, supervision then expected_datetime),
    # so two reads agree only once it rests: wait for its deadline, the last step, then compare the two routes.
    rested = until(lambda: (r := read(center, f"requests/{rid}.json"))[0]["expected_datetime"] and r)
    assert read(center, f"requests/{rid}") == rested, "the .json suffix may be left out"
    assert read(center, f"tokens/{rid}.json") == [{"service_request_id": rid, "token": rid}]

    case = center.http.get(f"/api/v1/cases/{rid}", headers=auth(ADMIN)).json()
    assert case["source"] == "open311" and case["region"] == OWN and case["category"] == "1301"
    assert case["reporters"][0]["name"] == "王小明" and case["reporters"][0]["phone"] == "13812345678"
    assert case["timeline"][0]["actor"] == f"citizen:open311-citizen-{OWN}"
    assert case["timeline"][0]["data"]["attributes"] == {"occurred_at": "2026-11-22T09:30:00+08:00"}
    assert FORM["email"] not in json.dumps(case, ensure_ascii=False), "the e-mail is not stored"

    other = create(center, keys["own"], service_code="1302", description="工地扬尘严重")
    assert set(listed(center, service_request_id=f"{rid},{other}")) == {rid, other}
    assert listed(center, service_request_id=rid, status="closed") == [rid], "service_request_id overrides the rest"
    assert rid in listed(center, service_code="1301") and rid not in listed(center, service_code="1302")
    assert {rid, other} <= set(listed(center, service_code="1301,1302"))
    assert rid in listed(center, status="open") and rid not in listed(center, status="closed")
    assert rid in listed(center, status="open,closed")
    assert rid in listed(center, start_date=before.isoformat(timespec="seconds"))
    assert rid not in listed(center, end_date=(before - timedelta(days=1)).isoformat(timespec="seconds"))
    today = datetime.now(CHINA).date().isoformat()
    assert rid in listed(center, start_date=before.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
                         end_date=f"{today}T23:59:59+08:00")


def test_the_list_is_newest_first_and_pages(center, keys):
    made = [create(center, keys["own"], service_code="1304", description=f"道路遗撒第{i}处") for i in range(3)]
    newest = listed(center, service_code="1304")
    assert newest[:3] == made[::-1]
    first, second = listed(center, service_code="1304", page_size=2), listed(center, service_code="1304", page=2,
                                                                           page_size=2)
    assert first == newest[:2] and second == newest[2:4] and not set(first) & set(second)
    assert listed(center, service_code="1304", page=99) == []


def test_optional_fields_stand_in_or_are_dropped(center, keys):
    rid = create(center, keys["own"], description=None, phone="12345", first_name=None, last_name=None,
                 media_url=None, **{"attribute[occurred_at]": ""})
    [got] = valid(read(center, f"requests/{rid}.json"), "requests.json")
    assert got["description"] == "施工扰民" and got["media_url"] is None, "the service name stands in"
    reporter = center.http.get(f"/api/v1/cases/{rid}", headers=auth(ADMIN)).json()["reporters"][0]
    assert reporter["phone"] is None and reporter["name"] is None, "a phone that is not Chinese is dropped"
    r = post(center, keys["own"], lat=None, long=None, address_string=None, address_id="RD-0042")
    [got] = valid(read(center, f"requests/{r.json()[0]['service_request_id']}.json"), "requests.json")
    assert got["address"] == "RD-0042" and got["lat"] is None


def test_a_dispatched_request_shows_its_agency_and_deadline_and_closes(center, keys):
    rid = create(center, keys["own"], service_code="1305", description="占道施工未设围挡")
    _wait_status(center, auth(ADMIN), rid, "dispatched")
    case = until(lambda: (c := center.http.get(f"/api/v1/cases/{rid}", headers=auth(ADMIN)).json())
                 ["deadlines"]["resolve"] and c)
    [got] = valid(read(center, f"requests/{rid}.json"), "requests.json")
    assert got["agency_responsible"] == load_catalog().unit(case["unit"]).name
    assert datetime.fromisoformat(got["expected_datetime"]) == seconds(case["deadlines"]["resolve"])
    handler = center.token("handler", unit=case["unit"])
    for action, body in (("accept", {}), ("resolve", {"note": "已设置围挡并恢复通行"})):
        assert center.http.post(f"/api/v1/cases/{rid}/{action}", headers=handler, json=body).status_code == 200
    verify = center.http.post(f"/api/v1/cases/{rid}/verify", headers=auth(ADMIN), json={"passed": True})
    assert verify.status_code == 200, verify.text
    case = _wait_status(center, auth(ADMIN), rid, "closed")
    [got] = valid(read(center, f"requests/{rid}.json"), "requests.json")
    notes = [t["note"] for t in case["timeline"] if t.get("note") and not t["actor"].startswith("system:")]
    assert got["status"] == "closed" and got["status_notes"] == notes[-1] == "已设置围挡并恢复通行", "a person's note"
    assert datetime.fromisoformat(got["updated_datetime"]) == seconds(case["closed_at"])
    assert rid in listed(center, status="closed")


def test_a_duplicate_is_merged_and_closed_with_a_note_naming_the_case_it_joined(center, keys):
    loc = somewhere()
    at = {"lat": str(loc["lat"]), "long": str(loc["lon"]), "service_code": "1302", "description": "工地扬尘，灰很大"}
    first = post(center, keys["own"], **at).json()[0]["service_request_id"]
    _wait_status(center, auth(ADMIN), first, "dispatched")
    second = post(center, keys["own"], **at).json()[0]["service_request_id"]
    _wait_status(center, auth(ADMIN), second, "merged")
    [got] = valid(read(center, f"requests/{second}.json"), "requests.json")
    assert got["status"] == "closed" and first in got["status_notes"]


@pytest.mark.parametrize("status, shown", [("received", "open"), ("dispatched", "open"), ("verified", "open"),
                                           ("closed", "closed"), ("rejected", "closed"), ("merged", "closed")])
def test_every_case_status_is_open_or_closed(status, shown):
    now = datetime.now(CHINA)
    case = Case(id="320623-20261123-000001", status=status, source="hotline", description="来电 13812345678 反映噪音",
                category="1701", region=OWN, center=COUNTY, created_at=now, updated_at=now,
                merged_into="320623-20261123-000002" if status == "merged" else None)
    view = valid(request_view(CaseRow(case, None, "已受理")), "request.json")
    assert view["status"] == shown and "13812345678" not in json.dumps(view)
    assert view["status_notes"] == ("已并入案件 320623-20261123-000002 一并办理" if status == "merged" else "已受理")


# ---- errors -------------------------------------------------------------------------------------------------------
def test_bad_input_gets_an_open311_error_and_stores_nothing(center, keys):
    before = open311_total(center)
    at = {"lat": "32.32", "long": "121.18"}
    bad = [
        ({"api_key": None}, 400, "api_key is required"),
        ({"api_key": "yw_not-a-key"}, 403, "not valid"),
        ({"api_key": keys["viewer"]}, 403, "citizen"),
        ({"api_key": keys["elsewhere"]}, 403, "outside this center"),
        ({"service_code": "9876"}, 400, "not found"),
        ({"service_code": "12"}, 400, "service_code"),
        ({"service_code": None}, 400, "service_code"),
        ({"address_string": None}, 400, "location is required"),
        ({"address_string": None, "lat": "32.3"}, 400, "together"),
        ({**at, "lat": "north"}, 400, "lat"),
        ({**at, "lat": "95"}, 400, "lat"),
        ({**at, "long": "nan"}, 400, "long"),
        ({"lat": "48.85", "long": "2.35"}, 400, "outside China"),
        ({"service_code": "1999", "description": None}, 400, "description is required"),
        ({"service_code": "0202"}, 400, "attribute[condition] is required"),
        ({"service_code": "0202", "attribute[condition]": "melted"}, 400, "must be one of"),
        ({"attribute[colour]": "red"}, 400, "no attribute colour"),
        ({"attribute[occurred_at]": "yesterday"}, 400, "W3C"),
        ({"media_url": "not a url"}, 400, "media_url"),
        ({"description": "x" * 4001}, 400, "description"),
        ({"first_name": "王\x00"}, 400, "first_name"),
        ({"jurisdiction_id": "320612"}, 404, "jurisdiction"),
    ]
    for changes, status, fragment in bad:
        assert fragment in error(post(center, keys["own"], **changes), status), changes
    form_headers = {"content-type": "application/x-www-form-urlencoded"}
    for body, fragment in ((b"api_key=%FF%FE", "UTF-8"), (b"service_code=1301&service_code=1302", "more than once")):
        assert fragment in error(center.http.post(f"{BASE}/requests.json", content=body, headers=form_headers), 400)
    assert "form" in error(center.http.post(f"{BASE}/requests.json", json={**FORM, "api_key": keys["own"]}), 400)
    huge = post(center, keys["own"], description="x" * (1024 * 1024))
    assert "larger" in error(huge, 413)
    assert open311_total(center) == before, "nothing stored"


def test_bad_queries_get_an_open311_error(center, keys):
    unknown = f"{COUNTY}-20000101-000001"
    for path, params, status in [
        (f"requests/{unknown}.json", {}, 404), (f"tokens/{unknown}.json", {}, 404),
        ("requests/NOPE-1.json", {}, 400), ("tokens/NOPE.json", {}, 400), ("requests.xml", {}, 400),
        ("requests.json", {"start_date": "last tuesday"}, 400), ("requests.json", {"end_date": "2026-13-01"}, 400),
        ("requests.json", {"start_date": "2026-11-02T00:00:00+08:00", "end_date": "2026-11-01T00:00:00+08:00"}, 400),
        ("requests.json", {"start_date": "2026-01-01T00:00:00Z", "end_date": "2026-06-01T00:00:00Z"}, 400),
        ("requests.json", {"start_date": "1900-01-01T00:00:00Z"}, 400),
        ("requests.json", {"status": "pending"}, 400), ("requests.json", {"status": ""}, 400),
        ("requests.json", {"service_code": "12"}, 400), ("requests.json", {"service_request_id": "x"}, 400),
        ("requests.json", {"page": "0"}, 400), ("requests.json", {"page_size": "1001"}, 400),
        ("requests.json", {"page": "two"}, 400), ("requests.json", {"api_key": "yw_nope"}, 403),
        ("requests.json", {"jurisdiction_id": "320612"}, 404),
    ]:
        error(center.http.get(f"{BASE}/{path}", params=params), status)


# ---- scope (S1) ---------------------------------------------------------------------------------------------------
def test_a_key_sees_only_its_region_and_nobody_sees_who_reported(center, keys):
    mine = create(center, keys["own"], service_code="1301")
    theirs = create(center, keys["sibling"], service_code="1301")
    regions = {rid: center.http.get(f"/api/v1/cases/{rid}", headers=auth(ADMIN)).json()["region"]
               for rid in (mine, theirs)}
    assert regions == {mine: OWN, theirs: SIBLING}

    own = listed(center, api_key=keys["own"], service_code="1301")
    assert mine in own and theirs not in own
    assert listed(center, api_key=keys["own"], service_request_id=theirs) == []
    error(center.http.get(f"{BASE}/requests/{theirs}.json", params={"api_key": keys["own"]}), 404)
    error(center.http.get(f"{BASE}/tokens/{theirs}.json", params={"api_key": keys["own"]}), 404)
    assert listed(center, api_key=keys["elsewhere"]) == [], "a key of another county sees nothing here"
    error(center.http.get(f"{BASE}/requests/{mine}.json", params={"api_key": keys["elsewhere"]}), 404)

    public = center.http.get(f"{BASE}/requests.json")
    assert {mine, theirs} <= {x["service_request_id"] for x in public.json()}, "the center's own region, publicly"
    assert {mine, theirs} <= set(listed(center, api_key=keys["county"]))
    for text in (public.text, center.http.get(f"{BASE}/requests/{mine}.json").text):
        assert not any(p in text for p in PERSONAL), "never a name, phone number or e-mail"


# ---- an existing client -------------------------------------------------------------------------------------------
def test_an_existing_open311_client_files_a_request_and_reads_it_back(center, keys):
    """civicbot (PyPI, pinned in pyproject's dev extra), used as its documentation says: an `Endpoint` for the
    center, then its own service-list, definition-checking, POST and GET calls."""
    client = Open311Client(Endpoint(id=f"yiwang-{COUNTY}", name="如东县", base_url=f"http://127.0.0.1:{center.port}{BASE}",
                                    write=True))
    assert "0202" in {s["service_code"] for s in client.list_services()}
    loc = somewhere()
    report = {"lat": loc["lat"], "lng": loc["lon"], "address_string": "掘港镇青园路口", "description": "道路护栏被撞倒",
              "first_name": "小明", "last_name": "王", "phone": "13812345678", "email": "xiaoming@example.cn"}
    with pytest.raises(ValidationError, match="condition"):  # the client checks our definition before it sends
        client.create_request("0202", dry_run=False, confirm="SEND", api_key=keys["own"], validate_remote=True,
                              **report)
    sent = client.create_request("0202", dry_run=False, confirm="SEND", api_key=keys["own"], validate_remote=True,
                                 attributes={"condition": "damaged"}, **report)
    rid = sent.response[0]["service_request_id"]

    got = client.get_request(rid)
    valid(got, "request.json")
    assert got["service_code"] == "0202" and got["status"] == "open" and got["description"] == "道路护栏被撞倒"
    assert (got["lat"], got["long"]) == (loc["lat"], loc["lon"])
    assert [r["service_request_id"] for r in client.list_requests(service_request_ids=[rid])] == [rid]
    assert rid in [r["service_request_id"] for r in client.list_requests(service_code="0202", status="open")]
    assert client.get_token(rid) == [{"service_request_id": rid, "token": rid}]
    with pytest.raises(HttpError) as missing:
        client.get_request(f"{COUNTY}-20000101-000001")
    assert missing.value.status == 404 and json.loads(missing.value.body)[0]["code"] == 404
