"""The ``employer`` branch of the unit-database schema: Alembic revisions of the 用人单位 tables.

Declared by ``ModuleSpec.migrations``; ``store.migrate`` upgrades a 用人单位 unit's database to the heads of
``core`` (``migrations/unit/core``) and of this branch. Alembic loads the revisions from their files; they are
never imported as modules of this package.
"""
