"""Routing: the rule table, down-routing along the chain, exclusions, and full coverage."""

import pytest

from services.triage.domain.routing import (
    RouteDecision,
    RouteRequest,
    RoutingError,
    RoutingTable,
    load_routing_table,
    parse_rules,
    route,
)
from shared.catalog import TIER_RANK, UnknownCategory, UnknownRegion, load_catalog

CITY, COUNTY, TOWNSHIP, OTHER_TOWNSHIP = "320600", "320612", "320612001", "320612002"


@pytest.fixture(scope="module")
def catalog():
    return load_catalog()


@pytest.fixture(scope="module")
def table():
    return load_routing_table()


def req(center, category, region=TOWNSHIP, priority="normal", source="hotline", **kw) -> RouteRequest:
    return RouteRequest(center=center, category=category, priority=priority, source=source, region=region, **kw)


def test_table_loads_and_validates(table, catalog):
    table.validate(catalog)
    assert table.rules[-1].id == "default" and table.rules[-1].unconditional
    assert len({r.id for r in table.rules}) == len(table.rules)
    assert load_routing_table() is table


def test_rule_id_recorded(catalog):
    d = route(req(CITY, "1405", priority="urgent", source="sensor"), catalog)
    assert d.rule == "hazmat-emergency"
    assert d.center == CITY and d.unit == "320600.emergency"
    assert "320600.police" in d.assisting
    assert "hazmat-emergency" in d.reason and "应急管理局" in d.reason
    assert route(req(TOWNSHIP, "1101"), catalog).rule == "default"


def test_broken_glass_goes_down_city_county_township(catalog):
    # seed scenario 1: 12345 → city → county → township → its 城管 team
    d1 = route(req(CITY, "1406"), catalog)
    assert (d1.center, d1.unit) == (COUNTY, None) and d1.handed_down
    d2 = route(req(d1.center, "1406"), catalog)
    assert (d2.center, d2.unit) == (TOWNSHIP, None)
    d3 = route(req(d2.center, "1406"), catalog)
    assert (d3.center, d3.unit) == (TOWNSHIP, "320612001.chengguan")
    assert "金沙街道城管中队" in d3.reason


def test_down_routing_follows_the_problem_region(catalog):
    assert route(req(COUNTY, "1101", region=OTHER_TOWNSHIP), catalog).center == OTHER_TOWNSHIP
    assert route(req(CITY, "1101", region="320613001"), catalog).center == "320613"


def test_county_category_stops_at_the_county(catalog):
    d = route(req(CITY, "1106"), catalog)  # 水域不洁: a county matter
    assert (d.center, d.unit) == (COUNTY, None)
    d = route(req(COUNTY, "1106"), catalog)
    assert (d.center, d.unit) == (COUNTY, "320612.water")


def test_city_owned_component_stays_with_the_owner(catalog):
    d = route(req(CITY, "0101"), catalog)  # 上水井盖: 先属主 — the city's water company
    assert (d.center, d.unit) == (CITY, "320600.water_supply")


def test_region_is_the_center_itself_handles_here(catalog):
    d = route(req(COUNTY, "1101", region=COUNTY), catalog)
    assert d.center == COUNTY and d.unit is not None
    assert catalog.unit(d.unit).center == COUNTY


def test_region_outside_or_unknown_handles_here(catalog):
    for region in ("320613001", "999999999", ""):
        d = route(req(COUNTY, "1406", region=region), catalog)
        assert d.center == COUNTY and d.unit == "320612.chengguan"


def test_escalated_case_is_not_handed_back_down(catalog):
    d = route(req(COUNTY, "1303", escalated=True), catalog)
    assert (d.center, d.unit) == (COUNTY, "320612.chengguan")
    assert "上报" in d.reason


def test_missing_kind_falls_back(catalog):
    d = route(req(TOWNSHIP, "0101"), catalog)  # township has no water company
    assert d.center == TOWNSHIP and d.unit == "320612001.municipal"
    assert "本级无" in d.reason


def test_exclude_units_honoured(catalog):
    d = route(req(TOWNSHIP, "1406", exclude_units=frozenset({"320612001.chengguan"})), catalog)
    assert d.unit not in (None, "320612001.chengguan")
    assert "退单" in d.reason and "金沙街道城管中队" in d.reason


def test_everyone_returned_it_command_desk_takes_it(catalog):
    everyone = frozenset(u.code for u in catalog.units_of(TOWNSHIP))
    d = route(req(TOWNSHIP, "1406", exclude_units=everyone), catalog)
    assert d.unit == "320612001.command"
    assert "兜底" in d.reason
    some = frozenset({"320612001.chengguan", "320612001.municipal"})
    d = route(req(TOWNSHIP, "1406", exclude_units=some), catalog)
    assert d.unit == "320612001.command" and "兜底" in d.reason


def test_other_goes_to_the_command_desk(catalog):
    d = route(req(CITY, catalog.other_category), catalog)
    assert (d.rule, d.unit) == ("other-to-desk", "320600.command")


def test_conditions_priority_source_tier(catalog):
    d = route(req(CITY, "1402", priority="urgent", source="sensor"), catalog)
    assert (d.rule, d.center) == ("urgent-sensor-here", CITY) and d.unit == "320600.municipal"
    d = route(req(CITY, "1402", priority="urgent", source="hotline"), catalog)
    assert (d.rule, d.center, d.unit) == ("default", COUNTY, None)
    d = route(req(TOWNSHIP, "1504"), catalog)
    assert (d.rule, d.unit) == ("township-parking", "320612001.chengguan")
    assert route(req(COUNTY, "1504", region=COUNTY), catalog).unit == "320612.traffic_police"


def test_custom_table_territory_and_major(catalog):
    table = parse_rules({"rule": [
        {"id": "events-down", "kind": "事件", "tier": ["city"], "handle_at": "territory"},
        {"id": "lamps", "major": ["01"], "unit_kind": "chengguan", "handle_at": "here"},
        {"id": "fallback"},
    ]})
    table.validate(catalog)
    d = route(req(CITY, "1403"), catalog, table)  # a city-tier event, but the rule says 属地
    assert (d.rule, d.center, d.unit) == ("events-down", COUNTY, None)
    d = route(req(CITY, "0109"), catalog, table)
    assert (d.rule, d.unit) == ("lamps", "320600.chengguan")


@pytest.mark.parametrize("bad", [
    {"rule": []},
    {"rule": [{"id": "a", "tier": ["city"]}]},                      # no unconditional default last
    {"rule": [{"id": "a"}, {"id": "a"}]},                           # duplicate id
    {"rule": [{"id": "a", "handle_at": "somewhere"}]},
    {"rule": [{"id": "a", "colour": "red"}, {"id": "b"}]},          # unknown key
    {"rule": [{"id": "a", "categories": []}, {"id": "b"}]},
])
def test_bad_tables_refused(bad):
    with pytest.raises(RoutingError):
        parse_rules(bad)


def test_validate_catches_unknown_codes(catalog):
    with pytest.raises(RoutingError):
        RoutingTable(parse_rules({"rule": [{"id": "a", "categories": ["0000"]}, {"id": "b"}]}).rules).validate(catalog)
    with pytest.raises(RoutingError):
        parse_rules({"rule": [{"id": "a", "unit_kind": "nope"}]}).validate(catalog)


def test_unknown_center_or_category_raise(catalog):
    with pytest.raises(UnknownRegion):
        route(req("999999", "1101"), catalog)
    with pytest.raises(UnknownCategory):
        route(req(CITY, "0000"), catalog)


@pytest.mark.parametrize("center", [CITY, COUNTY, TOWNSHIP])
@pytest.mark.parametrize("source,priority", [("hotline", "normal"), ("grid", "high"), ("sensor", "urgent")])
def test_every_category_routes_somewhere_at_every_tier(catalog, center, source, priority):
    here = catalog.regions.tier(center)
    for code, category in catalog.categories.items():
        for region in (TOWNSHIP, center):
            d = route(req(center, code, region=region, source=source, priority=priority), catalog)
            assert isinstance(d, RouteDecision) and d.rule and d.reason
            if d.unit is None:  # handed one step down the path towards the problem
                assert d.center == catalog.regions.child_towards(center, region)
                assert TIER_RANK[catalog.regions.tier(d.center)] == TIER_RANK[here] + 1
            else:
                unit = catalog.unit(d.unit)
                assert d.center == center and unit.center == center
                assert all(catalog.unit(a).center == center and a != d.unit for a in d.assisting)
        # and, following the hand-downs, it always ends at a unit
        center_now, hops = center, 0
        while True:
            d = route(req(center_now, code, source=source, priority=priority), catalog)
            if d.unit is not None:
                break
            center_now, hops = d.center, hops + 1
            assert hops <= 2
        if category.tier == "township" and d.rule == "default":
            assert center_now == TOWNSHIP


def test_routing_module_is_pure():
    import ast
    import pathlib

    import services.triage.domain as pkg

    banned = {"nameko", "sqlmodel", "sqlalchemy", "httpx", "structlog", "opentelemetry"}
    for path in pathlib.Path(pkg.__file__).parent.glob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names = ([a.name for a in node.names] if isinstance(node, ast.Import)
                     else [node.module or ""] if isinstance(node, ast.ImportFrom) else [])
            assert not {n.split(".")[0] for n in names} & banned, path
