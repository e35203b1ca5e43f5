"""网格化自动派遣 on the real broker and database: at a township, a grid report of an auto-dispatch category goes
to the nearest available team of its unit; a full team is skipped until one of its cases is verified; when
every team is full the unit gets the case without a team, and the event says why."""
import math
from collections import Counter

import pytest
from sqlmodel import Session, select

from services.dispatch import handlers as dispatch
from services.intake.handlers import submit_report
from services.supervision import handlers as supervision
from shared.catalog import load_catalog
from shared.contracts.api import ReportIn
from shared.geo import distance_m
from shared.store.tables import TimelineEntry
from tests import support

CENTER = "320612001"  # 金沙街道: its units have teams (shared/catalog/data/teams.toml)
TEAMS = {t.code: t for kind in ("chengguan", "municipal") for t in load_catalog().teams_of(f"{CENTER}.{kind}")}
T1, T2 = TEAMS[f"{CENTER}.chengguan.t1"], TEAMS[f"{CENTER}.chengguan.t2"]


@pytest.fixture(scope="module")
def store(amqp_uri, database_url):
    s = support.settings(amqp_uri, database_url.replace("{region}", "auto_{region}"))  # a database of its own
    support.prepared(s, CENTER)
    with support.running(["triage", "dispatch"], support.center_config(s, CENTER)):
        yield support.store_for(s, CENTER)


def ring(lon, lat, n, radius_m=150):
    """`n` points around (lon, lat), more than the 并单 radius of manhole covers (100 m) apart."""
    dlat = radius_m / 111_195
    dlon = dlat / math.cos(math.radians(lat))
    return [(round(lon + dlon * math.cos(2 * math.pi * k / n), 6), round(lat + dlat * math.sin(2 * math.pi * k / n), 6))
            for k in range(n)]


def report(store, lon, lat, category="0107", description="人行道上的窨井盖破损，行人容易踩空"):
    body = {"description": description, "category": category, "location": {"lon": lon, "lat": lat}}
    return submit_report(store, ReportIn.model_validate(body), source="grid", actor="gridworker:t").case_id


def dispatched(store, *case_ids):
    for case_id in case_ids:
        support.wait_until(lambda case_id=case_id: support.case_row(store, case_id).status == "dispatched",
                           what=f"{case_id} dispatched")
    return [support.case_row(store, case_id) for case_id in case_ids]


def dispatched_entry(store, case_id) -> TimelineEntry:
    with Session(store.engine) as s:
        return s.exec(select(TimelineEntry).where(TimelineEntry.case_id == case_id,
                                                  TimelineEntry.type == "dispatched")).one()


def test_a_grid_report_goes_to_the_nearest_team(store, amqp_uri):
    watch = support.Watcher(amqp_uri, [support.key(CENTER, "dispatched")])
    try:
        lon, lat = T2.lon + 0.0005, T2.lat + 0.0005  # about 70 m from 二分队, kilometres from the others
        case_id = report(store, lon, lat)
        event = watch.wait_for(lambda e: e["subject"] == case_id)
    finally:
        watch.close()
    [case] = dispatched(store, case_id)
    assert case.unit == f"{CENTER}.chengguan" and case.team == T2.code and case.region == CENTER
    data = event["data"]
    assert (data["team"], data["team_name"], data["case"]["team"]) == (T2.code, T2.name, T2.code)
    assert data["distance_m"] == round(distance_m(T2.lon, T2.lat, lon, lat)) and 50 < data["distance_m"] < 90
    entry = dispatched_entry(store, case_id)
    assert entry.data["team"] == T2.code and T2.name in entry.note


def test_a_full_team_is_skipped_until_one_of_its_cases_is_verified(store):
    spots = ring(T1.lon, T1.lat, T1.capacity + 1)  # one more case than 一分队 can hold, all at once
    cases = dispatched(store, *[report(store, lon, lat) for lon, lat in spots])
    assert Counter(c.team for c in cases) == {T1.code: T1.capacity, T2.code: 1}, "never over capacity"
    spilled = next(c for c in cases if c.team == T2.code)
    assert dispatched_entry(store, spilled.id).data["distance_m"] == round(distance_m(T2.lon, T2.lat, spilled.lon,
                                                                                       spilled.lat))
    done = next(c for c in cases if c.team == T1.code)
    dispatch.accept(store, done.id, "handler:t")
    dispatch.resolve(store, done.id, "handler:t", "已更换井盖")
    assert support.case_row(store, done.id).team == T1.code, "resolved, not yet verified: still 一分队's"
    assert dispatched(store, report(store, T1.lon, T1.lat))[0].team == T2.code
    supervision.verify(store, done.id, "gridworker:t", True)
    [again] = dispatched(store, report(store, T1.lon, T1.lat + 0.0027))  # 300 m north: no 并单 with the others
    assert again.team == T1.code, "the verified case no longer counts against 一分队"


def test_when_every_team_is_full_the_unit_gets_the_case_and_the_event_says_why(store):
    municipal = [t for t in TEAMS.values() if t.unit == f"{CENTER}.municipal"]
    room = sum(t.capacity for t in municipal)
    spots = ring(121.030, 32.105, room + 1, radius_m=250)
    cases = dispatched(store, *[report(store, lon, lat, "0102", "路边的污水井盖破损下沉") for lon, lat in spots[:room]])
    assert Counter(c.team for c in cases) == {t.code: t.capacity for t in municipal}
    [last] = dispatched(store, report(store, *spots[room], "0102", "路边的污水井盖破损下沉"))
    assert last.unit == f"{CENTER}.municipal" and last.team is None
    entry = dispatched_entry(store, last.id)
    assert "team" not in entry.data and "every team of 320612001.municipal is at capacity" in entry.note
