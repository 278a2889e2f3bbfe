"""``LoadingOverlay``: a line of text over an item view's empty area while its first data is read, so that a list
of 100,000 people does not look empty (and its count 0) for the seconds its keys take."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtWidgets import QAbstractScrollArea, QLabel

LOADING_TEXT = "正在加载数据，请稍候…"


class LoadingOverlay(QLabel):
    """Covers the view's viewport (following its size) until ``hide()``."""

    def __init__(self, view: QAbstractScrollArea, text: str = LOADING_TEXT) -> None:
        super().__init__(text, view.viewport())
        self.setObjectName("LoadingOverlay")
        self.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents)
        self.setStyleSheet("QLabel#LoadingOverlay { color: #5b6b7f; font-size: 14px; background: white; }")
        self._viewport = view.viewport()
        self._viewport.installEventFilter(self)
        self.setGeometry(self._viewport.rect())
        self.hide()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self._viewport and event.type() == QEvent.Type.Resize:
            self.setGeometry(self._viewport.rect())
        return False
