"""`yiwang escalation dry-run --case ID --region CODE [--at ISO]`: for the case's current stage, each step of its
escalation chain — when it fires or fired, the level, who would be told on which channel — read from the center's
database (here a SQLite file), changing nothing."""
from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from sqlmodel import Session, func, select

from app.cli import main
from app.migrate import migrate
from services.dispatch import handlers as dispatch
from services.intake.handlers import submit_report
from services.supervision import handlers as supervision
from services.supervision.adapters.tables import CaseDeadline
from services.triage import handlers as triage
from shared.contracts.api import ReportIn
from shared.extensions.database import CenterStore
from shared.store.tables import Outbox, TimelineEntry
from tests.unit.memory import Bus
from tests.unit.test_escalation import SetClock

CN = ZoneInfo("Asia/Shanghai")
TOWN = "320612001"


def _center(tmp_path, monkeypatch):
    monkeypatch.setenv("YIWANG_DATABASE_URL", f"sqlite:///{tmp_path}/{{region}}.db")
    # main() configures logging onto this test's captured stdout; keep it from outliving the test
    monkeypatch.setattr("shared.observability.configure_logging", lambda *args, **kwargs: None)
    engine = sa.create_engine(f"sqlite:///{tmp_path}/{TOWN}.db")
    migrate(engine)
    clock = SetClock(datetime(2026, 11, 23, 9, 0, tzinfo=CN))  # a Monday
    store = CenterStore(engine, TOWN, "test", clock, relay=None)
    bus = Bus(store)
    report = ReportIn.model_validate({"description": "雨水箅子缺失", "category": "0104", "region": TOWN,
                                      "location": {"lon": 121.07, "lat": 32.08}})
    case_id = submit_report(store, report, source="grid", actor="gridworker:李").case_id
    bus.deliver("received", triage.route_case)
    bus.deliver("triaged", dispatch.dispatch_case)
    bus.deliver("dispatched", supervision.track)
    return store, clock, case_id


def _counts(store, case_id: str) -> tuple:
    with Session(store.engine) as s:
        row = s.get(CaseDeadline, case_id)
        return (s.exec(select(func.count()).select_from(Outbox)).one(),
                s.exec(select(func.count()).select_from(TimelineEntry)).one(), list(row.warned), row.next_check_at)


def test_the_dry_run_lists_each_step_with_its_time_state_people_and_channels(tmp_path, monkeypatch, capsys):
    store, clock, case_id = _center(tmp_path, monkeypatch)
    clock.at = datetime(2026, 11, 23, 10, 0, tzinfo=CN)  # sign-for due 10:00: the sweep emits 催办
    supervision.sweep(store)
    before = _counts(store, case_id)
    capsys.readouterr()  # the handlers' log lines so far
    assert main(["escalation", "dry-run", "--case", case_id, "--region", TOWN, "--at", "2026-11-23T10:40"]) == 0
    out = capsys.readouterr().out
    assert _counts(store, case_id) == before, "a dry run changes nothing"
    lines = [line for line in out.splitlines() if "[info" not in line]
    assert f"case {case_id} at {TOWN} (normal), as of 2026-11-23 10:40" in lines[0]
    assert "stage sign: started 2026-11-23 09:00, due 2026-11-23 10:00, light red" in lines[1]
    steps = [line.split("\t") for line in lines if line.startswith("  ") and "\t" in line]
    assert steps == [["  催办", "2026-11-23 10:00", "fired"],
                     ["  督办", "2026-11-23 10:30", "due now (the next sweep)"],
                     ["  挂牌督办", "2026-11-23 10:45", "will fire"],
                     ["  提级", "2026-11-23 11:00", "will fire"]]
    assert "tell the parent center 320612, the leader of 320612001." in out and "by in_app, webhook, sms" in out
    assert "tell the handlers of 320612001." in out and "by in_app\n" in out


def test_the_dry_run_of_an_unknown_case_says_so(tmp_path, monkeypatch, capsys):
    _center(tmp_path, monkeypatch)
    assert main(["escalation", "dry-run", "--case", "NOPE", "--region", TOWN]) == 1
    assert "has no case NOPE" in capsys.readouterr().err
