"""Finds the installed business modules through the ``sbf_client.modules`` entry-point group.

Both built-in modules are discovered this way too, so the shell has no import of either. A module
that fails to load is reported, not fatal.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from importlib.metadata import entry_points

from .spec import ModuleSpec

GROUP = "sbf_client.modules"
log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Registry:
    modules: tuple[ModuleSpec, ...]
    failures: dict[str, str] = field(default_factory=dict)

    def get(self, module_id: str) -> ModuleSpec:
        for spec in self.modules:
            if spec.id == module_id:
                return spec
        raise KeyError(module_id)

    def ids(self) -> list[str]:
        return [spec.id for spec in self.modules]


def discover(only: set[str] | None = None) -> Registry:
    """Load every module declared in the entry-point group (or just those in ``only``)."""
    found: list[ModuleSpec] = []
    failures: dict[str, str] = {}
    for entry in entry_points(group=GROUP):
        if only is not None and entry.name not in only:
            continue
        try:
            spec = entry.load()
            if not isinstance(spec, ModuleSpec):
                raise TypeError(f"{entry.value} is not a ModuleSpec")
        except Exception as exc:  # a broken module must not take the shell down
            log.exception("business module %s failed to load", entry.name)
            failures[entry.name] = f"{type(exc).__name__}: {exc}"
            continue
        found.append(spec)
    return Registry(tuple(sorted(found, key=lambda s: s.order)), failures)
