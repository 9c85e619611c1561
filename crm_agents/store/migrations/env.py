"""Run the migrations on the connection `store.database.migrate` hands over (never a URL from
a file: the product opens its own database)."""

from alembic import context

from crm_agents.store.api_tables import metadata  # schema.py's tables and the API's

connection = context.config.attributes["connection"]
context.configure(connection=connection, target_metadata=metadata)
with context.begin_transaction():
    context.run_migrations()
