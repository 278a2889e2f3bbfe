"""The clock as a value passed to rules, so that no rule reads the time behind the caller's back."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime, timedelta, timezone
from typing import Protocol

from .errors import InputError

CHINA_TZ = timezone(timedelta(hours=8), "Asia/Shanghai")
# Set by the test suite (and handy for demonstrations): the client and the sandbox then both start their
# clock at this moment, whatever the machine's date, and time passes as usual from there.
TODAY_VARIABLE = "SBF_TODAY"
TIMESTAMP = "%Y-%m-%d %H:%M:%S"  # the manual's timestamp format


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


@dataclass(frozen=True)
class ShiftedClock:
    """The machine's clock moved by a fixed offset: it reads ``start`` at the moment it is made, and time
    passes as usual from there (feedback delays and throttles still elapse)."""

    offset: timedelta

    @classmethod
    def starting_at(cls, start: datetime) -> ShiftedClock:
        return cls(start - datetime.now(CHINA_TZ))

    def now(self) -> datetime:
        return datetime.now(CHINA_TZ) + self.offset


def parse_today(text: str) -> datetime:
    """``YYYY-MM-DD`` or ``YYYY-MM-DD HH:MM:SS`` in China Standard Time (a date alone means 09:00)."""
    for pattern in (TIMESTAMP, "%Y-%m-%d"):
        try:
            moment = datetime.strptime(text.strip(), pattern)
        except ValueError:
            continue
        if pattern == "%Y-%m-%d":
            moment = moment.replace(hour=9)
        return moment.replace(tzinfo=CHINA_TZ)
    raise InputError(f"{TODAY_VARIABLE} 的值“{text[:40]}”不是日期，应为 YYYY-MM-DD 或 YYYY-MM-DD HH:MM:SS。")


def clock_from(environ: Mapping[str, str]) -> Clock:
    """The machine's clock, or one that starts at ``SBF_TODAY`` when that is set."""
    text = environ.get(TODAY_VARIABLE, "").strip()
    if not text:
        return SystemClock()
    return ShiftedClock.starting_at(parse_today(text))


def today(clock: Clock) -> date:
    return clock.now().date()


def format_timestamp(moment: datetime) -> str:
    """``YYYY-MM-DD HH:MM:SS`` in China Standard Time, the manual's timestamp format."""
    return moment.astimezone(CHINA_TZ).strftime(TIMESTAMP)


def parse_timestamp(text: str) -> datetime:
    """The moment a ``format_timestamp`` text names (China Standard Time)."""
    return datetime.strptime(text, TIMESTAMP).replace(tzinfo=CHINA_TZ)
