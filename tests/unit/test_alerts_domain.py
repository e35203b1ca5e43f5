"""Sensor alerts, pure: the data, grouping cells and keys, decisions, heartbeat times."""
import math
from datetime import UTC, datetime, timedelta

import pytest

from services.gateway.errors import to_api_error
from services.intake.domain import alerts as d
from services.triage.domain.routing import RouteRequest, route
from shared.catalog import load_catalog
from shared.geo import distance_m

TYPES = d.sensor_types()
T0 = datetime(2026, 11, 22, 9, 0, tzinfo=UTC)


def test_every_alert_type_names_a_catalog_category_and_a_priority_per_level():
    catalog = load_catalog()
    assert d.HEARTBEAT in TYPES.types and TYPES.grace >= 1
    for t in TYPES.types.values():
        assert set(t.levels) == set(d.LEVELS) and t.heartbeat > timedelta(0)
        if t.code != d.HEARTBEAT:
            catalog.category(t.category)
            assert t.group in d.GROUPS and (t.group == "cell") == (t.cell_m is not None)
    assert catalog.category(TYPES.offline.category).name == "感知设备离线"


def test_a_hazardous_vehicle_alert_is_urgent_and_routed_to_emergency_with_police_assisting():
    t = TYPES.get("hazmat_vehicle_stop")
    assert t.priority("warning") == "urgent" and not t.all_clear_resolves
    catalog = load_catalog()
    assert catalog.category(t.category).deadlines["sign"].amount <= 15  # 15 minutes to sign for it
    decision = route(RouteRequest(center="320671", category=t.category, priority="urgent", source="sensor",
                                  region="320671"), catalog)
    assert decision.unit == "320671.emergency" and decision.assisting == ("320671.police",)


def test_an_unknown_alert_type_is_a_422_naming_the_known_ones():
    with pytest.raises(d.UnknownAlertType) as caught:
        TYPES.get("ufo_sighting")
    err = to_api_error(caught.value)
    assert (err.status, err.code) == (422, "unknown_alert_type")
    assert "ufo_sighting" in err.message and "waterlogging" in err.message


def test_bad_data_is_refused_with_the_reason():
    good = {"grace": 2, "levels": {"info": "normal", "warning": "high", "critical": "urgent"},
            "offline": {"category": "1603", "priority": "normal", "all_clear_resolves": True},
            "types": {"heartbeat": {"name": "心跳", "heartbeat_minutes": 5}}}
    assert d.parse(good).silence_allowed("anything") == timedelta(minutes=10)
    for bad, words in [
        ({"x": {"name": "x", "category": "1402", "group": "cell", "heartbeat_minutes": 5}}, "cell_m"),
        ({"x": {"name": "x", "category": "1402", "group": "area", "heartbeat_minutes": 5}}, "group"),
        ({"x": {"name": "x", "category": "1402", "group": "sensor", "heartbeat_minutes": 5,
                "levels": {"info": "low"}}}, "levels"),
    ]:
        with pytest.raises(ValueError, match=words):
            d.parse({**good, "types": {**good["types"], **bad}})


# ---- grouping ------------------------------------------------------------------------------------
def _edges(lon, lat, metres):
    """The south and west edges of the cell that holds the point."""
    row, col = d.cell_of(lon, lat, metres)
    dlat = metres / d.METRES_PER_DEGREE
    dlon = dlat / math.cos(math.radians((row + 0.5) * dlat))
    return row * dlat, col * dlon, dlat, dlon


def test_cells_are_about_the_configured_size_and_split_exactly_at_their_edges():
    lon, lat, metres = 120.8612, 32.0123, 500
    south, west, dlat, dlon = _edges(lon, lat, metres)
    assert distance_m(west, south, west, south + dlat) == pytest.approx(metres, rel=0.01)
    assert distance_m(west, south + dlat / 2, west + dlon, south + dlat / 2) == pytest.approx(metres, rel=0.01)
    inside = d.cell_of(lon, lat, metres)
    eps = 1e-6  # about 10 cm
    assert d.cell_of(west + eps, south + eps, metres) == inside
    assert d.cell_of(west + dlon - eps, south + dlat - eps, metres) == inside
    assert d.cell_of(west - eps, south + eps, metres) == (inside[0], inside[1] - 1)       # just west
    assert d.cell_of(west + eps, south - eps, metres)[0] == inside[0] - 1                  # just south
    assert d.cell_of(west + eps, south + dlat + eps, metres)[0] == inside[0] + 1           # just north
    assert d.cell_of(west + dlon + eps, south + eps, metres) == (inside[0], inside[1] + 1)  # just east


def test_group_keys_are_per_device_or_per_cell_as_the_data_says():
    water, gas = TYPES.get("waterlogging"), TYPES.get("combustible_gas")
    south, west, dlat, dlon = _edges(120.86, 32.01, water.cell_m)
    mid_lon, mid_lat = west + dlon / 2, south + dlat / 2
    a = d.group_key(water, "wl-1", mid_lon, mid_lat)
    assert a.startswith("waterlogging:300m:")
    assert d.group_key(water, "wl-2", mid_lon + dlon / 3, mid_lat - dlat / 3) == a   # another gauge, same cell
    assert d.group_key(water, "wl-1", mid_lon + dlon, mid_lat) != a                   # the next cell east
    assert d.group_key(gas, "gas-7", mid_lon, mid_lat) == "combustible_gas:gas-7"
    assert d.group_key(gas, "gas-8", mid_lon, mid_lat) != d.group_key(gas, "gas-7", mid_lon, mid_lat)
    longest = d.group_key(gas, "s" * 64, 120.0, 32.0)
    assert len(max(longest, d.offline_key("s" * 64), key=len)) <= 120  # Case.group_key is 120 characters


def test_priority_follows_the_level_and_only_ever_rises():
    water = TYPES.get("waterlogging")
    assert [water.priority(lv) for lv in d.LEVELS] == ["normal", "high", "urgent"]
    assert d.higher("high", "urgent") == "urgent" and d.higher("urgent", "normal") == "urgent"
    assert d.higher("normal", "normal") == "normal"


# ---- decisions -----------------------------------------------------------------------------------
@pytest.mark.parametrize("code,level,resolved,owner,expected", [
    ("waterlogging", "warning", False, None, d.OPEN),
    ("waterlogging", "info", False, None, d.IGNORE),        # information alone opens nothing
    ("waterlogging", "info", False, "320612001", d.JOIN),
    ("waterlogging", "critical", False, "320612", d.JOIN),  # joins a case owned elsewhere too
    ("waterlogging", "info", True, "320612001", d.CLEAR),
    ("waterlogging", "info", True, "320612", d.NOTE),       # not ours to end
    ("waterlogging", "info", True, None, d.IGNORE),         # all-clear for nothing
    ("hazmat_vehicle_stop", "info", True, "320612001", d.NOTE),  # the data forbids ending it
])
def test_decide(code, level, resolved, owner, expected):
    assert d.decide(TYPES.get(code), level, resolved, owner, "320612001") == expected


def test_joinable_statuses_are_exactly_those_an_all_clear_may_end():
    from shared import lifecycle
    assert d.JOINABLE == lifecycle.ALLOWED[lifecycle.Clear]


# ---- heartbeats ----------------------------------------------------------------------------------
def test_a_device_is_due_after_grace_times_its_interval_and_never_seen_in_the_future():
    assert TYPES.silence_allowed("waterlogging") == timedelta(minutes=15) * TYPES.grace
    assert TYPES.silence_allowed("unknown-kind") == TYPES.silence_allowed(d.HEARTBEAT)
    assert d.seen_at(T0 - timedelta(minutes=1), T0) == T0 - timedelta(minutes=1)
    assert d.seen_at(T0 + timedelta(days=1), T0) == T0


def test_descriptions_say_what_and_where_from():
    water = TYPES.get("waterlogging")
    assert d.describe(water, "wl-1", "critical", 0.35, 0.2) == "道路积水超警（传感器 wl-1，严重告警）：监测值 0.35，阈值 0.2"
    assert d.describe(water, "wl-1", "warning", None, None) == "道路积水超警（传感器 wl-1，预警）"
    text = d.describe_offline("wl-1", water, T0, timedelta(minutes=45))
    assert text.startswith("感知设备 wl-1（道路积水超警）自 2026-11-22 17:00 起超过 45 分钟未上报")
    assert "（" not in d.describe_offline("hb-1", TYPES.get(d.HEARTBEAT), T0, timedelta(minutes=30))
