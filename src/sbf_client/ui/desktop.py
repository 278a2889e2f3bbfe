"""The desktop program: the window first, then everything behind it.

The frame is on screen with 正在启动 before the services, the databases and the network libraries are
imported; the first screen (选择地区 or 单位管理) replaces it as soon as they are. What stops the program
from starting is said on the console in Chinese and English, and the exit status is non-zero.

``SBF_STARTUP_PROBE=FILE`` (for ``make bench`` and the start-up tests): write when the window and the first
screen were first painted, as ``window <unix time>`` and ``screen <unix time>`` lines, then quit.
"""

from __future__ import annotations

import logging
import os
import sys
import time
from pathlib import Path

from PySide6.QtCore import QEvent, QMessageLogContext, QObject, QtMsgType, qInstallMessageHandler
from PySide6.QtWidgets import QApplication, QWidget

from .application import create_application
from .preflight import StartProblem, report
from .shell.frame import ShellFrame

QT_LEVELS = {
    QtMsgType.QtDebugMsg: logging.DEBUG,
    QtMsgType.QtInfoMsg: logging.INFO,
    QtMsgType.QtWarningMsg: logging.WARNING,
    QtMsgType.QtCriticalMsg: logging.ERROR,
    QtMsgType.QtFatalMsg: logging.CRITICAL,
}
PROBE_VARIABLE = "SBF_STARTUP_PROBE"
qt_log = logging.getLogger("qt")
# Until the log file is open, Qt's chatter is dropped, not printed by logging's last-resort handler.
qt_log.addHandler(logging.NullHandler())


def _to_log(kind: QtMsgType, _context: QMessageLogContext, message: str) -> None:
    """Qt's own warnings go to the client's log file; a fatal one is also said where the user looks, since
    Qt ends the program right after it."""
    qt_log.log(QT_LEVELS.get(kind, logging.WARNING), "%s", message)
    if kind == QtMsgType.QtFatalMsg:
        report(StartProblem(f"客户端窗口出现严重错误，即将退出：{message}", f"Fatal error in the window: {message}"))


class _PaintProbe(QObject):
    """Notes the first paint of a widget into the probe file; after the first screen's, quits."""

    def __init__(self, target: Path) -> None:
        super().__init__()
        self.target = target
        self.seen: set[str] = set()

    def watch(self, widget: QWidget, name: str) -> None:
        widget.setProperty("probe_name", name)
        widget.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        name = watched.property("probe_name")
        if event.type() == QEvent.Type.Paint and name and name not in self.seen:
            self.seen.add(name)
            with self.target.open("a", encoding="utf-8") as out:
                out.write(f"{name} {time.time():.6f}\n")
            if name == "screen":
                QApplication.quit()
        return False


def _open_data(home_dir: str | None):  # type: ignore[no-untyped-def]
    """The data home, checked and opened; the first heavy imports happen here, behind the window."""
    from sbf_client.services.context import open_context

    return open_context(home_dir)


def _problem(error: BaseException) -> StartProblem:
    from sbf_client.core.errors import SbfError

    english = getattr(error, "english", None)
    if isinstance(error, SbfError):
        return StartProblem(error.message, english or "The client cannot start: see the message above.")
    return StartProblem(
        f"客户端无法启动：{type(error).__name__}: {error}", f"The client cannot start: {type(error).__name__}: {error}"
    )


def _refuse(frame: ShellFrame, problem: StartProblem) -> None:
    """On the console, and in a message box for whoever sits at the screen (a Windows shortcut has no
    console); offscreen, nobody could answer the box."""
    report(problem)
    if os.environ.get("QT_QPA_PLATFORM") != "offscreen" and not os.environ.get(PROBE_VARIABLE):
        from .dialogs import warn

        warn(frame, problem.chinese, "客户端无法启动")
    frame.close()


def run(home_dir: str | None) -> int:
    qInstallMessageHandler(_to_log)
    app = create_application(sys.argv[:1])
    probe_file = os.environ.get(PROBE_VARIABLE)
    probe = _PaintProbe(Path(probe_file)) if probe_file else None
    frame = ShellFrame()
    frame.show_starting()
    if probe is not None:
        probe.watch(frame, "window")
    frame.show()
    app.processEvents()  # on screen before the imports below
    try:
        context = _open_data(home_dir)
    except Exception as error:  # nothing is written yet; the reason goes to the console
        _refuse(frame, _problem(error))
        return 1
    from .shell.controller import ShellController

    shell = ShellController(context, frame=frame)
    try:
        shell.start()
    except Exception as error:
        logging.getLogger(__name__).exception("the shell did not start")
        context.close()
        _refuse(frame, _problem(error))
        return 1
    if probe is not None:
        probe.watch(shell.current, "screen")
    code = app.exec()
    context.close()
    return code
