"""A small horizontal bar chart drawn with QPainter: a picture of the unit's data for the 首页."""

from __future__ import annotations

from PySide6.QtCore import QRectF, QSize, Qt
from PySide6.QtGui import QColor, QFont, QPainter, QPaintEvent
from PySide6.QtWidgets import QSizePolicy, QWidget

from sbf_client.plugins.spec import Chart

PALETTE = ("#1e6fd9", "#34a853", "#f5a623", "#d93025", "#8e44ad", "#16a2b8", "#6c7a89", "#e67e22")
ROW, GAP, LABEL_WIDTH = 20, 4, 110


class BarChart(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.chart: Chart | None = None
        self.message = "正在统计…"
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)

    def set_chart(self, chart: Chart | None, message: str = "") -> None:
        self.chart = chart
        self.message = message
        self.updateGeometry()
        self.update()

    def _rows(self) -> int:
        if self.chart is None:
            return 1
        return sum(1 + max(len(bars), 1) for _title, bars in self.chart.series)

    def sizeHint(self) -> QSize:
        return QSize(420, 24 + self._rows() * (ROW + GAP))

    def minimumSizeHint(self) -> QSize:
        return QSize(300, 24 + self._rows() * (ROW + GAP))

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.fillRect(self.rect(), QColor("white"))
        if self.chart is None:
            painter.setPen(QColor("#5b6b7f"))
            painter.drawText(self.rect(), Qt.AlignmentFlag.AlignCenter, self.message)
            painter.end()
            return
        y = 4.0
        bold = QFont(self.font())
        bold.setBold(True)
        right = Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignRight
        for series_title, bars in self.chart.series:
            painter.setFont(bold)
            painter.setPen(QColor("#1f2d3d"))
            painter.drawText(QRectF(8, y, self.width() - 16, ROW), Qt.AlignmentFlag.AlignVCenter, series_title)
            y += ROW + GAP
            painter.setFont(self.font())
            if not bars:
                painter.drawText(QRectF(16, y, self.width(), ROW), Qt.AlignmentFlag.AlignVCenter, "暂无数据")
                y += ROW + GAP
                continue
            metrics = painter.fontMetrics()
            widest = max(metrics.horizontalAdvance(label) for label, _count in bars)
            label_width = max(LABEL_WIDTH, min(widest + 24, self.width() // 2))
            largest = max(count for _label, count in bars) or 1
            span = max(self.width() - label_width - 90, 40)
            for index, (label, count) in enumerate(bars):
                painter.setPen(QColor("#1f2d3d"))
                painter.drawText(QRectF(8, y, label_width - 16, ROW), right, label)
                width = max(2.0, span * count / largest)
                painter.fillRect(QRectF(label_width, y + 3, width, ROW - 6), QColor(PALETTE[index % len(PALETTE)]))
                painter.drawText(
                    QRectF(label_width + width + 6, y, 80, ROW), Qt.AlignmentFlag.AlignVCenter, f"{count:,}人"
                )
                y += ROW + GAP
        painter.end()
