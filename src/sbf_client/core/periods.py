"""费款所属期 and other 年月 values (``YYYY-MM``) as a small ordered value type."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

_PERIOD_TEXT = re.compile(r"^(\d{4})-?(\d{2})$")


class PeriodError(ValueError):
    """A 年月 the user typed that is not valid; the message is user-facing."""


@dataclass(frozen=True, order=True, slots=True)
class Period:
    """A calendar month; ``str()`` gives ``YYYY-MM`` as the manual prints months."""

    year: int
    month: int

    def __post_init__(self) -> None:
        if not (1 <= self.month <= 12 and 1900 <= self.year <= 9999):
            raise PeriodError(f"{self.year}-{self.month:02d}不是有效的年月")

    @classmethod
    def parse(cls, text: str) -> Period:
        """``YYYY-MM`` or ``YYYYMM``; anything else raises a Chinese ``PeriodError``."""
        m = _PERIOD_TEXT.match((text or "").strip())
        if not m:
            raise PeriodError(f"“{text}”不是有效的年月，格式应为YYYY-MM")
        return cls(int(m.group(1)), int(m.group(2)))

    @classmethod
    def of(cls, day: date) -> Period:
        """The month a date falls in."""
        return cls(day.year, day.month)

    def __str__(self) -> str:
        return f"{self.year:04d}-{self.month:02d}"

    @property
    def index(self) -> int:
        """Months since year 0, for arithmetic."""
        return self.year * 12 + self.month - 1

    @classmethod
    def from_index(cls, index: int) -> Period:
        return cls(index // 12, index % 12 + 1)

    def add(self, months: int) -> Period:
        return Period.from_index(self.index + months)

    def months_until(self, other: Period) -> int:
        """How many months from this one to ``other`` (negative when ``other`` is earlier)."""
        return other.index - self.index

    def first_day(self) -> date:
        return date(self.year, self.month, 1)

    def last_day(self) -> date:
        return date.fromordinal(self.add(1).first_day().toordinal() - 1)

    def through(self, last: Period) -> list[Period]:
        """Every month from this one to ``last`` inclusive."""
        return [Period.from_index(i) for i in range(self.index, last.index + 1)]
