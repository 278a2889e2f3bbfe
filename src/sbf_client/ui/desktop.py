"""The desktop program: the application object, the client context, the shell; on a Linux machine without a
display the window is drawn offscreen and a picture of it is saved, so that ``make run`` shows it works."""

from __future__ import annotations

import logging
import os
import sys

from PySide6.QtCore import QMessageLogContext, QTimer, QtMsgType, qInstallMessageHandler

from sbf_client import logs
from sbf_client.services.context import ClientContext
from sbf_client.store.home import resolve_home

from .application import create_application
from .shell.controller import ShellController

QT_LEVELS = {
    QtMsgType.QtDebugMsg: logging.DEBUG,
    QtMsgType.QtInfoMsg: logging.INFO,
    QtMsgType.QtWarningMsg: logging.WARNING,
    QtMsgType.QtCriticalMsg: logging.ERROR,
    QtMsgType.QtFatalMsg: logging.CRITICAL,
}
qt_log = logging.getLogger("qt")


def _to_log(kind: QtMsgType, _context: QMessageLogContext, message: str) -> None:
    """Qt's own warnings go to the client's log file, not to the user's console."""
    qt_log.log(QT_LEVELS.get(kind, logging.WARNING), "%s", message)


def run(home_dir: str | None) -> int:
    home = resolve_home(home_dir).ensure()
    logs.configure(home.logs_dir)
    qInstallMessageHandler(_to_log)
    app = create_application(sys.argv[:1])
    context = ClientContext(home)
    shell = ShellController(context)
    shell.start()
    if os.environ.get("QT_QPA_PLATFORM") == "offscreen":
        picture = home.logs_dir / "startup-window.png"

        def snapshot() -> None:
            shell.frame.grab().save(str(picture))
            print(
                f"没有检测到图形显示（DISPLAY），窗口在后台运行；启动画面已保存到 {picture}。按 Ctrl+C 退出。",
                flush=True,
            )

        QTimer.singleShot(1500, snapshot)
    code = app.exec()
    context.close()
    return code
