"""`crm-agents score` writes the base part by part: the file must hold exactly what scoring the
whole base at once gives, whatever the part size and the value basis, and a failed write
leaves no file behind."""

from __future__ import annotations

import pandas as pd
import pytest

from data.spreadsheet import write_csv
from data.table_out import table_writer
from models.churn.scoring import score_customers
from models.survival.scoring import lifetime_columns
from models.urgency import with_urgency
from tools.service.base_scores import in_parts, scored_file_parts
from tools.service.value_basis import retier_on_lifetime_value


def whole_base(service, settings) -> pd.DataFrame:
    """The base scored in one piece, as `crm-agents score` did before it streamed."""
    customers = service.data.customers
    scored = score_customers(service.model, customers, settings)
    scored = pd.concat([scored, lifetime_columns(service.survival, customers, settings)], axis=1)
    retier_on_lifetime_value(scored, settings)
    with_urgency(scored, settings.urgent_within_90d)
    return scored


def streamed(service, settings, rows: int) -> pd.DataFrame:
    parts = scored_file_parts(
        service.data.customers, service.model, service.survival, settings, rows=rows
    )
    return pd.concat(list(parts), ignore_index=True)


@pytest.mark.parametrize(
    "basis",
    [
        {"value_basis": "monthly_charges"},
        {"value_basis": "lifetime_value"},  # cut at the base's terciles: known at the end
        {"value_basis": "lifetime_value", "clv_value_high": 3000.0, "clv_value_mid": 1200.0},
    ],
    ids=["monthly-charges", "clv-terciles", "clv-thresholds"],
)
def test_parts_of_any_size_make_the_same_table_as_the_whole_base(demo_service, basis):
    settings = demo_service.settings.model_copy(update=basis)
    expected = whole_base(demo_service, settings)
    for rows in (97, 1000, len(expected) + 5):
        pd.testing.assert_frame_equal(streamed(demo_service, settings, rows), expected)


def test_clv_tercile_tiers_cover_a_third_of_the_base_each_across_parts(demo_service):
    settings = demo_service.settings.model_copy(update={"value_basis": "lifetime_value"})
    tiers = streamed(demo_service, settings, rows=101)["value_tier"].value_counts(normalize=True)
    assert set(tiers.index) == {"high", "mid", "low"}
    assert tiers.between(0.30, 0.37).all()


def test_progress_counts_every_customer_once(demo_service):
    done = []
    list(
        scored_file_parts(
            demo_service.data.customers,
            demo_service.model,
            None,
            demo_service.settings,
            done.append,
            rows=250,
        )
    )
    assert sum(done) == len(demo_service.data.customers)


def _frame(start: int, n: int) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "customerID": [f"=ID{i}" for i in range(start, start + n)],
            "churn_probability": [i / 1000 for i in range(start, start + n)],
            "risk_level": pd.Categorical(["low"] * n, categories=["high", "medium", "low"]),
        }
    )


@pytest.mark.parametrize("name", ["scored.csv", "scored.parquet"])
def test_a_table_written_in_parts_reads_back_as_the_whole(tmp_path, name):
    path = tmp_path / name
    with table_writer(path) as append:
        append(_frame(0, 3))
        append(_frame(3, 4))
    whole = _frame(0, 7)
    if name.endswith(".csv"):
        write_csv(whole, tmp_path / "whole.csv")
        assert path.read_bytes() == (tmp_path / "whole.csv").read_bytes()  # formula-safe too
    else:
        back = pd.read_parquet(path)
        pd.testing.assert_frame_equal(back, whole)


@pytest.mark.parametrize("name", ["scored.csv", "scored.parquet"])
def test_a_write_that_fails_midway_leaves_neither_file_nor_partial(tmp_path, name):
    path = tmp_path / name
    with pytest.raises(RuntimeError), table_writer(path) as append:
        append(_frame(0, 3))
        raise RuntimeError("scoring failed")
    assert list(tmp_path.iterdir()) == []


def test_a_failed_write_keeps_the_previous_file(tmp_path):
    path = tmp_path / "scored.csv"
    path.write_bytes(b"yesterday\r\n")
    with pytest.raises(RuntimeError), table_writer(path) as append:
        append(_frame(0, 3))
        raise RuntimeError("scoring failed")
    assert path.read_bytes() == b"yesterday\r\n"


def test_a_part_that_cannot_be_written_stops_the_table_and_leaves_no_file(tmp_path):
    path = tmp_path / "scored.parquet"
    broken = _frame(3, 2).assign(churn_probability=["not", "a number"])
    with pytest.raises((ValueError, TypeError)), table_writer(path) as append:
        append(_frame(0, 3))
        append(broken)  # written in the background: its error comes at the next step
        append(_frame(5, 2))
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("threads", [1, 3])
def test_parts_here_cover_every_row_once_in_order_and_an_empty_base_is_one_empty_part(threads):
    frame = pd.DataFrame({"customerID": [f"C{i}" for i in range(10)]})
    parts = list(in_parts(rows=4, threads=threads)(lambda part: part, frame))
    assert [len(p) for p in parts] == [4, 4, 2]
    assert pd.concat(parts)["customerID"].tolist() == frame["customerID"].tolist()
    empty = in_parts(rows=4, threads=threads)(lambda part: part, frame.iloc[:0])
    assert [len(p) for p in empty] == [0]
