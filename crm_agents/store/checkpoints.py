"""LangGraph checkpoints in the results database: the approval pauses live beside the campaigns
they belong to, so every process on the same database sees and resumes the same pauses.

SQLite: `langgraph-checkpoint-sqlite` on the same file. PostgreSQL: `langgraph-checkpoint-postgres`
over a small connection pool (the app's threads share it). Their tables are the libraries' own,
made and upgraded by their `setup()` (Alembic leaves them alone: `migrations/env.py`).

The serializer is strict: a checkpoint rebuilds only the types the graph allows (its state's
models, `graph/review.py:state_types`) and plain data — nothing else found in the database is
imported or run.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

from langgraph.checkpoint.base import BaseCheckpointSaver
from langgraph.checkpoint.serde.jsonplus import JsonPlusSerializer
from langgraph.checkpoint.sqlite import SqliteSaver
from sqlalchemy.engine import Engine, make_url

#: The tables the checkpointers make (SQLite's and PostgreSQL's), not the product's schema.
CHECKPOINT_TABLES = frozenset(
    {"checkpoints", "writes", "checkpoint_blobs", "checkpoint_writes", "checkpoint_migrations"}
)
#: Any number, the same in every process: PostgreSQL's lock that lets one process set up.
_SETUP_LOCK = 7_461_026


def strict_serializer() -> JsonPlusSerializer:
    # None: only LangGraph's safe types, until the graph adds its state's (`with_allowlist`).
    return JsonPlusSerializer(allowed_msgpack_modules=None)


def open_checkpointer(engine: Engine) -> BaseCheckpointSaver:
    """A checkpointer on the database behind `engine`, its tables made if missing."""
    url = engine.url
    if url.get_backend_name() == "sqlite":
        path = url.database or ":memory:"
        if path != ":memory:":
            path = str(Path(path))
        connection = sqlite3.connect(path, check_same_thread=False)
        saver = SqliteSaver(connection, serde=strict_serializer())
        saver.setup()
        return saver
    if url.get_backend_name() == "postgresql":
        return _postgres(engine)
    raise ValueError(f"no checkpointer for {url.get_backend_name()} databases")


def _postgres(engine: Engine) -> BaseCheckpointSaver:
    from langgraph.checkpoint.postgres import PostgresSaver
    from psycopg.rows import dict_row
    from psycopg_pool import ConnectionPool

    conninfo = make_url(engine.url).set(drivername="postgresql")
    pool = ConnectionPool(
        conninfo.render_as_string(hide_password=False),
        min_size=1,
        max_size=4,
        kwargs={"autocommit": True, "prepare_threshold": 0, "row_factory": dict_row},
        open=True,
    )
    saver = PostgresSaver(pool, serde=strict_serializer())
    with pool.connection() as connection:
        # Two processes starting at once would both run the first migration.
        connection.execute("SELECT pg_advisory_lock(%s)", (_SETUP_LOCK,))
        try:
            saver.setup()
        finally:
            connection.execute("SELECT pg_advisory_unlock(%s)", (_SETUP_LOCK,))
    return saver
