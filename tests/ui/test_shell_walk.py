"""First start to the main window, like a user: 选择地区 → 添加单位 (shared 纳税人识别号, initial password,
修改申报密码, 确认参保登记信息) → 登录 → 数据更新 → main window; then 单位管理 to switch unit. Every screen
is saved under test-artifacts/screenshots."""

import pytest
from PySide6.QtCore import Qt

from sbf_client.core.passwords import initial_password
from sbf_client.services.units import UnitService
from sbf_client.ui.shell.add_unit import ChooseUnitDialog, ConfirmRegistrationCard, TaxpayerCard
from sbf_client.ui.shell.data_update import DataUpdateCard
from sbf_client.ui.shell.region_card import RegionCard
from sbf_client.ui.shell.security import ChangePasswordCard, SecurityCard
from tests.ui.shell_fixtures import close_shell, new_machine_shell, open_login
from tests.ui.shell_helpers import click_in_next_modal, modal_texts

HOSPITAL = "129901014557557170"
NEW_PASSWORD = "Sbf2026ok"
WAIT = 30_000


@pytest.fixture
def shell(qtbot, sandbox_template, tmp_path):
    controller = new_machine_shell(qtbot, sandbox_template, tmp_path / "home")
    yield controller
    close_shell(controller)


def click(qtbot, widget):
    qtbot.mouseClick(widget, Qt.MouseButton.LeftButton)


def test_first_start_to_the_main_window_and_switching_units(qtbot, shell, screenshot):
    frame = shell.frame
    region = shell.current
    assert isinstance(region, RegionCard)
    region.combo.setCurrentIndex(region.combo.findText("演示地区（税务自主模式）"))
    screenshot(frame, "shell-01-region")
    seen = {}

    def remember(name):
        return lambda box: seen.update(text=modal_texts(box)) or screenshot(box, name)

    click_in_next_modal("确定", remember("shell-02-region-confirm"))
    click(qtbot, region.enter)
    qtbot.waitUntil(lambda: shell.current is shell.units, timeout=WAIT)
    assert "您确定选择【演示地区（税务自主模式）】进入系统么？" in seen["text"]
    assert [b.text() for b in shell.units.switches.buttons()] == ["用人单位", "代收单位"]
    screenshot(frame, "shell-03-unit-manager-empty")

    click(qtbot, shell.units.add_button)
    taxpayer = shell.current
    assert isinstance(taxpayer, TaxpayerCard)
    qtbot.waitUntil(lambda: taxpayer.demo.isVisible(), timeout=WAIT)  # the 演示地区 hint arrived
    screenshot(frame, "shell-04-add-unit")
    qtbot.keyClicks(taxpayer.first, HOSPITAL)
    qtbot.keyClicks(taxpayer.second, HOSPITAL[:-1] + "1")
    click_in_next_modal("确定", lambda box: seen.update(text=modal_texts(box)))
    click(qtbot, taxpayer.next)
    qtbot.waitUntil(lambda: "两次输入的纳税人识别号不一致" in seen.get("text", ""), timeout=WAIT)
    taxpayer.second.clear()
    qtbot.keyClicks(taxpayer.second, HOSPITAL)

    def choose_second(dialog):
        assert isinstance(dialog, ChooseUnitDialog)
        assert "您输入的纳税人识别号对应多家单位" in modal_texts(dialog)
        dialog.group.button(1).click()
        screenshot(dialog, "shell-05-choose-unit")

    click_in_next_modal("确定", choose_second)
    click(qtbot, taxpayer.next)
    qtbot.waitUntil(lambda: isinstance(shell.current, SecurityCard), timeout=WAIT)
    security = shell.current
    assert security.name.text() == "演示市妇幼保健院东院区"
    assert "单位编号末尾补0" in security.hint.text()
    screenshot(frame, "shell-06-security")

    qtbot.waitUntil(lambda: frame.focusWidget() is security.password, timeout=WAIT)  # where the user types
    qtbot.keyClicks(security.password, "123456")
    click_in_next_modal("确定", remember("shell-07-wrong-password"))
    click(qtbot, security.ok)
    qtbot.waitUntil(lambda: "[20101]" in seen.get("text", ""), timeout=WAIT)
    assert "申报密码验证失败：[20101]您输入的申报密码有误，请重新输入。" in seen["text"]
    qtbot.waitUntil(lambda: security.ok.isEnabled(), timeout=WAIT)
    security.password.clear()
    qtbot.keyClicks(security.password, initial_password("9901010000225"))
    click(qtbot, security.ok)
    qtbot.waitUntil(lambda: isinstance(shell.current, ConfirmRegistrationCard), timeout=WAIT)
    confirm = shell.current
    assert not confirm.ok.isEnabled()
    screenshot(frame, "shell-08-confirm-registration")
    click(qtbot, confirm.check)
    assert confirm.ok.isEnabled()
    click(qtbot, confirm.ok)  # still on the initial password: a new one, before the unit is saved
    qtbot.waitUntil(lambda: isinstance(shell.current, ChangePasswordCard), timeout=WAIT)
    change = shell.current
    screenshot(frame, "shell-09-change-password")
    qtbot.keyClicks(change.new, NEW_PASSWORD)
    qtbot.keyClicks(change.again, NEW_PASSWORD)
    click_in_next_modal("确定", lambda box: seen.update(text=modal_texts(box)))
    click(qtbot, change.ok)
    qtbot.waitUntil(lambda: shell.current is shell.units and shell.units.table.rowCount() == 1, timeout=WAIT)
    assert "修改成功。单位【演示市妇幼保健院东院区】添加成功" in seen["text"]
    assert shell.units.table.item(0, 2).text() == "演示市妇幼保健院东院区"
    screenshot(frame, "shell-10-unit-manager")

    login = open_login(qtbot, shell)
    qtbot.keyClicks(login.password, NEW_PASSWORD)
    click(qtbot, login.ok)
    qtbot.waitUntil(lambda: isinstance(shell.current, DataUpdateCard) or shell.main_window is not None, timeout=WAIT)
    if isinstance(shell.current, DataUpdateCard):
        screenshot(frame, "shell-11-data-update")
    qtbot.waitUntil(lambda: shell.main_window is not None, timeout=WAIT)
    window = shell.main_window
    qtbot.waitUntil(lambda: window.isVisible() and not frame.isVisible(), timeout=WAIT)
    qtbot.waitUntil(window.isMaximized, timeout=WAIT)  # the test screen is smaller than 1366×768
    window.setWindowState(Qt.WindowState.WindowNoState)
    window.resize(1366, 728)  # as maximized on 1366×768 above a taskbar, for the screenshots
    tops = [window.tree.topLevelItem(i).text(0) for i in range(window.tree.topLevelItemCount())]
    assert tops == [
        "首页",
        "职工参保信息更新",
        "缴费工资申报",
        "社保费申报",
        "费款缴纳",
        "证明打印",
        "单位三方协议管理",
        "查询统计",
        "工程项目工伤保险费申报",
        "单位退费申请管理",
    ]
    home = window.pages["home"]
    qtbot.waitUntil(lambda: home.chart.chart is not None, timeout=WAIT)
    screenshot(window, "main-01-home")

    # 单位管理: switch to the other unit of the same 纳税人识别号 without restarting.
    service = UnitService(shell.context)
    other = next(u for u in service.lookup(HOSPITAL, "employer") if u.unit_id == "Z0002")
    session = service.verify(other.unit_id, "000217")
    info = service.registration(session)
    service.change_password(session, "000217", NEW_PASSWORD, NEW_PASSWORD, [r.unit_no for r in info.registrations])
    service.save("employer", other, info, confirmed=True)
    band_buttons = {b.text(): b for b in window.findChildren(type(confirm.ok))}
    click(qtbot, band_buttons["单位管理"])
    qtbot.waitUntil(lambda: frame.isVisible() and shell.main_window is None, timeout=WAIT)
    assert shell.units.table.rowCount() == 2
    row = next(r for r in range(2) if shell.units.table.item(r, 2).text() == "演示市妇幼保健院")
    open_login(qtbot, shell, row)
    qtbot.keyClicks(shell.current.password, NEW_PASSWORD)
    click(qtbot, shell.current.ok)
    qtbot.waitUntil(lambda: shell.main_window is not None, timeout=WAIT)
    assert shell.main_window.unit.name == "演示市妇幼保健院"
    assert "演示市妇幼保健院" in shell.main_window.statusBar().findChildren(type(security.hint))[0].text()
