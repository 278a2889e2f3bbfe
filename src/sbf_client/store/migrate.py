"""Alembic at start-up: the app schema, and the unit schema with one branch per business module.

The unit schema has a ``core`` branch (what every unit database holds: ``migrations/unit/core``) and one
branch per business module, kept in the module's own package (``ModuleSpec.migrations``, e.g.
``sbf_client.modules.employer.store.migrations``) beside the tables it creates. A unit database is upgraded
to the heads of ``core`` and of its own module's branch; an older database (a restored backup) is brought
forward, a newer one is refused because this program cannot know what it means.

Alembic itself is a quarter of a second to import, and at most starts nothing needs migrating: the app
database carries, in SQLite's ``user_version``, a fingerprint of the migration scripts it was last brought
up to date with. When it matches this program's scripts, Alembic is not loaded at all; any other value (a
new database, a restored backup, a changed script) takes the full path.
"""

from __future__ import annotations

import hashlib
import importlib.util
import os
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import Engine

from sbf_client.core.errors import SbfError
from sbf_client.paths import migrations_dir

if TYPE_CHECKING:
    from alembic.config import Config


class SchemaTooNewError(SbfError):
    """The database was written by a newer version of the program."""


def module_migrations_folder(package: str) -> Path:
    """The folder of a module's migration package (``ModuleSpec.migrations``), found without running it."""
    spec = importlib.util.find_spec(package)
    if spec is None or not spec.submodule_search_locations:
        raise SbfError(f"找不到业务模块的数据库结构定义（{package}），请重新安装客户端。")
    return Path(next(iter(spec.submodule_search_locations)))


def unit_config(module_migrations: str) -> Config:
    """Alembic's view of a unit database of one module: ``core``'s revisions and the module's."""
    return _config("unit", [migrations_dir() / "unit" / "core", module_migrations_folder(module_migrations)])


def _config(kind: str, folders: list[Path] | None = None) -> Config:
    from alembic.config import Config

    root = migrations_dir() / kind
    cfg = Config()
    cfg.set_main_option("script_location", str(root))
    cfg.set_main_option("path_separator", "os")
    versions = folders or [root / "versions"]
    cfg.set_main_option("version_locations", os.pathsep.join(str(folder) for folder in versions))
    return cfg


def _upgrade(engine: Engine, cfg: Config, targets: list[str]) -> None:
    from alembic import command
    from alembic.runtime.migration import MigrationContext
    from alembic.script import ScriptDirectory

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


def scripts_fingerprint(kind: str) -> int:
    """A positive 31-bit digest of every migration script of ``kind`` (names and contents)."""
    digest = hashlib.sha256()
    root = migrations_dir() / kind
    for path in sorted(root.rglob("*.py")):
        digest.update(path.relative_to(root).as_posix().encode())
        digest.update(path.read_bytes())
    return int.from_bytes(digest.digest()[:4], "big") & 0x7FFFFFFF or 1


def _user_version(engine: Engine) -> int:
    with engine.connect() as connection:
        return int(connection.exec_driver_sql("PRAGMA user_version").scalar() or 0)


def _set_user_version(engine: Engine, value: int) -> None:
    with engine.begin() as connection:
        connection.exec_driver_sql(f"PRAGMA user_version = {int(value)}")


def upgrade_app_db(engine: Engine) -> None:
    """Bring ``app.sqlite`` to the newest schema (without loading Alembic when it already is)."""
    fingerprint = scripts_fingerprint("app")
    if _user_version(engine) == fingerprint:
        return
    _upgrade(engine, _config("app"), ["heads"])
    _set_user_version(engine, fingerprint)


def upgrade_unit_db(engine: Engine, module_migrations: str) -> None:
    """Bring a unit database to the newest ``core`` schema and that of its module's branch."""
    _upgrade(engine, unit_config(module_migrations), ["heads"])


def unit_db_is_current(engine: Engine, module_migrations: str) -> bool:
    """Whether a unit database already has every revision of ``core`` and of its module's branch."""
    from alembic.runtime.migration import MigrationContext
    from alembic.script import ScriptDirectory

    script = ScriptDirectory.from_config(unit_config(module_migrations))
    with engine.connect() as connection:
        current = MigrationContext.configure(connection).get_current_heads()
    applied = {rev.revision for rev in script.revision_map.iterate_revisions(current, "base", inclusive=True)}
    return set(script.get_heads()) <= applied
