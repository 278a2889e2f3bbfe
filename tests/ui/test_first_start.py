"""A first start on a new machine: the first screen at once, the 演示地区's demo data generated behind it with
its progress at the foot of the window, the demo taxpayers listed in 添加单位 from the first moment; and the
shell's guards against a user's quick hands (a double-click that lands on the next screen, a unit added twice).
"""

import pytest
from PySide6.QtCore import QEvent, QPoint, QPointF, Qt
from PySide6.QtGui import QMouseEvent
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QPushButton, QStackedWidget

from sbf_client.services.context import ClientContext
from sbf_client.services.sandbox import SandboxOptions
from sbf_client.store.home import DataHome
from sbf_client.ui.shell.add_unit import ConfirmRegistrationCard, TaxpayerCard
from sbf_client.ui.shell.controller import ShellController
from sbf_client.ui.shell.region_card import RegionCard
from sbf_client.ui.shell.security import ChangePasswordCard, SecurityCard
from tests.conftest import TEST_SEED
from tests.ui.shell_fixtures import close_shell, new_machine_shell, shell_with_unit
from tests.ui.shell_helpers import click_in_next_modal, modal_texts, on_next_modal

WAIT = 120_000
GENERATED_SCALE = 20_000  # enough people that the generation reports its progress several times


@pytest.fixture
def first_start(qtbot, tmp_path):
    """A shell on an empty data home: nothing generated yet."""
    context = ClientContext(DataHome(tmp_path / "home"), sandbox_options=SandboxOptions(TEST_SEED, GENERATED_SCALE, 0))
    shell = ShellController(context)
    shell.start()
    qtbot.addWidget(shell.frame)
    yield shell
    close_shell(shell)


def test_the_first_screen_comes_at_once_and_the_demo_data_behind_it(qtbot, first_start, screenshot):
    shell = first_start
    assert isinstance(shell.current, RegionCard)
    assert shell.demo_task is not None  # still generating while the user reads the first screen
    seen = []
    shell.demo_task.progressed.connect(lambda update: seen.append((update.done, update.total)))
    strip = shell.frame.background
    assert strip.isVisible()
    qtbot.waitUntil(lambda: len(seen) >= 2, timeout=WAIT)
    assert "正在生成演示数据" in strip.text.text()
    screenshot(shell.frame, "first-start-generating")
    region = shell.current
    region.combo.setCurrentIndex(region.combo.findText("演示地区（税务自主模式）"))
    click_in_next_modal("确定")
    qtbot.mouseClick(region.enter, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: shell.current is shell.units, timeout=WAIT)
    qtbot.mouseClick(shell.units.add_button, Qt.MouseButton.LeftButton)
    taxpayer = shell.current
    assert isinstance(taxpayer, TaxpayerCard)
    assert taxpayer.demo.isVisible()  # listed from the first moment, not after asking the servers
    assert taxpayer.demo_table.rowCount() == 7
    assert taxpayer.demo_table.item(0, 0).text() == "91990101MA5D000160"
    screenshot(shell.frame, "first-start-add-unit-demo-list")
    qtbot.waitUntil(lambda: shell.demo_task is None, timeout=WAIT)
    total = seen[-1][1]
    assert seen[-1] == (total, total) and total > GENERATED_SCALE
    assert [done for done, _ in seen] == sorted(done for done, _ in seen)
    assert not strip.isVisible()
    viewport, centre = taxpayer.demo_table.viewport(), _row_center(taxpayer, 0)
    qtbot.mouseClick(viewport, Qt.MouseButton.LeftButton, pos=centre)  # QTest's double-click is the second half
    qtbot.mouseDClick(viewport, Qt.MouseButton.LeftButton, pos=centre)
    assert taxpayer.first.text() == taxpayer.second.text() == "91990101MA5D000160"


def _row_center(card: TaxpayerCard, row: int) -> QPoint:
    table = card.demo_table
    return QPoint(table.columnViewportPosition(1) + 5, table.rowViewportPosition(row) + table.rowHeight(row) // 2)


def test_a_double_click_acts_only_where_its_first_click_landed(qtbot):
    """Through the window system, as a real double-click comes: the first click replaces the screen; the
    second must not press the button that took the first one's place."""
    stack = QStackedWidget()
    stack.resize(300, 200)
    first, second = QPushButton("确定"), QPushButton("确定")
    stack.addWidget(first)
    stack.addWidget(second)
    clicks = []
    first.clicked.connect(lambda: (clicks.append("first"), stack.setCurrentWidget(second)))
    second.clicked.connect(lambda: clicks.append("second"))
    qtbot.addWidget(stack)
    stack.show()
    assert QTest.qWaitForWindowExposed(stack)
    QTest.mouseDClick(stack.windowHandle(), Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, QPoint(150, 100))
    QApplication.processEvents()
    assert clicks == ["first"]
    QTest.mouseDClick(stack.windowHandle(), Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, QPoint(150, 100))
    QApplication.processEvents()
    assert clicks[0] == "first" and clicks[1:] == ["second", "second"]  # a double-click of its own still acts


def test_a_double_click_on_ok_does_not_carry_to_the_next_card(qtbot, sandbox_template, tmp_path, screenshot):
    shell = new_machine_shell(qtbot, sandbox_template, tmp_path / "home")
    try:
        region = shell.current
        click_in_next_modal("确定")
        qtbot.mouseClick(region.enter, Qt.MouseButton.LeftButton)
        qtbot.waitUntil(lambda: shell.current is shell.units, timeout=WAIT)
        qtbot.mouseClick(shell.units.add_button, Qt.MouseButton.LeftButton)
        taxpayer = shell.current
        qtbot.keyClicks(taxpayer.first, "91990101MA5D000160")
        qtbot.keyClicks(taxpayer.second, "91990101MA5D000160")
        qtbot.mouseClick(taxpayer.next, Qt.MouseButton.LeftButton)
        qtbot.waitUntil(lambda: isinstance(shell.current, SecurityCard), timeout=WAIT)
        security = shell.current
        qtbot.keyClicks(security.password, "000135")
        qtbot.mouseClick(security.ok, Qt.MouseButton.LeftButton)
        qtbot.waitUntil(lambda: isinstance(shell.current, ConfirmRegistrationCard), timeout=WAIT)
        confirm = shell.current
        qtbot.mouseClick(confirm.check, Qt.MouseButton.LeftButton)
        qtbot.mouseClick(confirm.ok, Qt.MouseButton.LeftButton)
        qtbot.waitUntil(lambda: isinstance(shell.current, ChangePasswordCard), timeout=WAIT)
        change = shell.current
        # The second half of the double-click, landing where 【确定】 was — now the next card's 【确定】.
        boxes = []
        on_next_modal(lambda box: (boxes.append(modal_texts(box)), box.close()), within_s=1)
        centre = QPointF(change.ok.rect().center())
        for kind in (QEvent.Type.MouseButtonDblClick, QEvent.Type.MouseButtonRelease):
            event = QMouseEvent(
                kind,
                centre,
                change.ok.mapToGlobal(centre),
                Qt.MouseButton.LeftButton,
                Qt.MouseButton.LeftButton if kind == QEvent.Type.MouseButtonDblClick else Qt.MouseButton.NoButton,
                Qt.KeyboardModifier.NoModifier,
            )
            QApplication.sendEvent(change.ok, event)
        qtbot.wait(1500)
        assert boxes == []  # no “请输入新申报密码”
        assert shell.current is change and change.status.text() == ""
        screenshot(shell.frame, "double-click-stays-on-change-password")
    finally:
        close_shell(shell)


def test_adding_a_unit_already_on_this_machine_warns_before_asking_for_its_password(qtbot, sandbox, tmp_path):
    shell = shell_with_unit(qtbot, sandbox, tmp_path / "home", "91990101MA5D000160", "9901010000135")
    try:
        qtbot.mouseClick(shell.units.add_button, Qt.MouseButton.LeftButton)
        taxpayer = shell.current
        qtbot.keyClicks(taxpayer.first, "91990101MA5D000160")
        qtbot.keyClicks(taxpayer.second, "91990101MA5D000160")
        seen = {}
        click_in_next_modal("取消", lambda box: seen.update(text=modal_texts(box)))
        qtbot.mouseClick(taxpayer.next, Qt.MouseButton.LeftButton)
        qtbot.waitUntil(lambda: "text" in seen and taxpayer.next.isEnabled(), timeout=WAIT)
        assert "单位【演示市云帆科技有限公司】已添加到本机" in seen["text"]
        assert shell.current is taxpayer  # cancelled: no 安全认证
        click_in_next_modal("继续添加")
        qtbot.mouseClick(taxpayer.next, Qt.MouseButton.LeftButton)
        qtbot.waitUntil(lambda: isinstance(shell.current, SecurityCard), timeout=WAIT)
    finally:
        close_shell(shell)
