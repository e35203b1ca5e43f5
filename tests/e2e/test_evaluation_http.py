"""The evaluation and the ranking through HTTP (issue 11 item 8): a county's row rolls up its townships' cases, every
response names the version of the indicators it used, a past version can be asked for, and 红黑榜 ranks by the
composite score."""
from datetime import datetime

import pytest

from shared.catalog import load_catalog
from shared.clock import CHINA
from tests.e2e.test_center_http import Center, _wait_status
from tests.support import somewhere

COUNTY, TOWN1, TOWN2 = "320612", "320612001", "320612002"


@pytest.fixture(scope="module")
def county(amqp_uri, database_url):
    c = Center(COUNTY, amqp_uri, database_url)
    yield c
    assert c.stop() == 0, c.tail()


@pytest.fixture(scope="module")
def cases(county):
    """One case in each of two townships of the county, dispatched."""
    dispatcher, viewer = county.token("dispatcher"), county.token("viewer")
    out = {}
    for region, lon in ((TOWN1, 121.07), (TOWN2, 121.37)):  # far apart: not merged (并单)
        r = county.http.post("/api/v1/reports", headers=dispatcher, json={
            "description": f"{region}工地夜间施工扰民，噪音很大", "category": "1301", "region": region,
            "location": somewhere(lon, 32.08)})
        assert r.status_code == 202, r.text
        out[region] = _wait_status(county, viewer, r.json()["case_id"], "dispatched")["id"]
    return out


def _period():
    return datetime.now(CHINA).strftime("%Y-%m")


def test_a_countys_row_includes_its_townships_and_the_evaluation_names_its_version(county, cases):
    viewer = county.token("viewer")
    r = county.http.get("/api/v1/evaluation", headers=viewer, params={"period": _period(), "by": "region"})
    assert r.status_code == 200, r.text
    ev = r.json()
    assert ev["version"] == "v1" and ev["by"] == "region"
    codes = [i["code"] for i in ev["indicators"]]
    assert "dispatch_accuracy_rate" in codes and "avg_handling_hours" in codes and "on_time_close_rate" in codes
    rows = {row["region"]: row for row in ev["rows"]}
    county_cases = rows[COUNTY]["timely_sign_rate"]["denominator_cases"]
    assert {cases[TOWN1], cases[TOWN2]} <= set(county_cases), "the county's row rolls up its townships"
    assert cases[TOWN1] in rows[TOWN1]["timely_sign_rate"]["denominator_cases"]
    assert cases[TOWN2] not in rows[TOWN1]["timely_sign_rate"]["denominator_cases"]
    assert rows[COUNTY]["tier"] == "county" and rows[TOWN1]["tier"] == "township"
    assert rows[COUNTY]["assignments"] >= rows[TOWN1]["assignments"] + rows[TOWN2]["assignments"]
    assert rows[COUNTY]["score"] is not None

    again = county.http.get("/api/v1/evaluation", headers=viewer,
                            params={"period": _period(), "by": "region", "version": "v1"}).json()
    assert again["version"] == "v1"
    assert again == ev, "asking for the version in force gives the same figures"


def test_a_township_token_sees_no_roll_up_above_its_region(county, cases):
    viewer = county.token("viewer", region=TOWN1)
    rows = county.http.get("/api/v1/evaluation", headers=viewer,
                           params={"period": _period(), "by": "region"}).json()["rows"]
    assert [r["region"] for r in rows] == [TOWN1]
    assert cases[TOWN2] not in str(rows)


def test_an_unknown_version_is_refused_naming_the_known_ones(county, cases):
    r = county.http.get("/api/v1/evaluation", headers=county.token("viewer"),
                        params={"period": _period(), "version": "v99"})
    assert r.status_code == 422, r.text
    err = r.json()["error"]
    assert err["code"] == "validation_failed" and "v1" in err["details"]["versions"]


def test_the_ranking_ranks_peers_by_the_composite_score(county, cases):
    viewer = county.token("viewer")
    r = county.http.get("/api/v1/ranking", headers=viewer, params={"period": _period(), "by": "region"})
    assert r.status_code == 200, r.text
    ranked = r.json()
    assert ranked["version"] == "v1" and ranked["tier"] == "township"
    listed = ranked["best"] + ranked["worst"]
    townships = {r.code for r in load_catalog().regions.children(COUNTY)}
    listed_regions = {x["region"] for x in listed}  # the session's other tests may have left cases at other townships
    assert {TOWN1, TOWN2} <= listed_regions <= townships, "peers: townships of the county, these two among them"
    ev = county.http.get("/api/v1/evaluation", headers=viewer, params={"period": _period(), "by": "region"}).json()
    scores = {row["region"]: row["score"] for row in ev["rows"]}
    assert all(x["score"] == scores[x["region"]] for x in listed), "the ranking's score is the evaluation's"
    by_unit = county.http.get("/api/v1/ranking", headers=viewer, params={"period": _period(), "by": "unit"}).json()
    assert by_unit["best"] and all(x["score"] is not None and x["name"] for x in by_unit["best"])
