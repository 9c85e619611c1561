"""Parquet in — a file or a folder of parts — validated exactly as a CSV is, with problems
named by row; scores out as Parquet."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from core.settings import Settings
from data.loading import load_customers
from data.synthetic import generate_customers
from data.validation import DataValidationError


def _load(path: Path):
    return load_customers(path, Settings(raw_dir=path.parent / "no-raw"))


def _parts(folder: Path, frame: pd.DataFrame, count: int) -> Path:
    folder.mkdir()
    for i, part in enumerate(np.array_split(np.arange(len(frame)), count)):
        frame.iloc[part].to_parquet(folder / f"part.{i}.parquet", index=False)
    return folder


def test_a_parquet_file_loads_the_same_customers_as_the_same_table_in_csv(tmp_path):
    frame = generate_customers(400, seed=3)
    frame.to_csv(tmp_path / "base.csv", index=False)
    frame.to_parquet(tmp_path / "base.parquet", index=False)
    from_csv, from_parquet = _load(tmp_path / "base.csv"), _load(tmp_path / "base.parquet")
    pd.testing.assert_frame_equal(from_parquet.customers, from_csv.customers)
    assert from_parquet.origin.kind == "file"
    assert from_parquet.origin.rows == 400


def test_a_folder_of_parts_is_one_table_in_name_order_and_bookkeeping_files_are_skipped(tmp_path):
    frame = generate_customers(300, seed=4)
    folder = _parts(tmp_path / "base", frame, 3)
    (folder / "_SUCCESS").write_text("")
    (folder / ".part.0.parquet.crc").write_bytes(b"\0\1")
    loaded = _load(folder)
    assert loaded.customers["customerID"].tolist() == frame["customerID"].tolist()
    whole = tmp_path / "whole.parquet"
    frame.to_parquet(whole, index=False)
    pd.testing.assert_frame_equal(loaded.customers, _load(whole).customers)


def test_the_fingerprint_of_a_folder_changes_when_a_part_changes(tmp_path):
    frame = generate_customers(200, seed=5)
    folder = _parts(tmp_path / "base", frame, 2)
    before = _load(folder).origin.sha256
    frame.iloc[100:].assign(tenure=1).to_parquet(folder / "part.1.parquet", index=False)
    assert _load(folder).origin.sha256 != before


def test_a_problem_in_parquet_is_named_by_row_not_by_line(tmp_path):
    frame = generate_customers(50, seed=6)
    frame.loc[2, "Contract"] = "Three year"
    frame.loc[4, "MonthlyCharges"] = -5.0
    path = tmp_path / "bad.parquet"
    frame.to_parquet(path, index=False)
    with pytest.raises(DataValidationError) as raised:
        _load(path)
    message = str(raised.value)
    assert "column Contract: unknown value(s) 'Three year' on row 3;" in message
    # A number stored as a number is shown as one (text would be quoted).
    assert "column MonthlyCharges: value(s) -5.0 on row 5 out of range" in message


def test_numbers_stored_as_numbers_are_checked_like_numbers_in_text(tmp_path):
    frame = generate_customers(30, seed=7)
    frame["tenure"] = frame["tenure"].astype(float)
    frame.loc[1, "tenure"] = 2.5
    frame.loc[3, "TotalCharges"] = np.inf
    path = tmp_path / "typed.parquet"
    frame.to_parquet(path, index=False)
    with pytest.raises(DataValidationError) as raised:
        _load(path)
    message = str(raised.value)
    assert "column tenure: value(s) 2.5 on row 2 out of range; expected a whole number" in message
    assert "column TotalCharges: value(s) inf on row 4 not a finite number" in message


def test_a_blank_total_is_accepted_for_a_new_customer_in_parquet_as_in_csv(tmp_path):
    frame = generate_customers(30, seed=8)
    frame.loc[0, "tenure"] = 0
    frame["TotalCharges"] = frame["TotalCharges"].astype(object)
    frame.loc[0, "TotalCharges"] = None
    path = tmp_path / "new.parquet"
    frame.assign(TotalCharges=pd.to_numeric(frame["TotalCharges"])).to_parquet(path, index=False)
    assert _load(path).customers.iloc[0]["TotalCharges"] == 0.0


def test_parts_with_different_columns_are_refused_naming_the_part(tmp_path):
    frame = generate_customers(100, seed=9)
    folder = _parts(tmp_path / "base", frame, 2)
    frame.iloc[50:].drop(columns=["gender"]).to_parquet(folder / "part.1.parquet", index=False)
    with pytest.raises(DataValidationError, match=r"part part\.1\.parquet has the columns"):
        _load(folder)


def test_a_file_that_is_not_parquet_is_refused_with_what_is_accepted(tmp_path):
    path = tmp_path / "base.parquet"
    path.write_text("customerID,gender\n")
    with pytest.raises(DataValidationError, match=r"not a readable Parquet file.*or a CSV"):
        _load(path)


def test_a_folder_without_parts_is_refused_with_what_is_accepted(tmp_path):
    (tmp_path / "empty").mkdir()
    with pytest.raises(DataValidationError, match=r"no Parquet parts.*folder of Parquet parts"):
        _load(tmp_path / "empty")


def test_a_parquet_written_with_the_ids_as_its_index_still_has_its_id_column(tmp_path):
    frame = generate_customers(40, seed=10)
    path = tmp_path / "indexed.parquet"
    frame.set_index("customerID").to_parquet(path)
    assert _load(path).customers["customerID"].tolist() == frame["customerID"].tolist()
