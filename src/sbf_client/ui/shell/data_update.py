"""数据更新页面 (M1028–1036): one progress bar over every login-time download; at 100 % the user enters."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QProgressBar, QPushButton

from sbf_client.sync.progress import ProgressText, ProgressUpdate

from .frame import Card

FIRST_LOGIN_TIP = (
    "温馨提示：若初次登录使用客户端，客户端会全量更新下载单位职工（城乡居民）信息，若人数较多，更新的时间会比较长，"
    "请耐心等待，保证后续可正常办理业务。"
)


class DataUpdateCard(Card):
    cancel_requested = Signal()
    enter_requested = Signal()

    def __init__(self, unit_name: str) -> None:
        super().__init__("数据更新")
        self.body.addWidget(QLabel(f"正在更新【{unit_name}】的业务数据，请稍候…"))
        self.bar = QProgressBar()
        self.bar.setRange(0, 1000)
        self.bar.setFormat("%p%")
        self.bar.setMinimumHeight(26)
        self.body.addWidget(self.bar)
        line = QHBoxLayout()
        self.step = QLabel("正在准备")
        self.time_left = QLabel("")
        line.addWidget(self.step, 1)
        line.addWidget(self.time_left)
        self.body.addLayout(line)
        self.words = ProgressText()
        tip = QLabel(FIRST_LOGIN_TIP)
        tip.setWordWrap(True)
        tip.setStyleSheet("color: #5b6b7f;")
        self.body.addWidget(tip)
        self.problems = QLabel("")
        self.problems.setObjectName("Hint")
        self.problems.setWordWrap(True)
        self.body.addWidget(self.problems)
        row = QHBoxLayout()
        self.enter = QPushButton("进入系统")
        self.enter.hide()
        self.enter.clicked.connect(self.enter_requested)
        self.cancel = QPushButton("取消")
        self.cancel.setObjectName("Secondary")
        self.cancel.clicked.connect(self.cancel_requested)
        row.addWidget(self.enter)
        row.addWidget(self.cancel)
        row.addStretch(1)
        self.body.addLayout(row)
        self.body.addStretch(1)

    def show_progress(self, update: ProgressUpdate) -> None:
        if update.total:
            self.bar.setValue(int(1000 * update.done / update.total))
        self.step.setText(update.message)
        # The bar's units are the steps' weights, not rows: only the time left is told for the whole.
        self.time_left.setText(self.words.describe(update.done, update.total, rows=False))

    def show_problems(self, failures: list[tuple[str, str]]) -> None:
        """Some downloads failed: say which, and let the user continue with the cached data."""
        lines = "\n".join(f"· {title}：{message}" for title, message in failures)
        self.problems.setText(f"以下数据未能更新，可继续使用本机已有数据办理业务，稍后再更新：\n{lines}")
        self.bar.setValue(1000)
        self.time_left.setText("")
        self.enter.show()
        self.cancel.hide()
