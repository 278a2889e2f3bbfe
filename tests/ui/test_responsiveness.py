"""The UI thread never waits for the network or a large query: the event loop keeps ticking while a
100,000-employee unit logs in for the first time (full update), and the list of 100,000 stays quick."""

import time

from PySide6.QtCore import Qt, QTimer

from sbf_client.services.context import ClientContext
from sbf_client.services.sandbox import start_sandbox
from sbf_client.store.home import DataHome
from sbf_client.ui.shell.controller import ShellController
from tests.conftest import TEST_SEED
from tests.helpers import CLI_PASSWORD, context_with_unit

LARGE = "91990101MA5D00040G"
WAIT = 120_000


class Ticks:
    """Records the longest gap between the ticks of a 20 ms timer on the UI thread."""

    def __init__(self) -> None:
        self.longest = 0.0
        self.last = time.perf_counter()
        self.timer = QTimer()
        self.timer.setInterval(20)
        self.timer.timeout.connect(self.tick)

    def tick(self) -> None:
        now = time.perf_counter()
        self.longest = max(self.longest, now - self.last)
        self.last = now

    def start(self) -> None:
        self.last = time.perf_counter()
        self.timer.start()

    def stop(self) -> float:
        self.timer.stop()
        return self.longest


def test_the_event_loop_keeps_ticking_through_a_100k_first_login(qtbot, tmp_path, screenshot):
    sandbox = start_sandbox(tmp_path / "sandbox", seed=TEST_SEED, scale=100_000)
    try:
        context, _unit, _session = context_with_unit(tmp_path / "home", sandbox, LARGE, "9901010000168")
        context.close()
        context = ClientContext(DataHome(tmp_path / "home"))
        shell = ShellController(context)
        shell.start()
        qtbot.addWidget(shell.frame)
        button = shell.units.table.cellWidget(0, 6).findChildren(type(shell.units.add_button))[0]
        qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
        qtbot.keyClicks(shell.current.password, CLI_PASSWORD)
        ticks = Ticks()
        ticks.start()
        qtbot.mouseClick(shell.current.ok, Qt.MouseButton.LeftButton)
        qtbot.waitUntil(lambda: shell.main_window is not None, timeout=WAIT)
        window = shell.main_window
        window.open_menu("employee_info")
        page = window.pages["employee_info"]
        qtbot.waitUntil(lambda: page.table.total() == 100_000, timeout=WAIT)
        page.table.set_query(page._filters({"status": "1"}))
        qtbot.waitUntil(lambda: 0 < page.table.total() < 100_000, timeout=WAIT)
        page.table.table.scrollToBottom()
        qtbot.wait(200)
        longest = ticks.stop()
        screenshot(window, "responsive-100k-employee-info")
        print(f"longest UI stall: {longest * 1000:.0f} ms")
        assert longest < 0.3, f"the UI thread stalled for {longest * 1000:.0f} ms"
        window.switching = True
        window.close()
        context.close()
    finally:
        sandbox.stop()
