"""12345 updates out, the pure parts: which events the platform hears, the text it reads, Retry-After."""
from datetime import UTC, datetime

from services.feedback.hotline_updates import STATUS_OF, message
from shared.delivery import retry_after

NOW = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)


def test_only_the_changes_the_platform_follows_are_sent_as_its_five_statuses():
    assert set(STATUS_OF.values()) == {"accepted", "dispatched", "returned", "resolved", "closed"}
    for private in ("received", "triaged", "routed", "due_soon", "overdue", "supervised", "visited", "merged"):
        assert private not in STATUS_OF


def test_the_message_names_the_unit_and_the_reason():
    names = {"320612001.chengguan": "金沙街道城管中队"}.get
    assert message("dispatched", {"unit": "320612001.chengguan"}, names) == "已派遣至金沙街道城管中队办理"
    assert message("returned", {"unit": "320612001.chengguan", "reason": "不属于本单位"}, names) == \
        "金沙街道城管中队退回，正在重新派遣（不属于本单位）"
    assert message("closed", {}, names) == "已结案"


def test_retry_after_reads_seconds_or_an_http_date_and_ignores_nonsense():
    assert retry_after("7", NOW) == 7.0
    assert retry_after("Mon, 23 Nov 2026 09:00:30 GMT", NOW) == 30.0
    assert retry_after("Mon, 23 Nov 2026 08:00:00 GMT", NOW) == 0.0
    assert retry_after("soon", NOW) is None and retry_after(None, NOW) is None
