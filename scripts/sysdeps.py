"""Install the Debian packages a purpose needs (``make run``: desktop; ``make test``: desktop and test; …).

Usage: ``python3 scripts/sysdeps.py desktop [test] [slow]``, or ``python`` for what ``python3 -m venv`` needs.
The packages and how to tell each is there are in ``resources/system-packages.json``. Missing packages are
installed with apt-get when this runs as root on Debian; otherwise they are named with the command that
installs them, and the exit status is 1, so that ``make run`` stops with the reason instead of a window that
never appears.

Standard library only: it runs with the system Python before the virtual environment exists.
"""

from __future__ import annotations

import glob
import importlib.util
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

TABLE = Path(__file__).resolve().parents[1] / "resources" / "system-packages.json"


def wanted(groups: list[str]) -> dict[str, dict[str, str]]:
    table = json.loads(TABLE.read_text(encoding="utf-8"))
    unknown = [g for g in groups if g not in table or g.startswith("_")]
    if unknown:
        raise SystemExit(
            f"sysdeps: unknown group {', '.join(unknown)}; known: {', '.join(k for k in table if k[0] != '_')}"
        )
    return {name: probe for group in groups for name, probe in table[group].items()}


def _installed_by_dpkg(package: str) -> bool:
    result = subprocess.run(
        ["dpkg-query", "-W", "-f=${db:Status-Abbrev}", package], capture_output=True, text=True, check=False
    )
    return result.returncode == 0 and result.stdout.startswith("ii")


def _present(probe: dict[str, str], libraries: str) -> bool:
    """Without dpkg (another distribution): look for the file the package would have brought."""
    if "library" in probe:
        return probe["library"] in libraries
    if "command" in probe:
        return shutil.which(probe["command"]) is not None
    if "glob" in probe:
        return bool(glob.glob(probe["glob"]))
    if "python_module" in probe:
        return importlib.util.find_spec(probe["python_module"]) is not None
    if "font" in probe:
        fonts = subprocess.run(["fc-list", f":lang={probe['font']}"], capture_output=True, text=True, check=False)
        return bool(fonts.stdout.strip()) if shutil.which("fc-list") else False
    return False


def missing(packages: dict[str, dict[str, str]]) -> list[str]:
    if shutil.which("dpkg-query"):
        return [name for name in packages if not _installed_by_dpkg(name)]
    ldconfig = shutil.which("ldconfig") or "/sbin/ldconfig"
    listed = subprocess.run([ldconfig, "-p"], capture_output=True, text=True, check=False).stdout
    return [name for name, probe in packages.items() if not _present(probe, listed)]


def _apt(*args: str) -> bool:
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    done = subprocess.run(["apt-get", *args], env=env, capture_output=True, text=True, check=False)
    if done.returncode != 0:  # its chatter (debconf notes) only matters when it failed
        print(done.stderr.strip()[-2000:], file=sys.stderr)
    return done.returncode == 0


def install(packages: list[str]) -> bool:
    """apt-get install; on failure the package lists may be stale or absent (a fresh container): update once."""
    command = ("install", "-y", "-q", "--no-install-recommends", *packages)
    return _apt(*command) or (_apt("update", "-q") and _apt(*command))


def main(groups: list[str]) -> int:
    packages = wanted(groups or ["desktop"])
    absent = missing(packages)
    if not absent:
        return 0
    names = " ".join(absent)
    can_install = hasattr(os, "geteuid") and os.geteuid() == 0 and shutil.which("apt-get")
    if can_install:
        print(f"正在安装所需的系统软件包 / installing Debian packages: {names}", flush=True)
        if install(absent) and not missing({name: packages[name] for name in absent}):
            return 0
        print(
            f"系统软件包安装失败 / could not install: {names}（请检查网络和软件源 / check the network and apt sources）"
        )
        return 1
    print(f"缺少系统软件包 / missing system packages: {names}", file=sys.stderr)
    if shutil.which("apt-get"):
        print(f"请以管理员身份安装 / install them as root:  sudo apt-get install {names}", file=sys.stderr)
    else:
        print(
            "这不是 Debian 系统：请安装提供上述库的同等软件包 / not Debian: install your distribution's "
            "packages that provide these libraries (see resources/system-packages.json)",
            file=sys.stderr,
        )
    return 1


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
