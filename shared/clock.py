"""The clock every service reads. Tests (and drills) move it forward with YIWANG_CLOCK_FILE: a file holding
an offset in seconds that is added to the real time, read at most once a second."""
from __future__ import annotations

import time
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

CHINA = ZoneInfo("Asia/Shanghai")


class Clock:
    def __init__(self, offset_file: str | None = None):
        self.offset_file = offset_file
        self._offset = 0.0
        self._read_at = 0.0

    def offset(self) -> float:
        if not self.offset_file:
            return 0.0
        now = time.monotonic()
        if now - self._read_at >= 1.0:
            self._read_at = now
            try:
                with open(self.offset_file) as f:
                    self._offset = float(f.read().strip() or 0)
            except (OSError, ValueError):
                self._offset = 0.0
        return self._offset

    def now(self) -> datetime:
        """The current time in China (aware)."""
        return datetime.fromtimestamp(time.time() + self.offset(), tz=UTC).astimezone(CHINA)
