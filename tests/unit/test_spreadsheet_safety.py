"""Every file the product writes for spreadsheets is safe to open, and customer IDs are checked
against the configured pattern on input."""

from __future__ import annotations

import csv
import io

import pandas as pd
import pytest
from typer.testing import CliRunner

from crm_agents.cli.main import app
from data.spreadsheet import safe_cell, spreadsheet_safe, to_csv_text
from data.synthetic import generate_customers
from data.validation import DataValidationError, validate_customers

DANGEROUS = ["=1+1", "+SUM(A1)", "-2+3", "@cmd", "\t=x", "\r=x", '=HYPERLINK("http://x","y")']


@pytest.mark.parametrize("text", DANGEROUS)
def test_text_that_a_spreadsheet_would_run_gets_a_leading_apostrophe(text):
    assert safe_cell(text) == "'" + text


@pytest.mark.parametrize("value", ["7590-VHVEG", "a=b", "", "high", -3.5, 12, None])
def test_other_cells_are_left_alone(value):
    assert safe_cell(value) == value


def test_a_frame_keeps_its_numbers_and_neutralises_text_and_headers():
    frame = pd.DataFrame({"customer": ["=1+1", "ok"], "amount": [-5.0, 2.0], "=bad": ["x", "y"]})
    safe = spreadsheet_safe(frame)
    assert safe["customer"].tolist() == ["'=1+1", "ok"]
    assert safe["amount"].tolist() == [-5.0, 2.0]
    assert list(safe.columns) == ["customer", "amount", "'=bad"]


def test_csv_text_has_no_index_column_and_crlf_lines():
    text = to_csv_text(pd.DataFrame({"customer": ["a", "b"], "n": [1, 2]}))
    assert text == "customer,n\r\na,1\r\nb,2\r\n"


def test_csv_text_has_no_cell_starting_a_formula():
    frame = pd.DataFrame({"customer": DANGEROUS})
    rows = list(csv.reader(io.StringIO(to_csv_text(frame), newline="")))
    assert [row[0] for row in rows[1:]] == ["'" + text for text in DANGEROUS]


def _raw(ids: list[str]) -> pd.DataFrame:
    frame = generate_customers(len(ids), 3).astype(str)
    frame["customerID"] = ids
    return frame


def test_ids_outside_the_pattern_are_refused_with_their_lines():
    ids = ["A-1", "=cmd|' /C calc'!A0", "ok_2", "x" * 65, "B.3"]
    with pytest.raises(DataValidationError) as err:
        validate_customers(_raw(ids), "t.csv")
    message = str(err.value)
    assert "malformed customer ID(s)" in message and "lines 3, 5" in message
    assert "1–64 letters, digits, '-', '_' or '.'" in message


def test_a_configured_id_pattern_is_applied():
    with pytest.raises(DataValidationError, match=r"text matching C\\d\+"):
        validate_customers(_raw(["C1", "D2"]), "t.csv", id_pattern=r"C\d+")
    assert len(validate_customers(_raw(["C1", "C2"]), "t.csv", id_pattern=r"C\d+")) == 2


def test_ids_that_differ_only_in_case_are_duplicates():
    with pytest.raises(DataValidationError, match=r"duplicate customer ID.*lines 2, 3"):
        validate_customers(_raw(["ab-1", "AB-1", "c"]), "t.csv")


def test_score_file_neutralises_formula_ids(tmp_path, monkeypatch, telco_csv):
    # IDs the default pattern allows but a spreadsheet would run: "-2-3" is -5 in Excel.
    path = telco_csv(300, 5)
    frame = pd.read_csv(path, dtype=str, keep_default_na=False)
    frame.loc[0, "customerID"] = "-2-3"
    frame.loc[1, "customerID"] = "-A1"
    frame.to_csv(path, index=False)
    for name, value in {
        "CRM_RAW_DIR": tmp_path / "raw",
        "CRM_STATE_DIR": tmp_path / "state",
        "CRM_SYNTHETIC_ROWS": 1200,
        "CRM_CV_FOLDS": 2,
        "CRM_CV_REPEATS": 1,
        "CRM_N_JOBS": 1,
        "CRM_MODEL": "logistic_baseline",
    }.items():
        monkeypatch.setenv(name, str(value))
    runner = CliRunner()
    trained = runner.invoke(app, ["train", "--data", str(path)])
    assert trained.exit_code == 0, trained.output
    out = tmp_path / "scores.csv"
    result = runner.invoke(app, ["score", "--data", str(path), "--out", str(out)])
    assert result.exit_code == 0, result.output
    written = pd.read_csv(out, dtype=str, keep_default_na=False)
    assert {"'-2-3", "'-A1"} <= set(written["customerID"])
    assert not written.map(lambda v: v.startswith(("=", "+", "-", "@"))).any().any()


def test_a_column_mixing_text_and_blanks_is_still_neutralised():
    frame = pd.DataFrame(
        {"note": ["=cmd", None, 3], "plan": pd.array(["+1", "ok", None], "string")}
    )
    safe = spreadsheet_safe(frame)
    assert safe["note"].tolist() == ["'=cmd", None, 3]
    assert safe["plan"].tolist()[:2] == ["'+1", "ok"]


def test_a_written_file_has_only_the_frames_columns_and_crlf_lines(tmp_path):
    from data.spreadsheet import write_csv

    frame = pd.DataFrame({"customerID": ["=A1", "B2"], "risk": [0.9, 0.1]})
    path = write_csv(frame, tmp_path / "new" / "nested" / "scores.csv")
    raw = path.read_bytes().decode("utf-8")
    assert raw.split("\r\n")[0] == "customerID,risk"
    assert raw.count("\r\n") == 3 and "\n" not in raw.replace("\r\n", "")
    assert list(csv.reader(io.StringIO(raw)))[1] == ["'=A1", "0.9"]
    assert [p.name for p in path.parent.iterdir()] == ["scores.csv"]


def test_csv_text_keeps_only_the_frames_columns():
    text = to_csv_text(pd.DataFrame({"a": ["x"], "b": [1]}, index=[7]))
    assert text == "a,b\r\nx,1\r\n"
