"""Rows in bulk, inside the caller's transaction: a scored base of a million customers must be
stored in seconds, not in the minute SQLAlchemy's row-by-row dictionaries take.

PostgreSQL (psycopg 3) takes them by binary `COPY … FROM STDIN`, one stream per batch (text
COPY for a table with a column type not mapped here); SQLite by the driver's `executemany`
over plain tuples. Any other database gets SQLAlchemy's executemany.
Missing values (NaN) are stored as NULL on every path.
"""

from __future__ import annotations

import pandas as pd
from sqlalchemy import (
    BigInteger,
    Boolean,
    Connection,
    Float,
    Integer,
    SmallInteger,
    String,
    Table,
    insert,
)
from sqlalchemy.exc import DBAPIError


def insert_rows(connection: Connection, table: Table, part: pd.DataFrame) -> None:
    """`part`'s rows into `table` (columns matched by name; missing ones NULL)."""
    columns = [c.name for c in table.columns]
    part = _whole_numbers(table, _with_nulls(part.reindex(columns=columns)))
    dialect = connection.dialect
    if dialect.name == "postgresql" and dialect.driver == "psycopg":
        try:
            _copy(connection, table, columns, part)
        except dialect.loaded_dbapi.Error as err:
            # Straight from the driver: made SQLAlchemy's (IntegrityError, …) as on other paths.
            raise DBAPIError.instance(
                f"COPY {table.name}", None, err, dialect.loaded_dbapi.Error
            ) from None
    elif dialect.name == "sqlite":
        marks = ", ".join("?" * len(columns))
        names = ", ".join(f'"{c}"' for c in columns)
        connection.exec_driver_sql(
            f'INSERT INTO "{table.name}" ({names}) VALUES ({marks})',
            list(part.itertuples(index=False, name=None)),
        )
    else:
        connection.execute(insert(table), part.to_dict("records"))


def _with_nulls(part: pd.DataFrame) -> pd.DataFrame:
    """Columns holding NaN as objects with None, which every driver stores as NULL (psycopg
    would store a float NaN as the number NaN)."""
    missing = part.columns[part.isna().any()]
    if len(missing) == 0:
        return part
    part = part.copy(deep=False)
    for name in missing:
        values = part[name].astype(object)
        part[name] = values.where(values.notna(), None)
    return part


#: PostgreSQL's type for each column type in the binary stream (numbers sent as numbers, not
#: printed and parsed). The most specific class first: BigInteger is an Integer.
PG_BINARY = (
    (BigInteger, "int8"),
    (SmallInteger, "int2"),
    (Integer, "int4"),
    (Boolean, "bool"),
    (Float, "float8"),
    (String, "text"),  # Text and varchar take text's binary form
)


def _pg_type(column) -> str | None:
    return next((name for kind, name in PG_BINARY if isinstance(column.type, kind)), None)


def _copy(connection: Connection, table: Table, columns: list[str], part: pd.DataFrame) -> None:
    names = ", ".join(f'"{c}"' for c in columns)
    types = [_pg_type(c) for c in table.columns]
    binary = all(types)
    cursor = connection.connection.driver_connection.cursor()
    statement = f'COPY "{table.name}" ({names}) FROM STDIN' + (" (FORMAT BINARY)" if binary else "")
    with cursor, cursor.copy(statement) as stream:
        if binary:
            stream.set_types(types)
        for row in part.itertuples(index=False, name=None):
            stream.write_row(row)


def _whole_numbers(table: Table, part: pd.DataFrame) -> pd.DataFrame:
    """Integer columns as Python ints: a column with gaps arrives as floats or objects, and
    neither COPY nor a strict column takes 12.0 for 12."""
    for column in table.columns:
        values = part[column.name]
        if isinstance(column.type, Integer) and values.dtype.kind not in "iu":
            whole = pd.to_numeric(values).astype("Int64").astype(object)
            part = part.assign(**{column.name: whole.where(whole.notna(), None)})
    return part
