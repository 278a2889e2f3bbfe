"""What a business adds to the sandbox, declared as data: its change feeds, its routes, its background work.

The shared sandbox serves regions, units, sessions, the feeds framework, submissions and the admin API. Each
business module declares a :class:`BusinessSandbox` in its own package (``modules/<business>/sandbox``), and
its ``ModuleSpec.sandbox`` names it; :func:`businesses` finds them through the entry-point group the client
reads (``sbf_client.modules``), importing each by reference, so the sandbox imports no business code itself.
Two people adding pages to the two businesses edit two different packages and no shared list.
"""

from __future__ import annotations

import functools
import random
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from importlib.metadata import entry_points
from typing import TYPE_CHECKING, Any, Protocol

from sbf_client.core.errors import SbfError
from sbf_client.core.periods import Period
from sbf_client.core.references import load_object

from .catalog import RegionSpec, UnitSpec

if TYPE_CHECKING:
    from fastapi import APIRouter
    from sqlalchemy import Engine

    from .state import SandboxState

GROUP = "sbf_client.modules"  # the client's plug-in group: one declaration per business module

Person = dict[str, Any]


class MakePerson(Protocol):
    """A new person of a feed: ``hire`` is the month a newcomer starts (a mutation), None in the generated world."""

    def __call__(
        self,
        rng: random.Random,
        unit: UnitSpec,
        region: RegionSpec,
        number: int,
        as_of: date,
        used_ids: set[str],
        hire: Period | None,
        /,
    ) -> Person: ...


def _paying(person: Person) -> bool:
    return person.get("status") == "1"


@dataclass(frozen=True)
class FeedKind:
    """A change feed of a business's units, and how the sandbox makes and moves its people.

    ``make`` draws a person; ``leave(person, month)`` stops one (停保) in place; ``rebase(rng, unit, region,
    person)`` changes what one pays (缴费基数, 缴费档次…) in place; ``active(person)`` says whether one may still
    leave. ``count(unit, scale)`` is how many records the generated world gives a unit (None: the unit's people).
    Every call draws from the ``rng`` it is given, so the same seed gives the same world and the same changes.
    """

    name: str
    make: MakePerson
    leave: Callable[[Person, Period], None]
    rebase: Callable[[random.Random, UnitSpec, RegionSpec, Person], None]
    active: Callable[[Person], bool] = _paying
    count: Callable[[UnitSpec, int], int] | None = None


@dataclass(frozen=True)
class BusinessSandbox:
    """One business's part of the sandbox.

    ``business`` is the units' business (``UnitSpec.business``); ``title`` and ``people`` name it and its people
    for the command line (用人单位 / 职工). ``feeds``: the change feeds every unit of the business has, as many as
    it needs (the first is the one ``sbf-sandbox mutate`` moves). ``routes(state)`` builds the business's
    region-scoped routes (paths relative to ``REGION_ROOT``), or None while it has none. ``process_due(engine,
    now, unit_id)`` is its background work (feedback that matures), run every second and before a unit's reads.
    ``body_errors`` give a route's invalid request body its business's code and heading, keyed by (method,
    contract path); ``field_names`` and ``pattern_words`` put its fields and patterns in the user's words.
    """

    business: str
    title: str
    people: str
    feeds: tuple[FeedKind, ...]
    routes: Callable[[SandboxState], APIRouter] | None = None
    process_due: Callable[[Engine, datetime, str | None], int] | None = None
    body_errors: Mapping[tuple[str, str], tuple[int, str]] = field(default_factory=dict)
    field_names: Mapping[str, str] = field(default_factory=dict)
    pattern_words: Mapping[str, str] = field(default_factory=dict)


@functools.cache
def businesses() -> tuple[BusinessSandbox, ...]:
    """Every installed business's part of the sandbox, in the modules' menu order. Unlike the client's registry,
    a part that fails to load stops the sandbox: serving without a business's routes would only fail later."""
    found: list[tuple[int, BusinessSandbox]] = []
    for entry in entry_points(group=GROUP):
        try:
            declaration = entry.load()
            reference = getattr(declaration, "sandbox", None)
            part = load_object(reference) if reference else None
        except Exception as error:
            raise SbfError(f"业务模块 {entry.name} 的沙箱部分无法加载（{type(error).__name__}: {error}）。") from error
        if part is None:
            continue
        if not isinstance(part, BusinessSandbox):
            raise SbfError(f"业务模块 {entry.name} 的沙箱声明 {reference} 不是 BusinessSandbox。")
        found.append((getattr(declaration, "order", 0), part))
    return tuple(part for _order, part in sorted(found, key=lambda pair: pair[0]))


def business(name: str) -> BusinessSandbox | None:
    return next((part for part in businesses() if part.business == name), None)


def feeds_of(name: str) -> tuple[FeedKind, ...]:
    """The feeds a business's units have (none for a business no module declares)."""
    part = business(name)
    return part.feeds if part else ()


def people_feed(name: str) -> str:
    """The feed of a business's people (职工, 城乡居民): its first, the one ``sbf-sandbox mutate`` moves and the
    demo accounts count; "" for a business no module declares."""
    kinds = feeds_of(name)
    return kinds[0].name if kinds else ""


def feed_kind(name: str, feed: str) -> FeedKind | None:
    return next((kind for kind in feeds_of(name) if kind.name == feed), None)
