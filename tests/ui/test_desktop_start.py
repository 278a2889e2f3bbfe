"""Starting the desktop program as a user does, in a child process: the window on a real X server (Xvfb), and
when it cannot open, the reason on the console in Chinese and English and a non-zero exit."""

import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

from sbf_client.ui.preflight import StartProblem, check_desktop, missing_library
from tests.helpers import free_port

START_TIMEOUT = 120


def desktop(home: Path, env: dict[str, str], probe: Path | None = None) -> subprocess.CompletedProcess[str]:
    """``sbf-client --home HOME`` with exactly this environment (plus the interpreter's essentials)."""
    base = {k: os.environ[k] for k in ("PATH", "HOME", "SBF_TODAY", "PYTHONPATH") if k in os.environ}
    if probe is not None:
        base["SBF_STARTUP_PROBE"] = str(probe)
    return subprocess.run(
        [sys.executable, "-m", "sbf_client", "--home", str(home)],
        env={**base, **env},
        capture_output=True,
        text=True,
        timeout=START_TIMEOUT,
        check=False,
    )


def assert_refused(result: subprocess.CompletedProcess[str], chinese: str, english: str) -> None:
    assert result.returncode != 0
    assert chinese in result.stderr and english in result.stderr, result.stderr
    assert "Traceback" not in result.stderr + result.stdout


def test_without_a_display_it_says_why_and_exits_non_zero(tmp_path):
    result = desktop(tmp_path / "home", {})
    assert_refused(result, "没有图形显示（未设置 DISPLAY）", "there is no display")
    assert not (tmp_path / "home").exists()  # refused before anything was written


def test_a_display_that_is_not_there_is_named(tmp_path):
    result = desktop(tmp_path / "home", {"DISPLAY": ":97"})
    assert_refused(result, "连接不上图形显示 :97", "cannot be reached")


def test_a_data_folder_that_is_a_file_is_refused_on_the_console(tmp_path):
    home = tmp_path / "home"
    home.write_text("not a folder")
    result = desktop(home, {"QT_QPA_PLATFORM": "offscreen"})
    assert_refused(result, "是一个文件，不是文件夹", "is a file, not a folder")


def test_a_damaged_app_database_is_refused_and_left_as_it_was(tmp_path):
    home = tmp_path / "home"
    home.mkdir()
    damaged = b"SQLite format 3\x00" + os.urandom(4000)
    (home / "app.sqlite").write_bytes(damaged)
    result = desktop(home, {"QT_QPA_PLATFORM": "offscreen"})
    assert_refused(result, "已损坏", "is damaged")
    assert (home / "app.sqlite").read_bytes() == damaged


def test_a_missing_system_library_names_its_debian_package():
    error = OSError("libxcb-icccm.so.4: cannot open shared object file: No such file or directory")
    problem = missing_library(error)
    assert problem is not None
    assert "libxcb-icccm.so.4" in problem.chinese and "sudo apt-get install libxcb-icccm4" in problem.chinese
    assert "libxcb-icccm4" in problem.english
    assert missing_library(ImportError("No module named 'PySide6'")) is None


def test_no_display_is_found_before_qt_is_asked():
    with pytest.raises(StartProblem, match="DISPLAY"):
        check_desktop({}, platform="linux")
    check_desktop({}, platform="win32")  # Windows always has a screen
    check_desktop({"QT_QPA_PLATFORM": "offscreen"}, platform="linux")


@pytest.fixture
def xvfb():
    if shutil.which("Xvfb") is None:
        pytest.skip("Xvfb is not installed (make test installs it)")
    number = free_port() % 10_000 + 100
    server = subprocess.Popen(
        ["Xvfb", f":{number}", "-screen", "0", "1366x768x24", "-nolisten", "tcp"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    socket = Path(f"/tmp/.X11-unix/X{number}")
    deadline = time.monotonic() + 30
    while not socket.exists() and time.monotonic() < deadline:
        time.sleep(0.05)
    yield f":{number}"
    server.kill()
    server.wait(10)


def test_on_an_x_server_the_window_opens_with_its_first_screen(tmp_path, xvfb):
    probe = tmp_path / "probe"
    result = desktop(tmp_path / "home", {"DISPLAY": xvfb, "SBF_SANDBOX_SCALE": "10"}, probe)
    assert result.returncode == 0, result.stderr
    painted = dict(line.split() for line in probe.read_text().splitlines())
    assert set(painted) == {"window", "screen"}
    assert float(painted["window"]) <= float(painted["screen"])  # the window comes first, then the screen
    assert "Traceback" not in result.stderr
