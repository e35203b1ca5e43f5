"""Chinese working-time calendar (working days, working hours, deadlines)."""

from shared.calendar.worktime import (
    DEFAULT_HOLIDAYS_FILE,
    DEFAULT_HOURS,
    HOLIDAYS_FILE_ENV,
    UNITS,
    WorkCalendar,
    default_calendar,
)

__all__ = [
    "DEFAULT_HOLIDAYS_FILE",
    "DEFAULT_HOURS",
    "HOLIDAYS_FILE_ENV",
    "UNITS",
    "WorkCalendar",
    "default_calendar",
]
