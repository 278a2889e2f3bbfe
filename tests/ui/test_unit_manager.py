"""单位管理 with two units of one 纳税人识别号 (演示市妇幼保健院 and its 东院区): the 纳税人名称 is readable, the long
税务机关 names are shortened with their whole text in a tooltip, 单位编号 tells the two apart, and 【登录】 is only
ever drawn in its own cell, also while the 添加成功 message is open."""

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QFontMetrics, QInputMethodEvent
from PySide6.QtWidgets import QApplication, QWidget

from sbf_client.services.units import UnitService
from sbf_client.ui.dialogs import inform
from sbf_client.ui.shell.frame import Card
from sbf_client.ui.shell.security import SecurityCard
from sbf_client.ui.shell.unit_manager import LOGIN_COLUMN, NAME_COLUMN, UNIT_NO_COLUMN
from tests.helpers import CLI_PASSWORD
from tests.ui.shell_fixtures import close_shell, shell_with_unit
from tests.ui.shell_helpers import click_in_next_modal

HOSPITAL = "129901014557557170"


@pytest.fixture
def shell(qtbot, sandbox, tmp_path):
    controller = shell_with_unit(qtbot, sandbox, tmp_path / "home", HOSPITAL, "9901010000217")
    yield controller
    close_shell(controller)


def add_the_other_unit(context) -> None:  # type: ignore[no-untyped-def]
    """What 添加单位 saves for 9901010000225 (initial password 000225), done through the services."""
    service = UnitService(context)
    added = {unit.server_unit_id for unit in context.store.units("employer")}
    other = next(s for s in service.lookup(HOSPITAL, "employer") if s.unit_id not in added)
    session = service.verify(other.unit_id, "000225")
    info = service.registration(session)
    service.change_password(session, "000225", CLI_PASSWORD, CLI_PASSWORD, [r.unit_no for r in info.registrations])
    service.save("employer", other, info, confirmed=True)


def stray_widgets(table) -> list[QWidget]:  # type: ignore[no-untyped-def]
    """Widgets drawn on the table outside the 操作 cells."""
    viewport = table.viewport()
    cells = [table.visualRect(table.model().index(row, LOGIN_COLUMN)) for row in range(table.rowCount())]
    shown = viewport.findChildren(QWidget, options=Qt.FindChildOption.FindDirectChildrenOnly)
    return [w for w in shown if w.isVisibleTo(viewport) and not any(c.contains(w.geometry()) for c in cells)]


def test_two_units_of_one_taxpayer(qtbot, shell, screenshot):
    table = shell.units.table
    assert table.rowCount() == 1 and table.isColumnHidden(UNIT_NO_COLUMN)  # one unit: nothing to tell apart

    shell._show(Card("确认参保登记信息"))  # 添加单位 saves the unit while its last card is on show
    add_the_other_unit(shell.context)
    shell.show_units("employer")
    assert stray_widgets(table) == []  # nothing waits for a later layout to be put in its place

    def while_the_message_is_open(_box):  # type: ignore[no-untyped-def]
        assert stray_widgets(table) == []
        screenshot(shell.frame, "unit-manager-two-units")

    click_in_next_modal("确定", while_the_message_is_open)
    inform(shell.frame, "单位【演示市妇幼保健院东院区】添加成功，可点击【登录】进入系统。")

    assert table.rowCount() == 2 and not table.isColumnHidden(UNIT_NO_COLUMN)
    header = table.horizontalHeader()
    assert header.visualIndex(UNIT_NO_COLUMN) == header.visualIndex(NAME_COLUMN) + 1
    assert sorted(table.item(row, UNIT_NO_COLUMN).text() for row in range(2)) == ["9901010000217", "9901010000225"]
    metrics = QFontMetrics(table.font())
    for row in range(2):
        name = table.item(row, NAME_COLUMN).text()
        assert metrics.horizontalAdvance(name) + 12 <= table.columnWidth(NAME_COLUMN), name
        branch = table.item(row, 4)
        assert branch.toolTip() == branch.text() and metrics.horizontalAdvance(branch.text()) > table.columnWidth(4)

    typed = QInputMethodEvent()  # Chinese arrives from the input method (QTest.keyClicks is Latin-1 only)
    typed.setCommitString("东院区")
    shell.units.search.setFocus()
    QApplication.sendEvent(shell.units.search, typed)  # the rows are filled again, row 0's 【登录】 stays
    assert table.rowCount() == 1 and stray_widgets(table) == []
    qtbot.waitUntil(lambda: table.cellWidget(0, LOGIN_COLUMN).isVisible())
    button = table.cellWidget(0, LOGIN_COLUMN).findChildren(type(shell.units.add_button))[0]
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    assert isinstance(shell.current, SecurityCard) and shell.current.name.text() == "演示市妇幼保健院东院区"
