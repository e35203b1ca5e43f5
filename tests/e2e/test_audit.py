"""The audit chain through the real PostgreSQL, HTTP and the `yiwang` command (QUALITY.md S4, CONTRACTS.md §8):
every case action over HTTP and every token created or revoked (over HTTP and offline) is in GET /api/v1/audit with
its actor and reason; `yiwang audit verify` exits 0 on a whole chain and 1 naming the first entry that was edited,
deleted, inserted or reordered in the database; a township's county holds the township's chain head, and a chain cut
short after the county witnessed it is caught."""
import os
import subprocess
import sys
import time
from datetime import UTC, datetime, timedelta

import pytest
import sqlalchemy as sa
from sqlmodel import Session

from app.runner import prepare_database
from services.audit import api as audit
from services.audit.domain import chain
from services.gateway.api import create_token
from shared.config import Settings
from shared.store.db import make_engine
from tests.e2e.test_center_http import ADMIN, Center, auth
from tests.support import somewhere

COUNTY, TOWN = "320685", "320685100"   # 海安市 and a township of it: no other test runs these centers
WORN = {"description": "海安街道中坝路井盖破损，夜里很危险", "category": "0107", "region": TOWN}


def yiwang(database_url, *args):
    return subprocess.run([sys.executable, "-m", "app.cli", *args], capture_output=True, text=True, timeout=120,
                          env={**os.environ, "YIWANG_DATABASE_URL": database_url, "YIWANG_LOG_LEVEL": "WARNING"})


def until(fn, timeout=30, what="condition"):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = fn()
        if value:
            return value
        time.sleep(0.2)
    raise AssertionError(f"{what} not reached in {timeout}s")


@pytest.fixture(scope="module")
def chain_of_two(amqp_uri, database_url):
    """The county, then its township, which publishes its head every second."""
    county = Center(COUNTY, amqp_uri, database_url)
    town = Center(TOWN, amqp_uri, database_url, extra_env={"YIWANG_AUDIT_HEAD_SECONDS": "1"})
    yield county, town
    for c in (town, county):
        assert c.stop() == 0, c.tail()


def case_state(center, headers, case_id, status):
    r = center.http.get(f"/api/v1/cases/{case_id}", headers=headers)
    return r.json() if r.status_code == 200 and r.json()["status"] == status else None


def reported(center, grid, dispatcher):
    r = center.http.post("/api/v1/reports", headers=grid, json={**WORN, "location": somewhere(120.46, 32.54)})
    assert r.status_code == 202, r.text
    case_id = r.json()["case_id"]
    return until(lambda: case_state(center, dispatcher, case_id, "dispatched"), what=f"{case_id} dispatched")


def act(center, headers, case_id, action, body):
    r = center.http.post(f"/api/v1/cases/{case_id}/{action}", headers=headers, json=body)
    assert r.status_code == 200, r.text


def audit_log(center, headers=None, **params):
    r = center.http.get("/api/v1/audit", headers=headers or auth(ADMIN), params={"page_size": 100, **params})
    assert r.status_code == 200, r.text
    return r.json()


def test_every_case_action_and_token_change_is_in_the_audit_log_with_its_actor_and_reason(chain_of_two,
                                                                                            database_url):
    _, town = chain_of_two
    started = datetime.now(UTC) - timedelta(seconds=1)
    grid, dispatcher = town.token("gridworker"), town.token("dispatcher")
    fixed = reported(town, grid, dispatcher)
    handler = town.token("handler", unit=fixed["unit"])
    act(town, handler, fixed["id"], "accept", {"note": "收到，马上去"})
    act(town, handler, fixed["id"], "resolve", {"note": "已更换井盖"})
    act(town, grid, fixed["id"], "verify", {"passed": True, "note": "现场已修好"})
    wrong = reported(town, grid, dispatcher)
    act(town, dispatcher, wrong["id"], "supervise", {"note": "请今天处理"})
    act(town, handler, wrong["id"], "return", {"reason": "非本单位职责", "reason_code": "not_ours",
                                               "basis": "权责清单第1条"})
    act(town, dispatcher, wrong["id"], "review-return", {"approved": True, "note": "派错了"})
    made = town.http.post("/api/v1/tokens", headers=auth(ADMIN),
                          json={"role": "viewer", "region": TOWN, "name": "临时查看"}).json()
    assert town.http.delete(f"/api/v1/tokens/{made['id']}", headers=auth(ADMIN)).status_code == 200
    offline = yiwang(database_url, "token", "create", "--region", TOWN, "--role", "viewer", "--name", "命令行查看")
    assert offline.returncode == 0, offline.stderr

    log = audit_log(town, **{"from": started.isoformat()})
    items = log["items"]
    assert log["total"] == len(items) and log["head"]["seq"] >= items[-1]["seq"]
    done = {(i["action"], i["subject"].get("case_id")): i for i in items}
    expected = [("case.received", fixed["id"], "gridworker:e2e-gridworker", None),
                ("case.accepted", fixed["id"], "handler:e2e-handler", "收到，马上去"),
                ("case.resolved", fixed["id"], "handler:e2e-handler", "已更换井盖"),
                ("case.verified", fixed["id"], "gridworker:e2e-gridworker", "现场已修好"),
                ("case.supervised", wrong["id"], "dispatcher:e2e-dispatcher", "请今天处理"),
                ("case.returned", wrong["id"], "handler:e2e-handler", "非本单位职责"),
                ("case.return_reviewed", wrong["id"], "dispatcher:e2e-dispatcher", "派错了")]
    for action, case_id, actor, reason in expected:
        entry = done.get((action, case_id))
        assert entry is not None, f"{action} of {case_id} not in the audit log: {sorted(done)}"
        assert (entry["actor"], entry["reason"], entry["center"]) == (actor, reason, TOWN), entry
        assert entry["subject"]["event_id"] and len(entry["hash"]) == 64
    tokens = [i for i in items if i["action"].startswith("token.")]
    assert {"handler", "gridworker", "dispatcher"} <= {t["subject"]["role"] for t in tokens if
                                                       t["action"] == "token.created"}
    created = [t for t in tokens if t["subject"]["token_id"] == made["id"]]
    assert [(t["action"], t["actor"]) for t in created] == [("token.created", "admin:bootstrap-admin"),
                                                            ("token.revoked", "admin:bootstrap-admin")]
    assert any(t["action"] == "token.created" and t["subject"]["name"] == "命令行查看" and t["actor"].startswith("cli:")
               for t in tokens), "the offline token is in the chain too"
    assert not any(made["token"] in str(t) for t in tokens), "never the secret"
    for before, after in zip(items, items[1:], strict=False):  # consecutive entries link
        if after["seq"] == before["seq"] + 1:
            assert after["prev_hash"] == before["hash"]
    assert town.http.get("/api/v1/audit", headers=dispatcher).status_code == 403


def test_the_county_holds_the_townships_chain_head_and_verify_checks_against_it(chain_of_two, database_url):
    county, town = chain_of_two
    town.token("viewer")  # one more entry, so the head moves
    county_db = make_engine(database_url.replace("{region}", COUNTY), pool_size=1)
    town_db = make_engine(database_url.replace("{region}", TOWN), pool_size=1)
    try:
        def held():  # both read together: the township's head may move again right after
            head, witnessed = audit.head(town_db), audit.latest_witnessed(county_db, TOWN)
            return (head, witnessed) if witnessed is not None and head.seq > 0 and witnessed.seq == head.seq else None
        head, witnessed = until(held, timeout=30, what="the county holding the township's head")
        assert witnessed.hash == head.hash
    finally:
        county_db.dispose()
        town_db.dispose()
    checked = yiwang(database_url, "audit", "verify", "--region", TOWN)
    assert checked.returncode == 0, checked.stdout + checked.stderr
    assert f"witness: the parent {COUNTY} holds" in checked.stdout and "entries, head" in checked.stdout


# ---- tampering with the database --------------------------------------------------------------------------------
def whole_chain(database_url, region, entries=8) -> sa.Engine:
    """A center's database with a chain of `entries` token creations, made as `yiwang token create` makes them."""
    settings = Settings(database_url=database_url)
    url = prepare_database(region, settings)
    engine = make_engine(url, pool_size=2)
    for n in range(entries):
        create_token(lambda: Session(engine), role="viewer", region=region, name=f"查看{n}", unit=None,
                     now=datetime.now(UTC), actor="cli:e2e", center=region)
    audit.link(engine)
    assert audit.head(engine).seq == entries
    return engine


def run_sql(engine, *statements, **params):
    with engine.begin() as conn:
        for s in statements:
            conn.execute(sa.text(s), params)


def edit(engine):
    run_sql(engine, "UPDATE audit_entry SET reason = '无' WHERE seq = 5")


def delete(engine):
    run_sql(engine, "DELETE FROM audit_entry WHERE seq = 5")


def insert(engine):
    """A careful forger: room made at 5, and an entry there whose hashes fit the entry before it."""
    with engine.connect() as conn:
        before = conn.execute(sa.text("SELECT hash FROM audit_entry WHERE seq = 4")).scalar_one()
    forged = chain.Facts(center="x", at=datetime.now(UTC), actor="admin:冒名", reason=None, action="token.revoked",
                         subject={"token_id": 1})
    run_sql(engine, "UPDATE audit_entry SET seq = -seq - 1 WHERE seq >= 5",
            "UPDATE audit_entry SET seq = -seq WHERE seq < 0")
    run_sql(engine, "INSERT INTO audit_entry (seq, prev_hash, hash, center, at, actor, reason, action, subject, "
                    "written_at) VALUES (5, :prev, :hash, 'x', :at, 'admin:冒名', NULL, 'token.revoked', "
                    "'{\"token_id\": 1}', :at)",
            prev=before, hash=chain.chain_hash(before, forged), at=forged.at)


def reorder(engine):
    run_sql(engine, "UPDATE audit_entry SET seq = -1 WHERE seq = 5", "UPDATE audit_entry SET seq = 5 WHERE seq = 6",
            "UPDATE audit_entry SET seq = 6 WHERE seq = -1")


@pytest.mark.parametrize(("region", "tamper", "kind"), [
    ("320685101", edit, "edited"), ("320685102", delete, "deleted"), ("320685103", insert, "inserted"),
    ("320685105", reorder, "reordered")], ids=["edited", "deleted", "inserted", "reordered"])
def test_verify_names_the_first_entry_tampered_with(database_url, region, tamper, kind):
    engine = whole_chain(database_url, region)
    try:
        whole = yiwang(database_url, "audit", "verify", "--region", region)
        assert whole.returncode == 0, whole.stdout + whole.stderr
        assert f"8 entries, head 8 {audit.head(engine).hash}" in whole.stdout
        tamper(engine)
    finally:
        engine.dispose()
    found = yiwang(database_url, "audit", "verify", "--region", region)
    assert found.returncode == 1, found.stdout + found.stderr
    assert f"{kind}: entry 5:" in found.stdout, found.stdout


def test_a_chain_cut_short_after_its_parent_witnessed_it_is_caught(database_url):
    region = "320685107"
    engine = whole_chain(database_url, region)
    county = make_engine(prepare_database(COUNTY, Settings(database_url=database_url)), pool_size=1)
    try:
        head = audit.head(engine)
        run_sql(county, "INSERT INTO audit_witness (center, seq, hash, at, first_seen_at, last_seen_at) "
                        "VALUES (:c, :s, :h, :t, :t, :t)", c=region, s=head.seq, h=head.hash, t=datetime.now(UTC))
        run_sql(engine, "DELETE FROM audit_entry WHERE seq >= 7")  # the last two, where nothing links to them
        alone = yiwang(database_url, "audit", "verify", "--region", region, "--no-witness")
        assert alone.returncode == 0, "the chain alone cannot tell its tail was cut"
        found = yiwang(database_url, "audit", "verify", "--region", region)
        assert found.returncode == 1 and "deleted: entry 7:" in found.stdout, found.stdout + found.stderr
    finally:
        engine.dispose()
        county.dispose()
