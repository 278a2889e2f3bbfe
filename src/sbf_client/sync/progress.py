"""A Qt-free progress handle: long work reports through it and checks it for a cancel request.

The UI connects ``listener`` to a progress dialog (from a worker thread, via a signal); the command line
prints or ignores it. Cancelling is cooperative: the work stops at its next ``check()``.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field

from sbf_client.core.errors import SbfError


class Cancelled(SbfError):
    """The user cancelled; whatever was committed before stays, nothing half-done is visible."""

    def __init__(self) -> None:
        super().__init__("操作已取消。")


@dataclass(frozen=True)
class ProgressUpdate:
    done: int
    total: int | None  # None: unknown
    message: str


@dataclass
class Progress:
    listener: Callable[[ProgressUpdate], None] | None = None
    _cancel: threading.Event = field(default_factory=threading.Event)

    def report(self, done: int, total: int | None, message: str) -> None:
        if self.listener is not None:
            self.listener(ProgressUpdate(done, total, message))

    def cancel(self) -> None:
        self._cancel.set()

    @property
    def cancelled(self) -> bool:
        return self._cancel.is_set()

    def check(self) -> None:
        if self._cancel.is_set():
            raise Cancelled()


# ---------------------------------------------------------------------- words for a progress bar
# One formatter for every bar that counts rows (the 数据更新 page, 全量更新 / 增量更新 of a list page).

MIN_ELAPSED_FOR_ESTIMATE_S = 2.0  # before this, a rate is mostly the start-up cost: no estimate yet


def rows_text(done: int, total: int | None, unit: str = "条") -> str:
    """``12000 / 100000 条`` (``12000 条`` while the total is unknown)."""
    return f"{done} / {total} {unit}" if total else f"{done} {unit}"


def duration_text(seconds: float) -> str:
    """A time left in the user's words: ``45 秒``, ``3 分 20 秒``, ``1 小时 5 分``."""
    seconds = max(1, round(seconds))
    if seconds < 60:
        return f"{seconds} 秒"
    minutes, seconds = divmod(seconds, 60)
    if minutes < 60:
        return f"{minutes} 分 {seconds} 秒" if seconds else f"{minutes} 分钟"
    hours, minutes = divmod(minutes, 60)
    return f"{hours} 小时 {minutes} 分" if minutes else f"{hours} 小时"


class ProgressText:
    """Describes successive (done, total) of one piece of work: rows done of the total and, once the rate is
    known, the time left (``已完成 12000 / 100000 条，预计剩余 1 分 5 秒``). Keep one per piece of work; the
    rate is measured from its first report, and a count that goes back (the work restarted) starts it anew."""

    def __init__(self, unit: str = "条", clock: Callable[[], float] = time.monotonic) -> None:
        self.unit = unit
        self.clock = clock
        self._start: tuple[float, int] | None = None  # (when, done) of the first report

    def time_left(self, done: int, total: int | None) -> float | None:
        now = self.clock()
        if self._start is None or done < self._start[1]:
            self._start = (now, done)
            return None
        began, first = self._start
        elapsed = now - began
        if not total or done <= first or elapsed < MIN_ELAPSED_FOR_ESTIMATE_S:
            return None
        return max(total - done, 0) * elapsed / (done - first)

    def describe(self, done: int, total: int | None, *, rows: bool = True) -> str:
        """The words for this report; ``rows=False`` when the numbers are not rows (an overall bar)."""
        parts = [f"已完成 {rows_text(done, total, self.unit)}"] if rows else []
        left = self.time_left(done, total)
        if left is not None and total and done < total:
            parts.append(f"预计剩余 {duration_text(left)}")
        return "，".join(parts)
