"""Alembic at start-up: the app schema, and the unit schema with one branch per business module.

The unit schema has a ``core`` branch (what every unit database holds) and one branch per module,
each in ``migrations/unit/<branch>``. A unit database is upgraded to the heads of ``core`` and of
its own module's branch; an older database (a restored backup) is brought forward, a newer one is
refused because this program cannot know what it means.
"""

from __future__ import annotations

import os

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Engine

from sbf_client.core.errors import SbfError
from sbf_client.paths import migrations_dir


class SchemaTooNewError(SbfError):
    """The database was written by a newer version of the program."""


def _config(kind: str, branches: tuple[str, ...] = ()) -> Config:
    root = migrations_dir() / kind
    folders = [root / branch for branch in ("core", *branches)] if kind == "unit" else [root / "versions"]
    cfg = Config()
    cfg.set_main_option("script_location", str(root))
    cfg.set_main_option("path_separator", "os")
    cfg.set_main_option("version_locations", os.pathsep.join(str(folder) for folder in folders))
    return cfg


def _upgrade(engine: Engine, cfg: Config, targets: list[str]) -> None:
    script = ScriptDirectory.from_config(cfg)
    known = {rev.revision for rev in script.walk_revisions()}
    with engine.connect() as connection:
        current = set(MigrationContext.configure(connection).get_current_heads())
    unknown = current - known
    if unknown:
        raise SchemaTooNewError(
            "本地数据由更新版本的客户端创建，当前版本无法打开。请升级客户端后再试。",
        )
    with engine.begin() as connection:
        cfg.attributes["connection"] = connection
        for target in targets:
            command.upgrade(cfg, target)


def upgrade_app_db(engine: Engine) -> None:
    """Bring ``app.sqlite`` to the newest schema."""
    _upgrade(engine, _config("app"), ["heads"])


def upgrade_unit_db(engine: Engine, module_branch: str) -> None:
    """Bring a unit database to the newest ``core`` schema and that of its module's branch."""
    _upgrade(engine, _config("unit", (module_branch,)), ["heads"])


def unit_db_is_current(engine: Engine, module_branch: str) -> bool:
    """Whether a unit database already has every revision of ``core`` and of its module's branch."""
    script = ScriptDirectory.from_config(_config("unit", (module_branch,)))
    with engine.connect() as connection:
        current = MigrationContext.configure(connection).get_current_heads()
    applied = {rev.revision for rev in script.revision_map.iterate_revisions(current, "base", inclusive=True)}
    return set(script.get_heads()) <= applied
