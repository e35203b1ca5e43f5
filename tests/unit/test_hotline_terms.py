"""12345 orders: kind and urgency → priority and deadline caps, as data."""
from datetime import datetime

from services.intake.domain.hotline import kind_name, terms
from shared.calendar import default_calendar
from shared.clock import CHINA

MONDAY_9 = datetime(2026, 11, 23, 9, 0, tzinfo=CHINA)


def test_a_consultation_is_answered_within_three_working_days_and_others_within_five():
    cal = default_calendar()
    consult = terms("consult", False, MONDAY_9, None, cal)
    complaint = terms("complaint", False, MONDAY_9, None, cal)
    assert consult.priority == complaint.priority == "normal" and "sign" not in consult.caps
    assert datetime.fromisoformat(consult.caps["resolve_by"]) == cal.add(MONDAY_9, 3, "working_days")
    assert datetime.fromisoformat(complaint.caps["resolve_by"]) == cal.add(MONDAY_9, 5, "working_days")
    assert kind_name("complaint") == "投诉"


def test_an_urgent_order_must_be_signed_for_within_thirty_minutes():
    t = terms("help", True, MONDAY_9, None, default_calendar())
    assert t.priority == "urgent" and t.caps["sign"] == {"amount": 30, "unit": "minutes"}


def test_an_earlier_due_at_of_the_order_wins():
    due = datetime(2026, 11, 24, 12, 0, tzinfo=CHINA)
    t = terms("complaint", False, MONDAY_9, due, default_calendar())
    assert datetime.fromisoformat(t.caps["resolve_by"]) == due
