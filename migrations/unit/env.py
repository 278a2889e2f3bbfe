"""Alembic environment: runs on the connection the program hands over in ``config.attributes``."""

from alembic import context

connection = context.config.attributes.get("connection")
if connection is None:
    raise RuntimeError("Migrations run from the program (sbf_client.store.migrate), not from the command line.")

context.configure(connection=connection, render_as_batch=True, transactional_ddl=True)
with context.begin_transaction():
    context.run_migrations()
