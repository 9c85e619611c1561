"""A synthetic base of any size: seeded, written chunk by chunk, distinct Telco-shaped IDs over
every chunk, valid input for the product in CSV and in Parquet."""

from __future__ import annotations

import re

import pandas as pd
import pytest
from typer.testing import CliRunner

from core.settings import Settings
from crm_agents.cli.main import app
from data.demo_base import customer_ids, write_demo_base
from data.loading import load_customers


def _read(path):
    return pd.read_csv(path) if path.suffix == ".csv" else pd.read_parquet(path)


def test_ids_are_distinct_over_chunks_and_shaped_like_telco_ids():
    ids = customer_ids(0, 200_000, seed=42)
    assert len(set(ids)) == 200_000
    assert all(re.fullmatch(r"\d{4}-[A-Z]{5}", i) for i in ids[:1000])
    # Row i's ID does not depend on which chunk writes it.
    assert list(customer_ids(150_000, 10, seed=42)) == list(ids[150_000:150_010])


def test_the_same_seed_writes_the_same_base_and_another_seed_another(tmp_path):
    one = write_demo_base(tmp_path / "a.parquet", 2_500, seed=3, chunk_rows=1_000)
    two = write_demo_base(tmp_path / "b.parquet", 2_500, seed=3, chunk_rows=1_000)
    other = write_demo_base(tmp_path / "c.parquet", 2_500, seed=4, chunk_rows=1_000)
    pd.testing.assert_frame_equal(_read(one.path), _read(two.path))
    assert not _read(one.path)["customerID"].equals(_read(other.path)["customerID"])


def test_a_base_has_distinct_ids_over_many_chunks_and_loads_as_valid_input(tmp_path):
    written = write_demo_base(tmp_path / "parts", 5_000, seed=1, chunk_rows=700)
    assert written.parts == 8 and len(list(written.path.glob("*.parquet"))) == 8
    data = load_customers(written.path, Settings(raw_dir=tmp_path / "no-raw"))
    assert len(data.customers) == 5_000
    assert data.origin.simulated_signals  # the product says the signals are simulated


def test_csv_one_parquet_file_and_parquet_parts_hold_the_same_customers(tmp_path):
    csv = write_demo_base(tmp_path / "b.csv", 1_500, fmt="csv", chunk_rows=400)
    single = write_demo_base(tmp_path / "b.parquet", 1_500, chunk_rows=400)
    parts = write_demo_base(tmp_path / "b", 1_500, chunk_rows=400)
    settings = Settings(raw_dir=tmp_path / "no-raw")
    loaded = [load_customers(w.path, settings).customers for w in (csv, single, parts)]
    pd.testing.assert_frame_equal(loaded[0], loaded[1])
    pd.testing.assert_frame_equal(loaded[1], loaded[2])


def test_churn_is_left_out_unless_asked_for(tmp_path):
    scoring = _read(write_demo_base(tmp_path / "s.parquet", 3_000).path)
    training = _read(write_demo_base(tmp_path / "t.parquet", 3_000, labels=True).path)
    assert "Churn" not in scoring.columns
    assert 0.22 < training["Churn"].eq("Yes").mean() < 0.31


def test_a_failed_write_leaves_nothing_behind(tmp_path, monkeypatch):
    import data.demo_base as demo

    def broken(*args, **kwargs):
        yield from ()
        raise OSError("disk full")

    monkeypatch.setattr(demo, "demo_chunks", broken)
    with pytest.raises(OSError):
        write_demo_base(tmp_path / "x.parquet", 10)
    assert list(tmp_path.iterdir()) == []


def test_the_command_refuses_a_format_its_path_contradicts(tmp_path, monkeypatch):
    monkeypatch.setenv("CRM_STATE_DIR", str(tmp_path / "state"))
    result = CliRunner().invoke(
        app, ["demo-data", "--rows", "10", "--format", "csv", "--out", str(tmp_path / "x.parquet")]
    )
    assert result.exit_code == 2 and "give a path ending in .csv" in result.output
    assert not (tmp_path / "x.parquet").exists()


def test_the_command_writes_where_it_says(tmp_path, monkeypatch):
    monkeypatch.setenv("CRM_STATE_DIR", str(tmp_path / "state"))
    result = CliRunner().invoke(app, ["demo-data", "--rows", "1200", "--seed", "5"])
    assert result.exit_code == 0, result.output
    folder = tmp_path / "state" / "demo" / "customers-1200-seed5"
    assert len(pd.read_parquet(folder)) == 1200
    assert "1,200" in result.output
