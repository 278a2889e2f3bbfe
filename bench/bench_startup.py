"""Start-up: ``sbf-client --help`` against a bare interpreter, and the desktop's first window and first screen
against a bare PySide6 window, each a child process timed from its start to what it shows (best of five).

Goals on an idle 2-core machine: the command line ≤ 0.3 s, the first window ≤ 1 s. The window is drawn on an
X server when one can be started here (Xvfb), else offscreen.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

from bench.report import emit

ROUNDS = 5
BARE_WINDOW = """
import sys, time
from PySide6.QtCore import QEvent, QObject
from PySide6.QtWidgets import QApplication, QLabel
app = QApplication(sys.argv[:1])
class Probe(QObject):
    def eventFilter(self, watched, event):
        if event.type() == QEvent.Type.Paint:
            with open(sys.argv[1], "w") as out:
                out.write(f"window {time.time():.6f}\\n")
            QApplication.quit()
        return False
label = QLabel("社保费管理客户端")
probe = Probe()
label.installEventFilter(probe)
label.resize(1100, 680)
label.show()
app.exec()
"""


def _best(command: list[str], env: dict[str, str], rounds: int = ROUNDS) -> float:
    best = float("inf")
    for _ in range(rounds):
        began = time.perf_counter()
        subprocess.run(command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True)
        best = min(best, time.perf_counter() - began)
    return best


def _painted(command: list[str], env: dict[str, str], probe: Path) -> dict[str, float]:
    """Seconds from spawning ``command`` to each first paint it wrote into ``probe``."""
    probe.unlink(missing_ok=True)
    began = time.time()
    subprocess.run(command, env={**env, "SBF_STARTUP_PROBE": str(probe)}, capture_output=True, check=True, timeout=120)
    return {name: float(at) - began for name, at in (line.split() for line in probe.read_text().splitlines())}


def _best_paints(command: list[str], env: dict[str, str], probe: Path) -> dict[str, float]:
    rounds = [_painted(command, env, probe) for _ in range(ROUNDS)]
    return {name: min(r[name] for r in rounds) for name in rounds[0]}


def _display(scratch: Path) -> tuple[dict[str, str], subprocess.Popen[bytes] | None]:
    if shutil.which("Xvfb") is None:
        return {"QT_QPA_PLATFORM": "offscreen"}, None
    number = 90 + os.getpid() % 100
    server = subprocess.Popen(
        ["Xvfb", f":{number}", "-screen", "0", "1366x768x24", "-nolisten", "tcp"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 20
    while not Path(f"/tmp/.X11-unix/X{number}").exists() and time.monotonic() < deadline:
        time.sleep(0.05)
    return {"DISPLAY": f":{number}"}, server


def run(scratch: Path) -> None:
    base = {k: v for k, v in os.environ.items() if k not in ("DISPLAY", "QT_QPA_PLATFORM", "WAYLAND_DISPLAY")}
    bare = _best([sys.executable, "-c", "pass"], base)
    help_time = _best([sys.executable, "-m", "sbf_client", "--help"], base)
    emit("cli_help", help_time, "s", reference=bare, reference_name="bare_interpreter")

    display, server = _display(scratch)
    try:
        env = {**base, **display, "SBF_HOME": str(scratch / "home")}
        bare_script = scratch / "bare_window.py"
        bare_script.write_text(BARE_WINDOW, encoding="utf-8")
        probe = scratch / "probe"
        reference = _best_paints([sys.executable, str(bare_script), str(probe)], env, probe)["window"]
        client = [sys.executable, "-m", "sbf_client"]
        _painted(client, env, probe)  # the first start creates the data folder; measured are the usual starts
        painted = _best_paints(client, env, probe)
        where = "xvfb" if server is not None else "offscreen"
        for shown in ("window", "screen"):
            name = f"desktop_first_{shown}_{where}"
            emit(name, painted[shown], "s", reference=reference, reference_name="bare_pyside6")
    finally:
        if server is not None:
            server.kill()
            server.wait(10)
