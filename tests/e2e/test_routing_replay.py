"""`yiwang routing replay` (issue 11 item 9): the past cases of a center that a changed routing table would route
elsewhere, and where — from the center's real database, which it leaves exactly as it was."""
import os
import subprocess
import sys
import tomllib
import uuid
from datetime import datetime

import pytest
import sqlalchemy as sa
from sqlmodel import Session

from app.runner import prepare_database
from services.triage.domain.replay import Step, first_routing, replay
from services.triage.domain.routing import DEFAULT_RULES, RouteRequest, parse_rules, route
from shared.catalog import load_catalog
from shared.clock import CHINA
from shared.config import Settings
from shared.store.db import make_engine
from shared.store.tables import Case, TimelineEntry

TOWN, COUNTY = "320612001", "320612"


def _rules_without(rule_id: str) -> str:
    """The packaged routing table without one rule, as TOML."""
    text = DEFAULT_RULES.read_text(encoding="utf-8")
    blocks = text.split("[[rule]]")
    kept = [b for b in blocks[1:] if f'id = "{rule_id}"' not in b]
    assert len(kept) == len(blocks) - 2
    return blocks[0] + "".join("[[rule]]" + b for b in kept)


def _yiwang(database_url, *args):
    env = {**os.environ, "YIWANG_DATABASE_URL": database_url, "YIWANG_LOG_LEVEL": "WARNING"}
    return subprocess.run([sys.executable, "-m", "app.cli", *args], capture_output=True, text=True, timeout=120,
                          env=env)


def _fingerprint(engine) -> dict[str, str]:
    """Every table of the database, as a hash of all its rows."""
    with engine.connect() as conn:
        tables = conn.execute(sa.text("SELECT tablename FROM pg_tables WHERE schemaname = 'public'")).scalars().all()
        return {t: conn.execute(sa.text(f'SELECT count(*)::text || md5(coalesce(string_agg(x::text, \'|\' '
                                        f'ORDER BY x::text), \'\')) FROM "{t}" x')).scalar_one() for t in tables}


@pytest.fixture(scope="module")
def township_db(database_url):
    """The township's database with cases routed by the live routing table, as triage records them."""
    url = prepare_database(TOWN, Settings(database_url=database_url))
    engine = make_engine(url, pool_size=1)
    catalog = load_catalog()
    tag = uuid.uuid4().hex[:6]
    cases = {}

    def add(session, name, category, day, source="grid"):
        cid = f"{TOWN}-{day.replace('-', '')}-{tag}{name}"
        at = datetime.fromisoformat(f"{day}T10:00").replace(tzinfo=CHINA)
        d = route(RouteRequest(TOWN, category, "normal", source, TOWN), catalog)
        session.add(Case(id=cid, status="dispatched", source=source, description=f"replay {name}", category=category,
                         region=TOWN, center=TOWN, unit=d.unit, created_at=at, updated_at=at, triage_rule=d.rule))
        for minute, type_, data in ((0, "received", {}),
                                    (1, "triaged", {"category": category, "priority": "normal", "unit": d.unit,
                                                    "rule": d.rule}),
                                    (2, "dispatched", {"unit": d.unit})):
            session.add(TimelineEntry(event_id=str(uuid.uuid4()), case_id=cid, at=at.replace(minute=minute),
                                      type=type_, center=TOWN, actor="system:triage", unit=d.unit,
                                      note=d.reason if type_ == "triaged" else None, data=data))
        cases[name] = cid

    with Session(engine) as session:
        add(session, "parking", "1504", "2026-10-15")  # rule township-parking → 城管中队
        add(session, "noise", "1301", "2026-10-16")  # rule default → 城管中队, whatever the change
        add(session, "later", "1504", "2026-11-02")  # outside the days replayed
        session.commit()
    yield url, engine, cases
    engine.dispose()


def test_replay_lists_the_cases_a_changed_table_would_route_elsewhere_and_changes_nothing(township_db, database_url,
                                                                                          tmp_path):
    url, engine, cases = township_db
    rules = tmp_path / "routing.toml"
    rules.write_text(_rules_without("township-parking"), encoding="utf-8")
    before = _fingerprint(engine)
    r = _yiwang(database_url, "routing", "replay", "--region", TOWN, "--rules", str(rules),
                "--from", "2026-10-01", "--to", "2026-10-31")
    assert r.returncode == 0, r.stderr
    lines = r.stdout.splitlines()
    moved = [x for x in lines if cases["parking"] in x]
    assert len(moved) == 1, r.stdout
    assert f"{TOWN}.chengguan → {TOWN}.police" in moved[0] and "township-parking → default" in moved[0]
    assert cases["noise"] not in r.stdout and cases["later"] not in r.stdout
    assert "1 of 2 case(s) would be routed elsewhere" in lines[-1]
    assert _fingerprint(engine) == before, "the replay changed the database"


def test_the_live_table_itself_routes_nothing_elsewhere(township_db, database_url):
    url, engine, cases = township_db
    r = _yiwang(database_url, "routing", "replay", "--region", TOWN, "--rules", str(DEFAULT_RULES),
                "--from", "2026-10-01", "--to", "2026-11-02")  # this module's days: the session's other tests add
    # cases to this township's database now (days later), which routed under conditions a replay does not see
    assert r.returncode == 0, r.stderr
    assert "0 of 3 case(s) would be routed elsewhere" in r.stdout


@pytest.mark.parametrize("content, says", [
    ("[[rule]\nid = 'x'", "bad routing rules"),
    ('[[rule]]\nid = "a"\nunit_kind = "wizards"\n[[rule]]\nid = "default"\n', "rule a: unknown unit kind 'wizards'"),
    ('[[rule]]\nid = "a"\ncategories = ["1504"]\n', "must have no conditions"),
])
def test_a_bad_rules_file_is_one_clear_line(township_db, database_url, tmp_path, content, says):
    rules = tmp_path / "bad.toml"
    rules.write_text(content, encoding="utf-8")
    r = _yiwang(database_url, "routing", "replay", "--region", TOWN, "--rules", str(rules),
                "--from", "2026-10-01", "--to", "2026-10-31")
    lines = [x for x in r.stderr.splitlines() if x.strip()]
    assert r.returncode == 2 and len(lines) == 1 and says in lines[0] and str(rules) in lines[0], r.stderr
    assert "Traceback" not in r.stderr


def test_a_missing_rules_file_and_bad_dates_are_refused(township_db, database_url, tmp_path):
    r = _yiwang(database_url, "routing", "replay", "--region", TOWN, "--rules", str(tmp_path / "none.toml"),
                "--from", "2026-10-01", "--to", "2026-10-31")
    assert r.returncode == 2 and "cannot read routing rules" in r.stderr
    r = _yiwang(database_url, "routing", "replay", "--region", TOWN, "--rules", str(DEFAULT_RULES),
                "--from", "2026-13-01", "--to", "2026-10-31")
    assert r.returncode == 2 and "--from '2026-13-01' is not a date" in r.stderr


def test_the_first_routing_is_read_back_with_what_routing_saw_then():
    """Pure: a case handed down by the county, escalated back up, then routed there — replayed as routing saw it."""
    catalog = load_catalog()
    at = datetime(2026, 10, 15, 10, tzinfo=CHINA)
    steps = [Step(at, "received", COUNTY, None, {}),
             Step(at, "escalated", TOWN, None, {"from_center": TOWN, "to_center": COUNTY}),
             Step(at, "triaged", COUNTY, f"{COUNTY}.chengguan",
                  {"category": "1301", "priority": "normal", "unit": f"{COUNTY}.chengguan", "rule": "default"})]
    past = first_routing("X", "grid", TOWN, COUNTY, steps)
    assert past is not None and past.request.escalated and past.unit == f"{COUNTY}.chengguan"
    doc = tomllib.loads(DEFAULT_RULES.read_text(encoding="utf-8"))
    doc["rule"].insert(0, {"id": "noise-down", "categories": ["1301"], "handle_at": "territory"})
    (same,) = replay([past], catalog, parse_rules(doc))
    assert not same.differs, "an escalated case is handled where it came up to, whatever the table"
    down = first_routing("Y", "grid", TOWN, COUNTY, steps[:1] + steps[2:])
    assert down is not None and not down.request.escalated
    (moved,) = replay([down], catalog, parse_rules(doc))
    assert moved.differs and moved.where() == f"center {TOWN}" and moved.past.where() == f"{COUNTY}.chengguan"
    routed = [Step(at, "routed", COUNTY, None, {"to_center": TOWN, "category": "1101", "priority": "normal",
                                                "rule": "default"})]
    down_past = first_routing("Z", "hotline", TOWN, COUNTY, routed)
    assert down_past is not None and down_past.where() == f"center {TOWN}"
    assert first_routing("W", "grid", TOWN, COUNTY, [Step(at, "triaged", COUNTY, "u", {
        "category": "1301", "rule": "final-owner", "unit": "u"})]) is None, "兜底 is not the table's"
