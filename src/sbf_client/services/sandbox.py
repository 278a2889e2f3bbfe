"""Starting the sandbox subsystem as a child process: the 演示地区's servers, and every test's.

The sandbox runs in its own process so that its work never competes with the UI thread, and so that
stopping it is as real as a server going down.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from sbf_client.core.errors import SbfError
from sbf_client.remote.contract.sandbox import DEFAULT_SCALE, DEFAULT_SEED, PROGRESS_PREFIX, READY_PREFIX
from sbf_client.remote.http import Endpoints

LOG_NAME = "sandbox.log"


@dataclass(frozen=True)
class SandboxOptions:
    """How the embedded sandbox of the 演示地区 is started; ``SBF_SANDBOX_SCALE``, ``SBF_SANDBOX_SEED`` and
    ``SBF_SANDBOX_FEEDBACK_DELAY`` change it (e.g. a smaller demo world on a slow machine)."""

    seed: int = DEFAULT_SEED
    scale: int = DEFAULT_SCALE
    feedback_delay: float = 20.0

    @classmethod
    def from_environment(cls) -> SandboxOptions:
        """The options the variables set, each checked here, before a sandbox is started with them."""

        def read(name: str, default: float, low: float, high: float, kind: type[int] | type[float]) -> float:
            text = os.environ.get(name, "").strip()
            if not text:
                return default
            what = "整数" if kind is int else "数字"
            bounds = f"{low}到{high}" if kind is int else f"{low:g}到{high:g}"
            try:
                value = kind(text) if len(text) <= 30 else None
            except ValueError:
                value = None
            if value is None or not low <= value <= high:  # also refuses nan
                shown = text if len(text) <= 40 else text[:40] + "…"
                raise SbfError(f"环境变量 {name} 的值“{shown}”无效：应为{bounds}之间的{what}。请改正或删除该变量。")
            return value

        # The bounds are the sandbox's own (sbf_sandbox.build MIN_SCALE, MAX_SCALE), which it enforces again.
        return cls(
            seed=int(read("SBF_SANDBOX_SEED", DEFAULT_SEED, 0, 2**63 - 1, int)),
            scale=int(read("SBF_SANDBOX_SCALE", DEFAULT_SCALE, 10, 1_000_000, int)),
            feedback_delay=read("SBF_SANDBOX_FEEDBACK_DELAY", 20.0, 0, 86_400, float),
        )


class SandboxStartError(SbfError):
    """The embedded sandbox did not come up."""


def sandbox_command(*args: str) -> list[str]:
    """The command that runs ``sbf-sandbox`` with this interpreter, or this frozen program."""
    if getattr(sys, "frozen", False):
        return [sys.executable, "--embedded-sandbox", *args]
    return [sys.executable, "-m", "sbf_sandbox", *args]


@dataclass
class RunningSandbox:
    url: str
    data_dir: Path
    process: subprocess.Popen[bytes]

    def endpoints(self, region_id: str) -> Endpoints:
        root = f"{self.url}/r/{region_id}"
        return Endpoints(mgmt_url=root, coll_url=root)

    @property
    def alive(self) -> bool:
        return self.process.poll() is None

    def stop(self, timeout: float = 10.0) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout)

    def kill(self) -> None:
        """Stop it the hard way (a crashed server)."""
        if self.process.poll() is None:
            self.process.kill()
            self.process.wait(10)


def start_sandbox(
    data_dir: Path,
    *,
    port: int = 0,
    host: str = "127.0.0.1",
    seed: int = DEFAULT_SEED,
    scale: int = DEFAULT_SCALE,
    extra: tuple[str, ...] = (),
    timeout: float = 300.0,
    on_progress: Callable[[int, int], None] | None = None,
    should_stop: Callable[[], bool] = lambda: False,
) -> RunningSandbox:
    """Start ``sbf-sandbox serve`` on loopback and wait until it says where it listens.

    The first start in a data directory generates the demo data (a few seconds for the default
    100,000-employee unit, more on a busy machine), reported to ``on_progress`` as people written of all;
    later starts reuse it. ``timeout`` counts from the last sign of life, so a slow generation is waited
    for while a hung one is not.
    """
    data_dir.mkdir(parents=True, exist_ok=True)
    log_path = data_dir / LOG_NAME
    log = log_path.open("ab")
    position = log.tell()
    start_offset = position
    command = sandbox_command(
        "serve",
        "--data",
        str(data_dir),
        "--host",
        host,
        "--port",
        str(port),
        "--seed",
        str(seed),
        "--scale",
        str(scale),
        "--parent-pid",
        str(os.getpid()),
        *extra,
    )
    flags = getattr(subprocess, "CREATE_NO_WINDOW", 0)
    env = {**os.environ, "PYTHONUNBUFFERED": "1", "PYTHONIOENCODING": "utf-8"}
    process = subprocess.Popen(command, stdout=log, stderr=log, stdin=subprocess.DEVNULL, creationflags=flags, env=env)
    log.close()
    deadline = time.monotonic() + timeout
    pending = b""
    while time.monotonic() < deadline:
        with log_path.open("rb") as reader:
            reader.seek(position)
            chunk = reader.read()
        position += len(chunk)
        *lines, pending = (pending + chunk).split(b"\n")
        for raw in lines:
            line = raw.decode("utf-8", "replace").strip()
            if line.startswith(READY_PREFIX):
                return RunningSandbox(line[len(READY_PREFIX) :], data_dir, process)
            if line.startswith(PROGRESS_PREFIX):
                deadline = time.monotonic() + timeout
                if on_progress is not None:
                    done, total = line[len(PROGRESS_PREFIX) :].split()[:2]
                    on_progress(int(done), int(total))
        if process.poll() is not None or should_stop():
            break
        time.sleep(0.05)
    if process.poll() is None:
        process.kill()
        process.wait(10)
    if should_stop():
        raise SandboxStartError("演示地区服务的启动已取消。")
    tail = log_path.read_bytes()[start_offset:][-2000:].decode("utf-8", "replace")
    raise SandboxStartError(f"演示地区服务启动失败，请查看日志 {log_path}。\n{tail}")
