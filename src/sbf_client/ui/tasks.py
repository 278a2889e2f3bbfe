"""Background tasks: work runs on a worker thread, results and errors come back on the UI thread.

A progress dialog appears only when the work takes longer than about half a second, and its 取消 asks the
work to stop at its next check (``sync.progress.Progress``). A task may say which data it changed
(``Changed``); the ``ChangeHub`` then tells every page that shows that data to refresh.

A task lives as long as its work, whoever started it: the runner or the window that asked may be deleted
while the work runs (a window closed, a test finished). Its outcome is then dropped, never delivered to an
object that no longer exists.
"""

from __future__ import annotations

import gc
import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Generic, TypeVar

import shiboken6
from PySide6.QtCore import QObject, QRunnable, Qt, QThreadPool, QTimer, Signal
from PySide6.QtWidgets import QProgressDialog, QWidget

from sbf_client.core.errors import SbfError
from sbf_client.sync.progress import Cancelled, Progress, ProgressUpdate

log = logging.getLogger(__name__)
T = TypeVar("T")
PROGRESS_DELAY_MS = 500


@dataclass(frozen=True)
class Changed(Generic[T]):
    """A task's result together with the names of the data it changed (e.g. ``{"employees"}``)."""

    value: T
    changes: frozenset[str] = field(default_factory=frozenset)


class ChangeHub(QObject):
    """One per application: pages listen here for data changed by any task."""

    changed = Signal(object)  # frozenset[str]


class _Bridge(QObject):
    progressed = Signal(object)
    finished = Signal(object)
    failed = Signal(object)


class _Job(QRunnable):
    def __init__(self, work: Callable[[Progress], Any], progress: Progress, bridge: _Bridge) -> None:
        super().__init__()
        self.work = work
        self.progress = progress
        self.bridge = bridge
        self.setAutoDelete(True)

    def run(self) -> None:
        try:
            result = self.work(self.progress)
        except BaseException as error:  # everything goes back to the UI thread, nothing dies silently here
            if not isinstance(error, SbfError | Cancelled):
                log.error("background task failed", exc_info=error)  # the log's formatter scrubs the traceback
            _emit_if_alive(self.bridge.failed, error)
            return
        _emit_if_alive(self.bridge.finished, result)


def _emit_if_alive(signal: Any, value: object) -> None:
    """The window that asked for the work may have closed meanwhile; then nobody is left to tell."""
    try:
        signal.emit(value)
    except RuntimeError:
        log.info("background task finished after its window closed")


class Task(QObject):
    """A running background task; keep a reference while it runs (the runner does)."""

    done = Signal(object)
    error = Signal(object)
    progressed = Signal(object)  # ProgressUpdate, on the UI thread

    def __init__(self, runner: TaskRunner, parent: QWidget | None, title: str, cancellable: bool) -> None:
        super().__init__()  # no Qt parent: deleting the runner must not delete a task whose work still runs
        self.runner = runner
        self.progress = Progress()
        self.bridge = _Bridge()
        self.dialog: QProgressDialog | None = None
        self.parent_widget = parent
        self.title = title
        self.cancellable = cancellable
        self.last: ProgressUpdate | None = None
        self.running = True
        self.bridge.progressed.connect(self._on_progress, Qt.ConnectionType.QueuedConnection)
        self.progress.listener = lambda update: _emit_if_alive(self.bridge.progressed, update)

    def cancel(self) -> None:
        self.progress.cancel()

    def _show_dialog(self) -> None:
        if not self.running or self.dialog is not None or not _alive(self.parent_widget):
            return
        dialog = QProgressDialog(self.title, "取消" if self.cancellable else "", 0, 0, self.parent_widget)
        dialog.setWindowTitle(self.title)
        dialog.setWindowModality(Qt.WindowModality.WindowModal)
        dialog.setMinimumDuration(0)
        dialog.setMinimumWidth(420)
        if not self.cancellable:
            dialog.setCancelButton(None)
        dialog.canceled.connect(self.cancel)
        self.dialog = dialog
        if self.last is not None:
            self._apply(self.last)
        dialog.show()

    def _on_progress(self, update: ProgressUpdate) -> None:
        self.last = update
        self.progressed.emit(update)
        if self.dialog is not None and not _alive(self.dialog):  # deleted with the window it was shown on
            self.dialog = None
        if self.dialog is not None:
            self._apply(update)

    def _apply(self, update: ProgressUpdate) -> None:
        assert self.dialog is not None
        self.dialog.setLabelText(update.message or self.title)
        if update.total:
            self.dialog.setMaximum(update.total)
            self.dialog.setValue(min(update.done, update.total))
        else:
            self.dialog.setMaximum(0)

    def _close(self) -> None:
        self.running = False
        dialog, self.dialog = self.dialog, None
        if dialog is not None and _alive(dialog):
            dialog.canceled.disconnect(self.cancel)
            dialog.close()
            dialog.deleteLater()


def _alive(*objects: QObject | None) -> bool:
    return all(o is None or shiboken6.isValid(o) for o in objects)


_RUNNING: set[Task] = set()  # every task until its outcome is handled, whatever happened to its runner


class TaskRunner(QObject):
    """Starts background tasks and routes their outcome to callbacks on the UI thread."""

    def __init__(self, hub: ChangeHub | None = None, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.hub = hub or ChangeHub(self)
        self.pool = QThreadPool.globalInstance()
        self._tasks: set[Task] = set()  # the ones that count as "busy"

    def run(
        self,
        work: Callable[[Progress], T],
        on_done: Callable[[T], None] | None = None,
        *,
        parent: QWidget | None = None,
        title: str = "正在处理，请稍候…",
        on_error: Callable[[BaseException], bool | None] | None = None,
        cancellable: bool = True,
        show_progress: bool = True,
        background: bool = False,
    ) -> Task:
        """Run ``work(progress)`` on a worker thread. ``on_error`` returning True means it was handled;
        otherwise the error is shown to the user (its Chinese message, or a generic one). A ``background``
        task is one nobody waits for (preparing the 演示地区): it does not make the runner ``busy``."""
        task = Task(self, parent, title, cancellable)
        _RUNNING.add(task)
        if not background:
            self._tasks.add(task)

        def settled() -> bool:
            """Forget the task; whether anyone is left to hear how it ended."""
            _RUNNING.discard(task)
            self._tasks.discard(task)
            if not _alive(self, parent):
                task.running = False
                log.info("background task ended after its window or runner was deleted")
                return False
            task._close()
            return True

        def finished(result: Any) -> None:
            if not settled():
                return
            value = result.value if isinstance(result, Changed) else result
            # The pages showing the changed data refresh first: the callback may ask a question, and the
            # list behind it must not be stale meanwhile.
            if isinstance(result, Changed) and result.changes:
                self.hub.changed.emit(result.changes)
            if on_done is not None:
                on_done(value)
            task.done.emit(value)

        def failed(error: BaseException) -> None:
            if not settled():
                return
            handled = on_error(error) if on_error is not None else False
            if not handled and not isinstance(error, Cancelled):
                show_error(parent, error)
            task.error.emit(error)

        task.bridge.finished.connect(finished, Qt.ConnectionType.QueuedConnection)
        task.bridge.failed.connect(failed, Qt.ConnectionType.QueuedConnection)
        if show_progress:
            QTimer.singleShot(PROGRESS_DELAY_MS, task._show_dialog)
        self.pool.start(_Job(work, task.progress, task.bridge))
        return task

    def busy(self) -> bool:
        return bool(self._tasks)

    def cancel_all(self) -> None:
        """Ask every task that counts as busy to stop at its next check; what each committed stays."""
        for task in list(self._tasks):
            task.cancel()


def error_text(error: BaseException) -> str:
    if isinstance(error, SbfError):
        return error.message
    return f"操作未能完成：{type(error).__name__}。请重试；如仍失败，请联系技术支持并提供日志文件。"


def show_error(parent: QWidget | None, error: BaseException) -> None:
    from .dialogs import warn

    warn(parent, error_text(error))


def settle_start_up_heap() -> None:
    """Call once the application has started. A full garbage collection holds the GIL while it walks every
    tracked object, so one that a worker's allocations trigger stalls the UI thread for as long (about 70 ms
    for what start-up alone loads). What start-up loaded lives as long as the application: it is moved out
    of the collector's reach (``gc.freeze``), after one collection so that no garbage is kept."""
    gc.collect()
    gc.freeze()
