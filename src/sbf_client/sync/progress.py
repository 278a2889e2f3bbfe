"""A Qt-free progress handle: long work reports through it and checks it for a cancel request.

The UI connects ``listener`` to a progress dialog (from a worker thread, via a signal); the command line
prints or ignores it. Cancelling is cooperative: the work stops at its next ``check()``.
"""

from __future__ import annotations

import threading
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
