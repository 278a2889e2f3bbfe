"""The clock as a value passed to rules, so that no rule reads the time behind the caller's back."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta, timezone
from typing import Protocol

CHINA_TZ = timezone(timedelta(hours=8), "Asia/Shanghai")


class Clock(Protocol):
    """Anything that can tell the current time in China Standard Time."""

    def now(self) -> datetime: ...


class SystemClock:
    """The machine's clock, in China Standard Time (the manual requires the system date to be today)."""

    def now(self) -> datetime:
        return datetime.now(CHINA_TZ)


@dataclass
class FixedClock:
    """A clock that shows a set time until moved; for tests and deterministic data generation."""

    current: datetime

    def now(self) -> datetime:
        return self.current

    def advance(self, **delta: float) -> None:
        self.current += timedelta(**delta)


def today(clock: Clock) -> date:
    return clock.now().date()


def format_timestamp(moment: datetime) -> str:
    """``YYYY-MM-DD HH:MM:SS`` in China Standard Time, the manual's timestamp format."""
    return moment.astimezone(CHINA_TZ).strftime("%Y-%m-%d %H:%M:%S")
