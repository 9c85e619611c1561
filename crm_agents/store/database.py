"""The results database (SQLAlchemy): runs, scores, analyses and the `campaign_queue` view.

SQLite at `state/crm.db` (`CRM_RESULTS_DB`) by default, any SQLAlchemy URL otherwise. Every
write is one transaction, so a crash or a failed write leaves whole chunks or nothing;
(run_id, customer_id) keys make a resumed run skip what is stored and never duplicate a row.
"""

from __future__ import annotations

import fcntl
import os
import re
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import urlsplit

import pandas as pd
from sqlalchemy import (
    Engine,
    Table,
    create_engine,
    event,
    func,
    insert,
    select,
    text,
    update,
)
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError, NoSuchModuleError, SQLAlchemyError

# The batch reaches the tables through this module (`store.scores`): it is its one door.
from core.i18n import Phrase, WordedError
from crm_agents.store.bulk import insert_rows
from crm_agents.store.schema import (
    CAMPAIGN_QUEUE,
    analyses,
    failures,
    runs,
)
from crm_agents.store.schema import scores as scores
from data.spreadsheet import write_csv

MIGRATIONS = Path(__file__).with_name("migrations")


class StoreError(WordedError, RuntimeError):
    """The database cannot be opened or written; nothing was written."""


def _unusable(url: str, problem: object) -> StoreError:
    """A URL refused: shown without its password, with what is accepted."""
    return StoreError(Phrase("store.bad_url", {"url": shown_url(url), "problem": problem}))


#: What a host may be: a name (letters, digits, dots, dashes, underscores) or a bracketed IPv6.
_HOST = re.compile(r"[A-Za-z0-9._-]+|\[[0-9A-Fa-f:.]+\]")


def shown_url(url: str) -> str | Phrase:
    """The URL as it may be printed: any password replaced by ***; one that cannot be parsed
    is not shown at all (it may hold a password SQLAlchemy cannot find)."""
    try:
        return make_url(url).render_as_string(hide_password=True)
    except (ArgumentError, ValueError):
        return Phrase("store.unreadable_url")


def url_problem(url: str) -> Phrase | None:
    """What is wrong with the URL's port or host, in words that never hold the password, or
    None. SQLAlchemy's own errors quote the raw URL or end in a bare int() traceback."""
    if "://" not in url:
        return Phrase("store.not_a_url")
    parts = urlsplit(url)
    port = parts.netloc.rpartition("@")[2].rpartition("]")[2].partition(":")[2]
    if port and not (port.isdigit() and 1 <= int(port) <= 65535):
        return Phrase("store.bad_port", {"port": repr(port)})
    host = parts.netloc.rpartition("@")[2]
    host = host if host.startswith("[") else host.partition(":")[0]
    host = host.rpartition("]")[0] + "]" if host.startswith("[") else host
    if host and not _HOST.fullmatch(host):
        return Phrase("store.bad_host", {"host": repr(host)})
    return None


def default_url(database: Path) -> str:
    """SQLite at the settings' results database (its state directory is made if missing)."""
    database.parent.mkdir(parents=True, exist_ok=True)
    return f"sqlite:///{database}"


def store_url(settings, db: str | None = None) -> str:
    """The results database: `db` (a command's --db), else `CRM_DATABASE_URL`, else SQLite in
    the state folder."""
    configured = settings.database_url.get_secret_value() if settings.database_url else None
    return db or configured or default_url(settings.results_db)


def _check_sqlite_target(url: str) -> None:
    parsed = make_url(url)
    if not parsed.drivername.startswith("sqlite") or not parsed.database:
        return
    if parsed.database == ":memory:" or parsed.database.startswith("file:"):
        return
    path = Path(parsed.database)
    if not path.parent.is_dir():
        raise StoreError(Phrase("store.no_folder", {"folder": path.parent}))
    target = path if path.exists() else path.parent
    if not os.access(target, os.W_OK):
        raise StoreError(Phrase("store.read_only", {"target": target}))


def open_store(url: str) -> Engine:
    """An engine on a database that has the tables and the view, or a clear StoreError."""
    problem = url_problem(url)
    if problem is not None:
        raise _unusable(url, problem)
    try:
        _check_sqlite_target(url)
        engine = create_engine(url, future=True)
    except ArgumentError as err:
        # A parse error quotes the whole URL, password included: it is not repeated here.
        reason = str(err) if isinstance(err, NoSuchModuleError) else Phrase("store.not_a_url")
        raise _unusable(url, reason) from None
    except ImportError as err:
        raise _unusable(url, Phrase("store.no_driver", {"driver": err.name})) from None
    try:
        if engine.dialect.name == "sqlite":
            # Foreign keys on; WAL lets readers (the app, exports) in while a run writes.
            @event.listens_for(engine, "connect")
            def _pragmas(connection, _record) -> None:
                cursor = connection.cursor()
                cursor.execute("PRAGMA foreign_keys=ON")
                cursor.execute("PRAGMA journal_mode=WAL")
                cursor.close()

        with _one_at_a_time(engine), engine.begin() as connection:
            if connection.dialect.name == "postgresql":  # held until this transaction ends
                connection.execute(text("SELECT pg_advisory_xact_lock(7461027)"))
            migrate(connection)
        _ensure_queue_view(engine)
        return engine
    except SQLAlchemyError as err:
        reason = err.orig or err
        raise StoreError(
            Phrase("store.cannot_open", {"url": shown_url(url), "reason": str(reason)})
        ) from None


@contextmanager
def _one_at_a_time(engine: Engine) -> Iterator[None]:
    """Processes opening one SQLite file at once migrate it one after the other (a lock file
    beside it); PostgreSQL's are serialised by an advisory lock in the migration's transaction."""
    database = engine.url.database
    if engine.dialect.name != "sqlite" or not database or database.startswith(("file:", ":")):
        yield  # in memory, or a URI (read-only ones included): nothing to share a file with
        return
    try:
        handle = open(f"{database}.lock", "a")  # noqa: SIM115 (held across the yield)
    except OSError:  # a folder we may not write to: the open itself will say so
        yield
        return
    with handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def _queue_view_is_current(connection) -> bool:
    if connection.dialect.name != "sqlite":
        return False  # PostgreSQL replaces it in one transaction (its DDL is transactional)
    query = text("SELECT sql FROM sqlite_master WHERE type = 'view' AND name = 'campaign_queue'")
    return connection.execute(query).scalar() == CAMPAIGN_QUEUE.strip()


def _ensure_queue_view(engine: Engine) -> None:
    """The `campaign_queue` view as this release defines it. Two processes may open the store
    at once: SQLite runs DDL outside a transaction, so one may create the view between the
    other's drop and create — the view that stands is the same one either way."""
    with engine.begin() as connection:
        if _queue_view_is_current(connection):
            return
    try:
        with engine.begin() as connection:
            connection.execute(text("DROP VIEW IF EXISTS campaign_queue"))
            connection.execute(text(CAMPAIGN_QUEUE.strip()))
    except SQLAlchemyError:
        with engine.begin() as connection:
            if not _queue_view_is_current(connection):
                raise


def migrate(connection) -> None:
    """Bring the database to the newest schema (Alembic's `upgrade head`, revisions in
    `store/migrations/`): a new database gets every table, an earlier release's is upgraded in
    place, with its rows."""
    # Alembic only where a database is opened: a command that never opens one (`score`)
    # does not import it.
    from alembic import command
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.attributes["connection"] = connection
    command.upgrade(config, "head")


@contextmanager
def writing() -> Iterator[None]:
    """A failed write (read-only file, disk full, constraint) becomes one clear StoreError;
    the transaction it was in has been rolled back by then."""
    try:
        yield
    except SQLAlchemyError as err:
        reason = str(getattr(err, "orig", None) or err)
        raise StoreError(Phrase("store.cannot_write", {"reason": reason})) from None


def now() -> datetime:
    return datetime.now(UTC)


def in_utc(moment: datetime) -> datetime:
    """A stored moment with its zone: SQLite gives back naive datetimes, written in UTC."""
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def start_run(engine: Engine, **fields) -> int:
    with writing(), engine.begin() as connection:
        result = connection.execute(insert(runs).values(started=now(), status="running", **fields))
        return int(result.inserted_primary_key[0])


def update_run(engine: Engine, run_id: int, **fields) -> None:
    with writing(), engine.begin() as connection:
        connection.execute(update(runs).where(runs.c.id == run_id).values(**fields))


def latest_unfinished_run(engine: Engine) -> dict | None:
    query = (
        select(runs)
        .where(runs.c.status.in_(("running", "interrupted", "failed")))
        .order_by(runs.c.id.desc())
        .limit(1)
    )
    with engine.connect() as connection:
        row = connection.execute(query).mappings().first()
    return dict(row) if row else None


def stored_customers(engine: Engine, table: Table, run_id: int) -> set[str]:
    with engine.connect() as connection:
        rows = connection.execute(select(table.c.customer_id).where(table.c.run_id == run_id))
        return {r[0] for r in rows}


def count_rows(engine: Engine, table: Table, run_id: int) -> int:
    with engine.connect() as connection:
        query = select(func.count()).select_from(table).where(table.c.run_id == run_id)
        return int(connection.execute(query).scalar_one())


def insert_chunk(engine: Engine, analysed: list[dict], failed: list[dict]) -> None:
    """One chunk's analyses and failures in one transaction: the chunk is stored whole or not."""
    if analysed or failed:
        with writing(), engine.begin() as connection:
            if analysed:
                connection.execute(insert(analyses), analysed)
            if failed:
                connection.execute(insert(failures), failed)


def failures_of(engine: Engine, run_id: int) -> list[dict]:
    query = select(failures.c.customer_id, failures.c.reason).where(failures.c.run_id == run_id)
    with engine.connect() as connection:
        return [
            dict(r) for r in connection.execute(query.order_by(failures.c.customer_id)).mappings()
        ]


def insert_frame(engine: Engine, table: Table, frame: pd.DataFrame, batch: int = 50_000) -> None:
    """A whole table in one transaction, in bulk a batch at a time (bounded memory for
    millions of rows); on any failure none of it is written."""
    insert_frames(engine, table, [frame], batch)


def insert_frames(
    engine: Engine, table: Table, frames: Iterable[pd.DataFrame], batch: int = 50_000
) -> None:
    """Frames as they come (each let go once written), all in one transaction: on any
    failure, the producer's included, none of them is written."""
    with writing(), engine.begin() as connection:
        for frame in frames:
            for start in range(0, len(frame), batch):
                insert_rows(connection, table, frame.iloc[start : start + batch])


def read_table(engine: Engine, name: str, run_id: int | None = None) -> pd.DataFrame:
    query = f"SELECT * FROM {name}"  # name is one of ours, never user input
    if run_id is not None:
        query += f" WHERE run_id = {int(run_id)}"
    with engine.connect() as connection:
        return pd.read_sql(text(query), connection)


def export_run(engine: Engine, run_id: int, folder: Path) -> list[Path]:
    """The run's scores, analyses and the campaign queue as CSV and Parquet files."""
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for name in ("scores", "analyses", "failures", "campaign_queue"):
        frame = read_table(engine, name, run_id)
        written.append(write_csv(frame, folder / f"{name}.csv"))
        frame.to_parquet(folder / f"{name}.parquet", index=False)
        written.append(folder / f"{name}.parquet")
    return written
