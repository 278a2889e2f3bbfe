"""Every ``"package.module:name"`` reference a registered business module declares loads, and is the kind of
object its place needs: a page class for a menu item, a ``Dataset`` for a dataset, a callable of the right
signature for a start-up job, a 首页 provider or a command, a ``BusinessSandbox`` for the module's part of the
sandbox. A page (or anything else) that no longer imports fails here, not in a user's hands.

Pages import PySide6: run under ``QT_QPA_PLATFORM=offscreen``.
"""

from __future__ import annotations

import inspect
import typing
from collections.abc import Callable
from typing import Any

import pytest
from fastapi import APIRouter
from sqlalchemy import create_engine

from sbf_client.core.references import load_object
from sbf_client.plugins.registry import discover
from sbf_client.plugins.spec import Chart, HomeInputs, ModuleSpec, Reminders
from sbf_client.remote.contract.models import Business
from sbf_client.sync.dataset import Dataset
from sbf_client.ui.page import Page
from sbf_sandbox.business import BusinessSandbox
from sbf_sandbox.state import SandboxState

REGISTRY = discover()


def declared(spec: ModuleSpec) -> list[tuple[str, str]]:
    """(kind, reference) of everything the module names by reference."""
    found = [("page", node.page) for root in spec.menu for node in root.walk() if node.page]
    found += [("dataset", reference) for reference in spec.datasets]
    found += [("startup", job.run) for job in spec.startup]
    found += [("cli", reference) for reference in spec.cli]
    found += [("home_reminders", spec.home_reminders)] if spec.home_reminders else []
    found += [("home_chart", spec.home_chart)] if spec.home_chart else []
    found += [("sandbox", spec.sandbox)] if spec.sandbox else []
    return found


REFERENCES = [(spec, kind, reference) for spec in REGISTRY.modules for kind, reference in declared(spec)]


def _binds(function: Any, *arguments: object) -> bool:
    try:
        inspect.signature(function).bind(*arguments)
    except TypeError:
        return False
    return True


def _check_page(_spec: ModuleSpec, page: Any) -> None:
    assert inspect.isclass(page) and issubclass(page, Page), f"{page!r} is not a page class"


def _check_dataset(spec: ModuleSpec, dataset: Any) -> None:
    assert isinstance(dataset, Dataset), f"{dataset!r} is not a Dataset"
    assert dataset.feed, "a dataset names the change feed it syncs"
    if spec.sandbox:  # the module's part of the sandbox serves that feed
        assert dataset.feed in {kind.name for kind in load_object(spec.sandbox).feeds}


def _check_startup(_spec: ModuleSpec, run: Any) -> None:
    assert callable(run) and _binds(run, object(), object()), "run(session, progress)"


def _check_cli(_spec: ModuleSpec, register: Any) -> None:
    assert callable(register) and _binds(register, object(), object()), "register(commands, common)"


def _check_provider(returns: type) -> Callable[[ModuleSpec, Any], None]:
    def check(_spec: ModuleSpec, provider: Any) -> None:
        assert callable(provider) and _binds(provider, object()), "a 首页 provider takes one HomeInputs"
        hints = typing.get_type_hints(provider)
        assert hints.pop("return", None) is returns
        assert list(hints.values()) == [HomeInputs]

    return check


def _check_sandbox(spec: ModuleSpec, part: Any) -> None:
    assert isinstance(part, BusinessSandbox), f"{part!r} is not a BusinessSandbox"
    assert part.business == spec.id
    names = [kind.name for kind in part.feeds]
    assert names and len(names) == len(set(names)), "at least one feed, each named once"
    if part.routes is not None:
        engine = create_engine("sqlite://")
        try:
            assert isinstance(part.routes(SandboxState(engine=engine, seed=1)), APIRouter)
        finally:
            engine.dispose()


CHECKS: dict[str, Callable[[ModuleSpec, Any], None]] = {
    "page": _check_page,
    "dataset": _check_dataset,
    "startup": _check_startup,
    "cli": _check_cli,
    "home_reminders": _check_provider(Reminders),
    "home_chart": _check_provider(Chart),
    "sandbox": _check_sandbox,
}


def test_every_business_has_a_module_and_every_module_loads():
    assert not REGISTRY.failures
    assert sorted(REGISTRY.ids()) == sorted(typing.get_args(Business))
    kinds = {kind for _spec, kind, _reference in REFERENCES}
    assert kinds == set(CHECKS), "every kind of reference is declared somewhere, so each check runs"


@pytest.mark.parametrize(
    ("spec", "kind", "reference"), REFERENCES, ids=[f"{spec.id}-{kind}-{ref}" for spec, kind, ref in REFERENCES]
)
def test_a_declared_reference_loads_as_its_kind(spec: ModuleSpec, kind: str, reference: str):
    CHECKS[kind](spec, load_object(reference))
