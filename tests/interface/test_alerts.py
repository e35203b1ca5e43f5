"""Sensor alerts on the real database: grouping into one case, all-clears, heartbeats and device-offline cases,
joint handling of a hazardous-goods vehicle alert, and a storm over HTTP against two gateway processes."""
import math
import os
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import replace
from datetime import timedelta

import eventlet
import pytest
import sqlalchemy as sa
from sqlmodel import Session, func, select

from services.intake.adapters.tables import Sensor
from services.intake.alerts import LOCK_SPACE, AlertResult, receive, sweep_heartbeats
from services.intake.domain import alerts as domain
from services.supervision.adapters.tables import CaseDeadline
from services.warning import api as warning
from shared import lifecycle
from shared.clock import Clock
from shared.contracts.api import AlertIn
from shared.store.tables import Case, TimelineEntry
from tests import support
from tests.e2e.test_center_http import Center

TYPES = domain.sensor_types()
os_threading, os_time = eventlet.patcher.original("threading"), eventlet.patcher.original("time")


def _center(amqp_uri, database_url, center, clock=None):
    s = support.settings(amqp_uri, database_url)
    url = support.prepared(s, center)
    return s, url, support.store_for(s, center, clock)


def _middle_of_cell(alert_type: str, lon=120.95, lat=32.05, east: int = 0) -> dict:
    """The middle of the grid cell of the point (or of the cell `east` cells further east)."""
    metres = TYPES.get(alert_type).cell_m
    row, col = domain.cell_of(lon, lat, metres)
    dlat = metres / domain.METRES_PER_DEGREE
    dlon = dlat / math.cos(math.radians((row + 0.5) * dlat))
    return {"lon": (col + east + 0.5) * dlon, "lat": (row + 0.5) * dlat}


def _alert(store, sensor_id, alert_type="noise", level="warning", location=None, **extra) -> AlertIn:
    return AlertIn.model_validate({
        "sensor_id": sensor_id, "alert_type": alert_type, "level": level,
        "location": location or {"lon": 121.07, "lat": 32.08, "address": "人民路12号"},
        "observed_at": store.now().isoformat(), **extra})


def _send(store, *args, **kw) -> AlertResult:
    return receive(store, _alert(store, *args, **kw), actor="sensor:test")


def _timeline(store, case_id) -> list[TimelineEntry]:
    with Session(store.engine) as s:
        return s.exec(select(TimelineEntry).where(TimelineEntry.case_id == case_id).order_by(TimelineEntry.id)).all()


def _cases_with_key(store, key) -> list[Case]:
    with Session(store.engine) as s:
        return s.exec(select(Case).where(Case.group_key == key)).all()


def _sensor(store, sensor_id) -> Sensor | None:
    with Session(store.engine) as s:
        return s.get(Sensor, sensor_id)


def _to(store, case_id, *commands):
    for command in commands:
        store.act(case_id, command, "dispatcher:test")


def test_alerts_in_one_cell_share_a_case_and_other_cells_or_devices_get_their_own(amqp_uri, database_url, unique):
    s, url, store = _center(amqp_uri, database_url, "320613002")
    here = {**_middle_of_cell("waterlogging"), "address": "钟秀路地道"}
    first = _send(store, f"wl-{unique}-1", "waterlogging", "warning", here, value=0.25, threshold=0.2)
    second = _send(store, f"wl-{unique}-2", "waterlogging", "critical", {**here, "lon": here["lon"] + 0.0008})
    assert first.grouped is False and second == AlertResult(first.case_id, True)
    case = support.case_row(store, first.case_id)
    assert (case.source, case.category, case.alert_count, case.priority) == ("sensor", "1402", 2, "urgent")
    assert case.description == f"道路积水超警（传感器 wl-{unique}-1，预警）：监测值 0.25，阈值 0.2"
    received, grouped = _timeline(store, first.case_id)
    assert received.type == "received" and received.data["sensor_id"] == f"wl-{unique}-1"
    assert received.data["level"] == "warning" and received.data["value"] == 0.25
    assert grouped.type == "alert_grouped" and grouped.actor == "sensor:test"
    assert grouped.data["count"] == 2 and grouped.data["priority"] == "urgent" and grouped.data["level"] == "critical"

    next_cell = _send(store, f"wl-{unique}-3", "waterlogging", "warning", _middle_of_cell("waterlogging", east=1))
    assert next_cell.grouped is False and next_cell.case_id != first.case_id

    one, other = _send(store, f"nz-{unique}-1"), _send(store, f"nz-{unique}-2")
    assert not one.grouped and not other.grouped and one.case_id != other.case_id
    assert _send(store, f"nz-{unique}-1", level="info") == AlertResult(one.case_id, True)
    assert support.case_row(store, one.case_id).priority == "normal"  # info never lowers nor raises here

    assert _send(store, f"nz-{unique}-3", level="info") == AlertResult(None, False)  # information opens nothing
    assert _cases_with_key(store, f"noise:nz-{unique}-3") == []


def test_an_all_clear_ends_the_case_where_allowed_and_is_only_recorded_elsewhere(amqp_uri, database_url, unique):
    s, url, store = _center(amqp_uri, database_url, "320613002")
    unit = "320613002.chengguan"

    fresh = _send(store, f"ac-{unique}-1")  # received → rejected
    assert _send(store, f"ac-{unique}-1", level="info", resolved=True) == AlertResult(fresh.case_id, True)
    assert support.case_row(store, fresh.case_id).status == "rejected"
    assert _timeline(store, fresh.case_id)[-1].data["all_clear"] is True

    busy = _send(store, f"ac-{unique}-2")  # dispatched → resolved
    _to(store, busy.case_id, lifecycle.Triage("1701", "normal", unit, "test"), lifecycle.Dispatch(unit))
    assert _send(store, f"ac-{unique}-2", resolved=True).case_id == busy.case_id
    case = support.case_row(store, busy.case_id)
    assert case.status == "resolved" and case.unit == unit
    again = _send(store, f"ac-{unique}-2")  # the noise is back after the case was resolved: a new incident
    assert again.grouped is False and again.case_id != busy.case_id

    hazmat = _send(store, f"hz-{unique}", "hazmat_vehicle_stop", location=_middle_of_cell("hazmat_vehicle_stop"))
    assert _send(store, f"hz-{unique}", "hazmat_vehicle_stop", location=_middle_of_cell("hazmat_vehicle_stop"),
                 resolved=True) == AlertResult(hazmat.case_id, True)
    case = support.case_row(store, hazmat.case_id)
    last = _timeline(store, hazmat.case_id)[-1]
    assert case.status == "received" and last.type == "alert_grouped" and last.data["all_clear"] is True

    elsewhere = _send(store, f"ac-{unique}-3")  # a copy of a case that the county now owns
    with Session(store.engine) as sess:
        row = sess.get(Case, elsewhere.case_id)
        row.center = "320613"
        sess.add(row)
        sess.commit()
    assert _send(store, f"ac-{unique}-3", resolved=True) == AlertResult(elsewhere.case_id, True)
    assert support.case_row(store, elsewhere.case_id).status == "received"
    assert _timeline(store, elsewhere.case_id)[-1].type == "alert_grouped"

    with Session(store.engine) as sess:
        before = sess.exec(select(func.count()).select_from(TimelineEntry)).one()
    assert _send(store, f"ac-{unique}-4", resolved=True) == AlertResult(None, False)  # an all-clear for nothing
    assert _cases_with_key(store, f"noise:ac-{unique}-4") == []
    with Session(store.engine) as sess:
        assert sess.exec(select(func.count()).select_from(TimelineEntry)).one() == before


def test_an_alert_follows_its_case_into_the_case_it_was_merged_into(amqp_uri, database_url, unique):
    s, url, store = _center(amqp_uri, database_url, "320613002")
    target, merged = _send(store, f"mg-{unique}-1"), _send(store, f"mg-{unique}-2")
    _to(store, merged.case_id, lifecycle.Merge(target.case_id, merged.case_id))
    assert _send(store, f"mg-{unique}-2") == AlertResult(target.case_id, True)
    assert support.case_row(store, target.case_id).alert_count == 2


def _counts(store) -> tuple[int, int, int]:
    with Session(store.engine) as sess:
        return tuple(sess.exec(select(func.count()).select_from(t)).one() for t in (Case, TimelineEntry, Sensor))


def test_an_unknown_alert_type_stores_nothing(amqp_uri, database_url, unique):
    s, url, store = _center(amqp_uri, database_url, "320613002")
    before = _counts(store)
    with pytest.raises(domain.UnknownAlertType):
        _send(store, f"uk-{unique}", "ufo_sighting")
    assert _counts(store) == before


def test_an_alert_waits_for_a_case_being_opened_with_its_key_and_joins_it(amqp_uri, database_url, unique):
    """Deterministic race: another transaction holds the key's lock and has inserted a case with the key but not
    committed. The new alert finds nothing yet, so it opens a case; taking the key's lock makes it wait, and once
    the other commits it sees that case, rolls back its own and joins."""
    s, url, store = _center(amqp_uri, database_url, "320613002")
    key, now = f"noise:rc-{unique}", store.now()
    conn = store.engine.connect()
    other = Session(bind=conn)
    other.execute(sa.text("SELECT pg_advisory_xact_lock(:space, hashtext(:key))"), {"space": LOCK_SPACE, "key": key})
    other.add(Case(id=f"320613002-race-{unique}", status="received", source="sensor", description="噪声超标",
                   region="320613002", center="320613002", group_key=key, alert_count=1, created_at=now,
                   updated_at=now))
    other.flush()
    raw = conn.connection.dbapi_connection
    committer = os_threading.Thread(target=lambda: (os_time.sleep(1.0), raw.commit()))
    committer.start()  # an OS thread: this one is about to block inside the database driver
    try:
        assert _send(store, f"rc-{unique}") == AlertResult(f"320613002-race-{unique}", True)
    finally:
        committer.join()
        other.close()
        conn.close()
    assert [c.id for c in _cases_with_key(store, key)] == [f"320613002-race-{unique}"]


def test_a_storm_on_sqlite_is_one_case(amqp_uri, unique):
    with tempfile.TemporaryDirectory() as tmp:
        s, url, store = _center(amqp_uri, f"sqlite:///{tmp}/alerts-{{region}}.db", "320613002")
        here = _middle_of_cell("waterlogging", lon=120.9, lat=32.1)
        with ThreadPoolExecutor(8) as pool:
            results = list(pool.map(lambda i: _send(store, f"sq-{unique}-{i % 4}", "waterlogging", location=here),
                                    range(40)))
        assert len({r.case_id for r in results}) == 1 and sum(not r.grouped for r in results) == 1
        assert support.case_row(store, results[0].case_id).alert_count == 40
        store.engine.dispose()


def test_a_silent_device_gets_one_offline_case_per_outage(amqp_uri, database_url, unique):
    with tempfile.NamedTemporaryFile("w", delete=False) as f:
        f.write("0")
    clock = Clock(f.name)

    def move(minutes):
        with open(f.name, "w") as fh:
            fh.write(str(minutes * 60))
        time.sleep(1.1)  # the clock reads its file at most once a second

    s, url, store = _center(amqp_uri, database_url, "320613003", clock)
    device, key = f"od-{unique}", domain.offline_key(f"od-{unique}")
    silence = TYPES.silence_allowed("noise").total_seconds() / 60
    try:
        cfg = support.center_config(replace(s, clock_file=f.name), "320613003")
        with support.running(["intake"], cfg):
            _send(store, device, level="info")  # an info alert opens nothing but tells the device is alive
            assert _send(store, f"{device}-hb", "heartbeat", level="info") == AlertResult(None, False)
            assert _sensor(store, device).kind == "noise" and _sensor(store, f"{device}-hb").kind == "heartbeat"
            assert sweep_heartbeats(store) == 0 and _cases_with_key(store, key) == []

            move(silence + 1)
            offline = support.wait_until(lambda: _cases_with_key(store, key), what="the offline case")[0]
            assert sweep_heartbeats(store) == 0 and sweep_heartbeats(store) == 0
            time.sleep(1.2)  # the service's own sweeps run meanwhile
            assert len(_cases_with_key(store, key)) == 1
            assert (offline.source, offline.category, offline.status) == ("sensor", TYPES.offline.category, "received")
            assert offline.description.startswith(f"感知设备 {device}（噪声超标）") and offline.lon == 121.07
            assert _timeline(store, offline.id)[0].actor == "system:intake"
            sensor = _sensor(store, device)
            assert sensor.offline_case_id == offline.id and sensor.next_due_at is None
            raised = warning.find(store, within="320613003", kind="device_offline").items
            mine = [w for w in raised if w["evidence"]["sensor_id"] == device]
            assert [(w["case_ids"], w["status"]) for w in mine] == [([offline.id], "open")], "one warning, its case"

            late = AlertIn.model_validate({**_alert(store, device, level="info").model_dump(mode="json"),
                                           "observed_at": (store.now() - timedelta(days=1)).isoformat()})
            receive(store, late, actor="sensor:test")  # a message from before the outage does not end it
            assert _sensor(store, device).offline_case_id == offline.id

            assert _send(store, device, "heartbeat", level="info") == AlertResult(None, False)  # back
            case = support.case_row(store, offline.id)
            assert case.status == "rejected" and _timeline(store, offline.id)[-1].data["all_clear"] is True
            sensor = _sensor(store, device)
            assert sensor.offline_case_id is None and sensor.next_due_at > store.now()
            assert sensor.kind == "noise"  # a heartbeat does not change what the device is

            move(2 * silence + 2)  # silent again: a second outage, a second case
            support.wait_until(lambda: len(_cases_with_key(store, key)) == 2, what="the second offline case")
    finally:
        os.unlink(f.name)


def test_a_hazardous_vehicle_storm_is_one_urgent_case_for_emergency_with_police_assisting(amqp_uri, database_url,
                                                                                          unique):
    center = "320671"
    s, url, store = _center(amqp_uri, database_url, center)
    plant = _middle_of_cell("hazmat_vehicle_stop", lon=120.98, lat=31.95)
    with support.running(["triage", "dispatch", "supervision"], support.center_config(s, center)):
        def stop(i):
            spot = {"lon": plant["lon"] + (i % 3 - 1) * 0.0005, "lat": plant["lat"], "address": "已关停的化工厂门口"}
            return _send(store, f"SUF{unique[:5]}-{i % 3}", "hazmat_vehicle_stop",
                         "critical" if i == 17 else "warning", spot)
        with ThreadPoolExecutor(6) as pool:
            results = list(pool.map(stop, range(30)))
        assert len({r.case_id for r in results}) == 1 and sum(not r.grouped for r in results) == 1
        case_id = results[0].case_id
        case = support.wait_until(lambda: (c := support.case_row(store, case_id)).status == "dispatched" and c,
                                  what="dispatched")
        assert case.alert_count == 30 and case.priority == "urgent" and case.category == "1405"
        assert case.unit == f"{center}.emergency" and case.assisting_units == [f"{center}.police"]

        def deadlines():
            with Session(store.engine) as sess:
                row = sess.get(CaseDeadline, case_id)
                return row if row is not None and row.sign_due else None
        row = support.wait_until(deadlines, what="deadlines")
        assert row.sign_due - case.created_at <= timedelta(minutes=16)  # 15 minutes from dispatch
        assert row.resolve_due - case.created_at <= timedelta(hours=3)

        gone = _send(store, f"SUF{unique[:5]}-0", "hazmat_vehicle_stop", "info", plant, resolved=True)
        assert gone == AlertResult(case_id, True)
        assert support.case_row(store, case_id).status == "dispatched"  # people decide, not the vehicle leaving


def test_a_storm_over_http_against_two_gateway_processes_is_one_case(amqp_uri, database_url, unique):
    region, n = "320613004", 200
    first = Center(region, amqp_uri, database_url, services="gateway")
    second = None
    try:
        second = Center(region, amqp_uri, database_url, services="gateway")
        token = first.token("sensor")
        here = {**_middle_of_cell("waterlogging", lon=120.93, lat=32.02), "address": "城北地道"}
        observed = support.now().isoformat()

        def post(i):
            body = {"sensor_id": f"ht-{unique}-{i % 5}", "alert_type": "waterlogging", "location": here,
                    "level": "critical" if i == n // 2 else "warning", "observed_at": observed, "value": 0.3}
            return (first, second)[i % 2].http.post("/api/v1/alerts", headers=token, json=body)
        with ThreadPoolExecutor(24) as pool:
            answers = list(pool.map(post, range(n)))
        assert {r.status_code for r in answers} == {202}, [r.text for r in answers if r.status_code != 202][:3]
        bodies = [r.json() for r in answers]
        assert len({b["case_id"] for b in bodies}) == 1 and sum(not b["grouped"] for b in bodies) == 1
        case_id = bodies[0]["case_id"]
        assert all(r.headers["Location"] == f"/api/v1/cases/{case_id}" for r in answers)

        store = support.store_for(support.settings(amqp_uri, database_url), region)
        case = support.case_row(store, case_id)
        assert case.alert_count == n and case.priority == "urgent"
        assert [e.type for e in _timeline(store, case_id)].count("alert_grouped") == n - 1

        unknown = first.http.post("/api/v1/alerts", headers=token, json={
            "sensor_id": f"ht-{unique}-x", "alert_type": "ufo_sighting", "level": "critical", "location": here,
            "observed_at": observed})
        assert unknown.status_code == 422 and unknown.json()["error"]["code"] == "unknown_alert_type"
        assert _sensor(store, f"ht-{unique}-x") is None

        beat = second.http.post("/api/v1/alerts", headers=token, json={
            "sensor_id": f"ht-{unique}-0", "alert_type": "heartbeat", "level": "info", "location": here,
            "observed_at": observed})
        assert beat.status_code == 202 and beat.json() == {"case_id": None, "grouped": False}
        assert "Location" not in beat.headers
        with Session(store.engine) as sess:
            assert sess.exec(select(func.count()).select_from(Case)).one() == 1
    finally:
        for c in (first, second):
            if c is not None:
                c.stop()
