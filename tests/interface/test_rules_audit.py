"""A change of rules is an audited event (CONTRACTS.md section 8): each start notes in the audit chain the rules files
that differ from what the chain last recorded, and nothing when they are the same."""
import sqlalchemy as sa

from services.audit import api as audit
from shared.store.db import make_engine
from tests import support

CENTER = "320613018"


def _rule_entries(engine) -> list[dict]:
    with engine.connect() as conn:
        return [row.subject for row in conn.execute(sa.text(
            "SELECT subject FROM audit_entry WHERE action = 'rules.changed' ORDER BY id"))]


def test_a_start_notes_the_rules_it_runs_on_once_and_a_changed_file_again(amqp_uri, database_url, tmp_path,
                                                                            monkeypatch):
    s = support.settings(amqp_uri, database_url)
    engine = make_engine(support.prepared(s, CENTER), pool_size=1)
    try:
        first = _rule_entries(engine)
        names = {e["file"] for e in first}
        assert {"services/dispatch/data/workflow.toml", "shared/catalog/data/categories.toml"} <= names
        assert all(e["previous"] is None and len(e["sha256"]) == 64 for e in first)

        support.prepared(s, CENTER)  # the same rules: nothing new
        assert _rule_entries(engine) == first

        from services.dispatch.domain.workflow import DATA_FILE
        changed = tmp_path / "workflow.toml"
        changed.write_text(DATA_FILE.read_text(encoding="utf-8") + "\n# 本中心调整: 复核时限不变\n", encoding="utf-8")
        monkeypatch.setenv("YIWANG_WORKFLOW_FILE", str(changed))
        support.prepared(s, CENTER)
        after = _rule_entries(engine)
        assert len(after) == len(first) + 1
        was = next(e for e in first if e["file"] == "services/dispatch/data/workflow.toml")
        assert after[-1]["file"] == "services/dispatch/data/workflow.toml"
        assert after[-1]["previous"] == was["sha256"] != after[-1]["sha256"]
        audit.link(engine)
        verdict = audit.verify_chain(engine)
        assert verdict.finding is None and verdict.count == len(after), verdict
    finally:
        engine.dispose()
