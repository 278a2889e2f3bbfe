"""Local store: SQLite databases (one app database, one per unit) through SQLAlchemy 2.x, migrated by Alembic."""
