"""A 100,000-employee unit's first login through the shell: the 数据更新 bar moves through the full update,
and the employee list counts all 100,000, filters them exactly and shows the last row of its page.

How long the UI thread stalls meanwhile is speed, not behaviour: ``make bench`` measures it
(bench/bench_ui_stall.py, ``BENCH ui_longest_stall``)."""

from PySide6.QtCore import Qt

from sbf_client.services.sandbox import start_sandbox
from sbf_client.ui.shell.data_update import DataUpdateCard
from tests.conftest import TEST_SEED
from tests.helpers import CLI_PASSWORD
from tests.ui.shell_fixtures import close_shell, open_login, shell_with_unit

LARGE = "91990101MA5D00040G"
EMPLOYEES = 100_000
WAIT = 240_000  # a ceiling for a loaded machine, not a measure: nothing here is timed


def column_of(model, title):
    return next(c for c in range(model.columnCount()) if model.headerData(c, Qt.Orientation.Horizontal) == title)


def test_a_100k_first_login_shows_its_progress_and_lists_counts_and_filters_everyone(qtbot, tmp_path, screenshot):
    sandbox = start_sandbox(tmp_path / "sandbox", seed=TEST_SEED, scale=EMPLOYEES)
    try:
        shell = shell_with_unit(qtbot, sandbox, tmp_path / "home", LARGE, "9901010000168")
        qtbot.keyClicks(open_login(qtbot, shell).password, CLI_PASSWORD)
        shown: list[int] = []
        show_data_update = shell._show

        def watch_the_bar(card):  # type: ignore[no-untyped-def]
            if isinstance(card, DataUpdateCard):
                card.bar.valueChanged.connect(shown.append)
            show_data_update(card)

        shell._show = watch_the_bar
        qtbot.mouseClick(shell.current.ok, Qt.MouseButton.LeftButton)
        qtbot.waitUntil(lambda: shell.main_window is not None, timeout=WAIT)
        assert any(0 < value < 1000 for value in shown), shown  # the one bar moved through the update
        window = shell.main_window
        window.open_menu("employee_info")
        page = window.pages["employee_info"]
        qtbot.waitUntil(lambda: page.table.total() == EMPLOYEES, timeout=WAIT)
        with page.page.session.engine.connect() as conn:
            cached = conn.exec_driver_sql("SELECT count(*) FROM employees").scalar_one()
            paying = conn.exec_driver_sql("SELECT count(*) FROM employees WHERE status = '1'").scalar_one()
        assert cached == EMPLOYEES and 0 < paying < EMPLOYEES
        page.run_query({"status": "1"})
        qtbot.waitUntil(lambda: page.table.total() == paying, timeout=WAIT)
        model = page.table.model
        assert model.rowCount() == min(model.page_size() or paying, paying)  # one page, its rows read block by block
        page.table.table.scrollToBottom()  # the last block is fetched off the UI thread, then shown
        qtbot.waitUntil(lambda: bool(model.index(model.rowCount() - 1, column_of(model, "姓名")).data()), timeout=WAIT)
        screenshot(window, "responsive-100k-employee-info")
        close_shell(shell)
    finally:
        sandbox.stop()
