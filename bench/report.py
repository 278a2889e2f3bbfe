"""The one output format of every benchmark: ``BENCH <name> <value> <unit> [ratio=<r> vs <reference>]``."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import TypeVar

T = TypeVar("T")


def emit(name: str, value: float, unit: str, *, reference: float | None = None, reference_name: str = "") -> None:
    line = f"BENCH {name} {value:.4g} {unit}"
    if reference is not None and reference > 0:
        line += f" ratio={value / reference:.3g} vs {reference_name}"
    print(line, flush=True)


def timed(action: Callable[[], T]) -> tuple[float, T]:
    """Seconds taken by one call, and its result."""
    start = time.perf_counter()
    result = action()
    return time.perf_counter() - start, result


def best_of(repeats: int, action: Callable[[], object]) -> float:
    return min(timed(action)[0] for _ in range(repeats))
