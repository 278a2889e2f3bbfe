"""Before the window: can it open at all? Checked without Qt, because Qt cannot say so itself.

When Qt finds no display, or its xcb platform plugin cannot load a system library, it prints a line to a
console nobody reads and aborts the process. These checks find the same problems first and say them on the
console in Chinese and English, naming the Debian package that is missing, and the program exits non-zero.
Nothing here imports Qt: a missing library would already break that import.
"""

from __future__ import annotations

import ctypes
import importlib.util
import json
import re
import sys
from collections.abc import Mapping
from pathlib import Path

from sbf_client.paths import resources_dir

MISSING_LIBRARY = re.compile(r"(lib[\w.+-]+\.so(?:\.\d+)*): cannot open shared object file")


class StartProblem(Exception):
    """Why the window cannot open, in both languages."""

    def __init__(self, chinese: str, english: str) -> None:
        super().__init__(f"{chinese}\n{english}")
        self.chinese = chinese
        self.english = english


def package_of(library: str) -> str | None:
    """The Debian package that ships a shared library, from ``resources/system-packages.json``."""
    try:
        table = json.loads((resources_dir() / "system-packages.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    for group, packages in table.items():
        if group.startswith("_"):
            continue
        for name, probe in packages.items():
            if probe.get("library") == library:
                return name
    return None


def missing_library(error: BaseException) -> StartProblem | None:
    """A StartProblem for an import or load error caused by a missing system library, else None."""
    found = MISSING_LIBRARY.search(str(error))
    if found is None:
        return None
    library = found.group(1)
    package = package_of(library)
    install = f"sudo apt-get install {package}" if package else f"安装提供 {library} 的软件包"
    install_en = f"sudo apt-get install {package}" if package else f"install the package that provides {library}"
    return StartProblem(
        f"无法打开客户端窗口：缺少系统库 {library}。请安装后重试（{install}，或运行 make run 自动安装）。",
        f"Cannot open the window: the system library {library} is missing. Install it ({install_en}, "
        "or run `make run`, which installs it) and try again.",
    )


def _xcb_plugin() -> Path | None:
    spec = importlib.util.find_spec("PySide6")
    if spec is None or not spec.submodule_search_locations:
        return None
    plugin = Path(next(iter(spec.submodule_search_locations))) / "Qt" / "plugins" / "platforms" / "libqxcb.so"
    return plugin if plugin.exists() else None


def _check_xcb(display: str) -> None:
    plugin = _xcb_plugin()
    if plugin is not None:
        try:
            ctypes.CDLL(str(plugin))  # loads the same libraries Qt will load, and fails on the same one
        except OSError as error:
            problem = missing_library(error)
            if problem is not None:
                raise problem from None
            raise StartProblem(
                f"无法打开客户端窗口：图形界面组件无法加载（{error}）。",
                f"Cannot open the window: Qt's xcb platform plugin does not load ({error}).",
            ) from None
    try:
        xcb = ctypes.CDLL("libxcb.so.1")
    except OSError:
        return  # the plugin check above has named what is missing
    xcb.xcb_connect.restype = ctypes.c_void_p
    xcb.xcb_connect.argtypes = [ctypes.c_char_p, ctypes.c_void_p]
    xcb.xcb_connection_has_error.argtypes = [ctypes.c_void_p]
    xcb.xcb_disconnect.argtypes = [ctypes.c_void_p]
    connection = xcb.xcb_connect(display.encode(), None)
    try:
        failed = xcb.xcb_connection_has_error(connection)
    finally:
        xcb.xcb_disconnect(connection)
    if failed:
        raise StartProblem(
            f"无法打开客户端窗口：连接不上图形显示 {display}（DISPLAY）。请确认桌面或 Xvfb 正在运行。",
            f"Cannot open the window: the display {display} (DISPLAY) cannot be reached. "
            "Check that the desktop or Xvfb is running.",
        )


def check_desktop(environ: Mapping[str, str], platform: str = sys.platform) -> None:
    """Raise StartProblem when the window could not open on this machine; Windows and macOS always can."""
    if not platform.startswith("linux"):
        return
    chosen = environ.get("QT_QPA_PLATFORM", "")
    display = environ.get("DISPLAY", "")
    if not chosen and not display and not environ.get("WAYLAND_DISPLAY"):
        raise StartProblem(
            "无法打开客户端窗口：没有图形显示（未设置 DISPLAY）。请在桌面环境中运行；"
            "在没有显示器的服务器上可使用 Xvfb，例如 xvfb-run make run。",
            "Cannot open the window: there is no display (DISPLAY is not set). Run it on a desktop; on a "
            "server without a screen use Xvfb, e.g. `xvfb-run make run`.",
        )
    if chosen in ("", "xcb") and display:
        _check_xcb(display)


def report(problem: StartProblem) -> None:
    """On the console, where the person who started the program is looking."""
    print(problem.chinese, file=sys.stderr, flush=True)
    print(problem.english, file=sys.stderr, flush=True)
