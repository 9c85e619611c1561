"""Rows in bulk (`crm_agents.store.bulk`): what goes in comes back, cell for cell — gaps as
NULL, whole numbers as whole numbers, text as text (including COPY's own NULL marker, empty
text and non-Latin script) — on SQLite and on PostgreSQL's binary and text COPY."""

from __future__ import annotations

import math
import uuid

import pandas as pd
import pytest
import sqlalchemy as sa

from crm_agents.store.bulk import insert_rows
from tests.postgres_cluster import database_kinds, postgres_cluster


@pytest.fixture(scope="module", params=database_kinds())
def engine(request, tmp_path_factory):
    if request.param == "sqlite":
        yield sa.create_engine(f"sqlite:///{tmp_path_factory.mktemp('bulk') / 'bulk.db'}")
        return
    with postgres_cluster() as url:
        engine = sa.create_engine(url)
        yield engine
        engine.dispose()


def _table(engine, *extra: sa.Column) -> sa.Table:
    table = sa.Table(
        f"t_{uuid.uuid4().hex[:8]}",
        sa.MetaData(),
        sa.Column("customer_id", sa.String(64), primary_key=True),
        sa.Column("probability", sa.Float, nullable=False),
        sa.Column("clv", sa.Float),
        sa.Column("support", sa.Integer),
        sa.Column("big", sa.BigInteger),
        sa.Column("thin", sa.Boolean),
        sa.Column("driver", sa.Text),
        *extra,
    )
    table.metadata.create_all(engine)
    return table


FRAME = pd.DataFrame(
    {
        "customer_id": ["0001-A", "0002-B", "0003-C", "=cmd|x"],
        "probability": [0.125, 0.5, 1 / 3, 0.0],
        "clv": [1234.56, float("nan"), -0.5, 1e-9],
        "support": [12.0, float("nan"), 0.0, 7.0],  # a column with gaps arrives as floats
        "big": [2**40, 1, 0, -(2**40)],
        "thin": [True, None, False, True],
        "driver": ["\\N", "", "合約：月繳", None],
    }
)


def _read(engine, table: sa.Table) -> list[dict]:
    """Rows as the driver gives them (a DataFrame would turn whole numbers with gaps to floats)."""
    with engine.connect() as connection:
        query = sa.select(table).order_by(table.c.customer_id)
        return [dict(row) for row in connection.execute(query).mappings()]


def _assert_round_trip(back: list[dict]) -> None:
    assert len(back) == len(FRAME)
    for got, (_, expected) in zip(back, FRAME.sort_values("customer_id").iterrows(), strict=True):
        assert got["customer_id"] == expected["customer_id"]
        assert got["probability"] == expected["probability"]  # bit for bit
        if math.isnan(expected["clv"]):
            assert got["clv"] is None
        else:
            assert got["clv"] == expected["clv"]
        if math.isnan(expected["support"]):
            assert got["support"] is None
        else:
            assert got["support"] == int(expected["support"])
            assert isinstance(got["support"], int)
        assert got["big"] == expected["big"]
        assert got["thin"] is expected["thin"] or bool(got["thin"]) == expected["thin"]
        assert got["driver"] == expected["driver"]


def test_every_cell_comes_back_as_it_went_in(engine):
    table = _table(engine)
    with engine.begin() as connection:
        insert_rows(connection, table, FRAME)
    _assert_round_trip(_read(engine, table))


def test_a_table_with_a_column_type_not_sent_in_binary_still_takes_every_cell(engine):
    table = _table(engine, sa.Column("on", sa.Date))
    frame = FRAME.assign(on=pd.to_datetime(["2026-12-01", None, "2026-12-03", "2027-01-01"]))
    frame["on"] = [d.date() if not pd.isna(d) else None for d in frame["on"]]
    with engine.begin() as connection:
        insert_rows(connection, table, frame)
    back = _read(engine, table)
    _assert_round_trip(back)
    by_customer = {row["customer_id"]: row["on"] for row in back}
    assert {k: str(v) if v is not None else None for k, v in by_customer.items()} == {
        "0001-A": "2026-12-01",
        "0002-B": None,
        "0003-C": "2026-12-03",
        "=cmd|x": "2027-01-01",
    }


def test_rows_of_a_failed_transaction_are_not_kept(engine):
    table = _table(engine)
    with pytest.raises(sa.exc.IntegrityError), engine.begin() as connection:
        insert_rows(connection, table, FRAME)
        insert_rows(connection, table, FRAME.iloc[:1])  # the same customer twice
    assert _read(engine, table) == []


def test_columns_missing_from_the_frame_are_stored_empty(engine):
    table = _table(engine)
    with engine.begin() as connection:
        insert_rows(connection, table, FRAME[["customer_id", "probability"]])
    back = _read(engine, table)
    assert all(row["clv"] is None and row["driver"] is None for row in back)
    expected = FRAME.sort_values("customer_id")["probability"].tolist()
    assert [row["probability"] for row in back] == expected
