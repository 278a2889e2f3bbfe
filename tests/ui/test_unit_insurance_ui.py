"""单位参保信息查询 (manual 2.19) and 单位信息 (4.4) in the window, used as a user would: the list downloaded at
login, 查询 by 社保经办机构 and 征收项目, 【更新】 after the employees changed, 【导出】 read back from the .xlsx, the
manual's note when nothing was downloaded, offline browsing with 【更新】 disabled, and 参数设置中心 › 单位管理 ›
单位信息 online and offline. Screenshots of both pages."""

from __future__ import annotations

from decimal import Decimal

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QComboBox, QFileDialog, QLabel
from python_calamine import CalamineWorkbook

from sbf_client.core.money import format_amount
from sbf_client.modules.employer.services.unit_insurance import NEVER_DOWNLOADED, UNIT_INSURANCE, UNNAMED_CATEGORIES
from sbf_client.modules.employer.ui.unit_insurance import UPDATED, UnitInsurancePage
from sbf_client.remote.contract.demo import UNITS
from sbf_client.store.codes import CodeTables
from sbf_client.ui.list_page import EXPORTED, OFFLINE_TIP
from sbf_client.ui.shell.data_update import DataUpdateCard
from sbf_client.ui.shell.unit_info import FROM_SERVER, UnitInfoPage
from tests.helpers import CLI_PASSWORD, admin
from tests.ui.shell_fixtures import close_shell, log_in, main_window_at_1366, shell_with_unit
from tests.ui.shell_helpers import click_in_next_modal, modal_texts, on_next_modal

WAIT = 60_000
MULTI, MULTI_NO = "129901014557560827", "9901020000017"  # 演示市第一中学: three 单位编号, three 社保经办机构
MEDICAL = "演示市医疗保障事业管理中心"
ITEMS = ("10218", "10211", "10212", "10213", "10214")  # a 机关事业单位's 险种, as the 管理子系统 lists them
INSURANCE_PATH = "/mgmt/v1/units/Z0006/insurance"


@pytest.fixture
def shell(qtbot, sandbox, tmp_path):
    controller = shell_with_unit(qtbot, sandbox, tmp_path / "home", MULTI, MULTI_NO)
    yield controller
    close_shell(controller)


def logged_in(qtbot, shell):  # type: ignore[no-untyped-def]
    shell.show_units()
    log_in(qtbot, shell, CLI_PASSWORD)
    return main_window_at_1366(qtbot, shell, WAIT)


def open_page(qtbot, window, rows: int = 15) -> UnitInsurancePage:  # type: ignore[no-untyped-def]
    window.open_menu("unit_insurance")
    page = window.pages["unit_insurance"]
    assert isinstance(page, UnitInsurancePage)
    qtbot.waitUntil(lambda: page.table.total() == rows and "正在" not in page.stats.text(), timeout=WAIT)
    return page


def column_of(page, key: str) -> int:  # type: ignore[no-untyped-def]
    return page.table.model.column_of(key)


def column(page, key: str) -> list[str]:  # type: ignore[no-untyped-def]
    at = column_of(page, key)
    return [page.table.model.index(row, at).data() or "" for row in range(page.table.model.rowCount())]


def combo(page, key: str) -> QComboBox:  # type: ignore[no-untyped-def]
    return page.query_panel.combo(key)


def combo_texts(box: QComboBox) -> list[str]:
    return [box.itemText(i) for i in range(box.count())]


def choose(qtbot, page, key: str, text: str) -> None:  # type: ignore[no-untyped-def]
    box = combo(page, key)
    box.setCurrentIndex(combo_texts(box).index(text))
    qtbot.mouseClick(page.query_panel.query_button, Qt.MouseButton.LeftButton)


def cached_bases(page) -> list[str]:  # type: ignore[no-untyped-def]
    with page.page.session.engine.connect() as conn:
        return list(conn.exec_driver_sql("SELECT base FROM unit_insurance ORDER BY unit_no, id").scalars())


def test_the_list_its_query_update_and_export(qtbot, shell, sandbox, tmp_path, screenshot, monkeypatch):
    window = logged_in(qtbot, shell)
    page = open_page(qtbot, window)
    assert window.breadcrumb.text() == "首页 >> 查询统计 >> 单位参保信息查询"
    codes = CodeTables.of(page.page.session.context.store)
    assert not page.note.isVisible()
    assert page.stats.text().startswith("单位编号：3个  正常缴费：15项  停止缴费：0项  下载时间：")
    headers = [page.table.model.headerData(c, Qt.Orientation.Horizontal) for c in range(page.table.model.columnCount())]
    assert headers == ["序号", *(c.title for c in UNIT_INSURANCE.columns)]
    assert column(page, "item")[:5] == [codes.name("item", i) for i in ITEMS]
    assert "机关事业单位基本养老保险费" in column(page, "item") and set(column(page, "end_month")) == {"长期"}
    pension = column(page, "item").index("机关事业单位基本养老保险费")
    assert column(page, "category")[pension] == "机关事业单位基本养老保险（单位缴纳）"
    assert column(page, "sub")[pension] == ""  # blank, as the 管理子系统 sends it
    assert column(page, "base") == [format_amount(Decimal(b)) for b in cached_bases(page)]
    assert combo_texts(combo(page, "unit_no")) == ["全部", "9901010000143", "9901020000017", "9901030000021"]
    assert MEDICAL in combo_texts(combo(page, "agency"))
    assert combo_texts(combo(page, "item"))[1:] == [codes.name("item", i) for i in sorted(ITEMS)]  # by code
    screenshot(window, "unit-insurance-01-list")
    scroll = page.table.table.horizontalScrollBar()
    scroll.setValue(scroll.maximum())  # the columns on the right: 参保状态 … 缴费基数
    screenshot(window, "unit-insurance-01-list-right")
    scroll.setValue(0)

    choose(qtbot, page, "agency", MEDICAL)
    qtbot.waitUntil(lambda: page.table.total() == 5, timeout=WAIT)
    assert set(column(page, "agency")) == {MEDICAL}
    choose(qtbot, page, "item", "工伤保险费")
    qtbot.waitUntil(lambda: page.table.total() == 1, timeout=WAIT)
    assert column(page, "unit_no") == ["9901030000021"] and column(page, "item") == ["工伤保险费"]
    screenshot(window, "unit-insurance-02-queried")

    exported = tmp_path / "单位参保信息.xlsx"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *_a, **_k: (str(exported), ""))
    said: dict[str, str] = {}
    click_in_next_modal("确定", lambda box: said.update(text=modal_texts(box)))
    qtbot.mouseClick(page.buttons["export"], Qt.MouseButton.LeftButton)  # 【导出】: the query's results
    qtbot.waitUntil(lambda: "text" in said, timeout=WAIT)
    assert EXPORTED.format(count=1) in said["text"]
    header, *rows = CalamineWorkbook.from_path(str(exported)).get_sheet_by_name("单位参保信息").to_python()
    assert header == [c.title for c in UNIT_INSURANCE.columns]
    assert len(rows) == 1 and rows[0][:2] == ["9901030000021", MEDICAL] and rows[0][3] == "工伤保险费"
    with page.page.session.engine.connect() as conn:
        base = conn.exec_driver_sql(
            "SELECT base FROM unit_insurance WHERE unit_no = '9901030000021' AND item = '10213'"
        ).scalar_one()
    assert rows[0][8] == "长期" and Decimal(str(rows[0][9])) == Decimal(base)  # money as a number
    page.query_panel.reset()
    qtbot.waitUntil(lambda: page.table.total() == 15, timeout=WAIT)

    before = cached_bases(page)
    admin(sandbox, "POST", "/admin/units/Z0006/feeds/employees/mutate", {"base_changes": 40})
    click_in_next_modal("确定", lambda box: said.update(updated=modal_texts(box)))
    qtbot.mouseClick(page.buttons["update"], Qt.MouseButton.LeftButton)  # 【更新】
    qtbot.waitUntil(lambda: "updated" in said, timeout=WAIT)
    assert UPDATED.format(count=15) in said["updated"]
    after = cached_bases(page)
    assert after != before
    qtbot.waitUntil(lambda: column(page, "base") == [format_amount(Decimal(b)) for b in after], timeout=WAIT)

    # M2668: a blank 征收品目 shows blank; one the 规则文件 does not name is pointed out, never an error.
    with page.page.session.engine.begin() as conn:
        conn.exec_driver_sql("UPDATE unit_insurance SET category = '' WHERE item = '10213'")
        conn.exec_driver_sql("UPDATE unit_insurance SET category = '102149999' WHERE item = '10214'")
    page.refresh()
    qtbot.waitUntil(lambda: "" in column(page, "category"), timeout=WAIT)
    injury = [row for row, item in enumerate(column(page, "item")) if item == "工伤保险费"]
    assert {column(page, "category")[row] for row in injury} == {""}
    assert page.note.isVisible() and page.note.text() == UNNAMED_CATEGORIES
    screenshot(window, "unit-insurance-06-unnamed-category")


def test_nothing_downloaded_says_why_and_update_fills_it(qtbot, shell, sandbox, screenshot):
    admin(sandbox, "PUT", "/admin/faults", {"error_rate": 1.0, "path_prefix": INSURANCE_PATH})
    shell.show_units()
    log_in(qtbot, shell, CLI_PASSWORD)
    qtbot.waitUntil(lambda: isinstance(shell.current, DataUpdateCard) and shell.current.enter.isVisible(), timeout=WAIT)
    card = shell.current
    assert "更新单位参保信息：" in card.problems.text()  # the login says which download failed …
    screenshot(shell.frame, "unit-insurance-03-login-problem")
    qtbot.mouseClick(card.enter, Qt.MouseButton.LeftButton)  # … and lets the user go on with the cached data
    window = main_window_at_1366(qtbot, shell, WAIT)
    page = open_page(qtbot, window, rows=0)
    assert page.note.isVisible() and page.note.text() == NEVER_DOWNLOADED
    assert page.stats.text() == "尚未下载单位参保信息"
    screenshot(window, "unit-insurance-04-nothing-downloaded")

    admin(sandbox, "PUT", "/admin/faults", {})
    said: dict[str, str] = {}
    click_in_next_modal("确定", lambda box: said.update(text=modal_texts(box)))
    page.update_insurance()
    qtbot.waitUntil(lambda: "text" in said, timeout=WAIT)
    qtbot.waitUntil(lambda: page.table.total() == 15, timeout=WAIT)
    assert not page.note.isVisible()
    assert len(combo_texts(combo(page, "agency"))) == 4  # the drop-downs follow the new list


def test_offline_the_cached_list_and_unit_info_still_show(qtbot, shell, sandbox, screenshot):
    window = logged_in(qtbot, shell)
    page = open_page(qtbot, window)
    online = column(page, "base")
    shell.switch_unit()
    sandbox.stop()
    click_in_next_modal("确定")  # 离线模式: the server cannot be reached
    window = logged_in(qtbot, shell)
    assert window.page_context.session.offline
    page = open_page(qtbot, window)
    assert column(page, "base") == online
    assert not page.buttons["update"].isEnabled() and page.buttons["update"].toolTip() == OFFLINE_TIP
    assert page.buttons["export"].isEnabled()
    choose(qtbot, page, "agency", MEDICAL)
    qtbot.waitUntil(lambda: page.table.total() == 5, timeout=WAIT)
    screenshot(window, "unit-insurance-05-offline")

    seen: dict[str, object] = {}

    def settings(dialog):  # type: ignore[no-untyped-def]
        dialog.tabs.setCurrentIndex(1)  # 单位管理 › 单位信息
        info = dialog.findChild(UnitInfoPage)
        seen.update(fields={k: f.text() for k, f in info.fields.items()}, note=info.note.text())
        seen["read_only"] = all(f.isReadOnly() for f in info.fields.values())
        seen["numbers"] = [info.registrations.item(r, 0).text() for r in range(info.registrations.rowCount())]
        screenshot(dialog, "unit-info-offline")
        dialog.reject()

    on_next_modal(settings, lambda modal: modal.windowTitle() == "参数设置中心")
    window.show_settings()
    fields = seen["fields"]
    assert fields["纳税人识别号"] == MULTI and fields["单位名称"] == "演示市第一中学"
    assert (fields["法定代表人"], fields["行业"]) == ("郑宏伟", "中等教育")
    assert (fields["企业类型"], fields["上市公司"]) == ("事业单位", "否")
    assert fields["邮政编码"] == "990102" and fields["电子邮箱"] == "office@yizhong.example.com"
    assert seen["read_only"] and str(seen["note"]).startswith(FROM_SERVER)
    assert seen["numbers"] == ["9901010000143", "9901020000017", "9901030000021"]


def test_unit_info_shows_blanks_as_blanks(qtbot, sandbox, tmp_path, screenshot):
    stationer = next(u.taxpayer_id for u in UNITS if u.unit_id == "Z0005")  # 晨光文具店, a 内资个体
    shell = shell_with_unit(qtbot, sandbox, tmp_path / "home", stationer, "12345")
    try:
        window = logged_in(qtbot, shell)
        dialog_seen: dict[str, object] = {}

        def settings(dialog):  # type: ignore[no-untyped-def]
            dialog.tabs.setCurrentIndex(1)
            info = dialog.findChild(UnitInfoPage)
            dialog_seen.update(fields={k: f.text() for k, f in info.fields.items()})
            dialog_seen["labels"] = [label.text() for label in info.findChildren(QLabel)]
            screenshot(dialog, "unit-info-01")
            dialog.reject()

        on_next_modal(settings, lambda modal: modal.windowTitle() == "参数设置中心")
        window.show_settings()
        fields = dialog_seen["fields"]
        assert fields["企业类型"] == "内资个体" and fields["上市公司"] == "否"
        assert fields["财务负责人"] == fields["邮政编码"] == fields["联系电话"] == fields["电子邮箱"] == ""
        assert "法定代表人\n（或单位负责人）：" in dialog_seen["labels"]
    finally:
        close_shell(shell)
