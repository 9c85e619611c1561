"""Quiet hours: the hours of the day a channel is not used (`CRM_QUIET_HOURS`), in the team's
local time; they may wrap midnight (21:00-08:00)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import time

_HOURS = re.compile(r"^\s*(\d{1,2}):(\d{2})\s*[-–]\s*(\d{1,2}):(\d{2})\s*$")


@dataclass(frozen=True)
class QuietHours:
    """Hours in which a channel is not used, in the team's local time (may wrap midnight)."""

    start: time
    end: time

    def covers(self, moment: time) -> bool:
        if self.start <= self.end:
            return self.start <= moment < self.end
        return moment >= self.start or moment < self.end

    def __str__(self) -> str:
        return f"{self.start:%H:%M}–{self.end:%H:%M}"

    def allowed(self) -> str:
        """The hours the channel may be used, as the export's send window."""
        return f"{self.end:%H:%M}–{self.start:%H:%M}"


def quiet_hours(text: str) -> QuietHours:
    """`"21:00-08:00"` as QuietHours, or a ValueError saying what is accepted."""
    found = _HOURS.match(text)
    if not found:
        raise ValueError(f"quiet hours {text!r} are not written HH:MM-HH:MM (e.g. 21:00-08:00)")
    h1, m1, h2, m2 = map(int, found.groups())
    if h1 > 23 or h2 > 23 or m1 > 59 or m2 > 59 or (h1, m1) == (h2, m2):
        raise ValueError(f"quiet hours {text!r}: two different times of day, 00:00 to 23:59")
    return QuietHours(time(h1, m1), time(h2, m2))
