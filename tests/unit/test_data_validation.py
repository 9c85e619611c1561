"""Every bad input gives one clear error naming the column, the lines and what is allowed."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from core.settings import Settings
from data.loading import load_customers
from data.validation import DataValidationError, validate_customers


def _load(path: Path):
    return load_customers(path, Settings(raw_dir=path.parent / "no-raw"))


def _rewrite(path: Path, edit) -> Path:
    frame = pd.read_csv(path, dtype=str, keep_default_na=False)
    edit(frame)
    frame.to_csv(path, index=False)
    return path


def test_real_file_loads_every_customer_with_blank_total_charges_set_to_zero(real_csv):
    data = _load(real_csv)
    assert len(data.customers) == 7043
    new_customers = data.customers[data.customers["tenure"].eq(0)]
    assert len(new_customers) == 11
    assert new_customers["TotalCharges"].eq(0.0).all()
    assert data.origin.kind == "file"
    assert data.origin.sha256 == "16320c9c1ec72448db59aa0a26a0b95401046bef5d02fd3aeb906448e3055e91"


def test_missing_column_is_named(telco_csv):
    path = _rewrite(telco_csv(), lambda f: f.drop(columns=["Contract"], inplace=True))
    with pytest.raises(DataValidationError, match=r"missing column\(s\) Contract"):
        _load(path)


def test_a_missing_column_error_names_the_file(telco_csv):
    path = _rewrite(telco_csv(), lambda f: f.drop(columns=["Contract"], inplace=True))
    with pytest.raises(DataValidationError) as raised:
        _load(path)
    assert path.name in str(raised.value)


def test_extra_column_is_named_with_what_is_allowed(telco_csv):
    path = _rewrite(telco_csv(), lambda f: f.insert(3, "Shoe size", "42"))
    with pytest.raises(DataValidationError, match=r"unexpected column\(s\) 'Shoe size'.*signals"):
        _load(path)


def test_unknown_category_names_value_line_and_allowed_values(telco_csv):
    def edit(frame):
        frame.loc[4, "Contract"] = "Three year"

    with pytest.raises(DataValidationError) as err:
        _load(_rewrite(telco_csv(), edit))
    message = str(err.value)
    assert "column Contract" in message
    assert "'Three year'" in message
    assert "line 6" in message
    assert "Month-to-month, One year, Two year" in message


def test_non_numeric_charges_are_rejected_with_lines(telco_csv):
    def edit(frame):
        frame.loc[[0, 9], "MonthlyCharges"] = "lots"

    with pytest.raises(
        DataValidationError, match=r"MonthlyCharges: non-numeric .*'lots'.*lines 2, 11"
    ):
        _load(_rewrite(telco_csv(), edit))


def test_negative_tenure_is_out_of_range(telco_csv):
    def edit(frame):
        frame.loc[2, "tenure"] = "-3"

    with pytest.raises(
        DataValidationError, match=r"tenure: value\(s\) '-3' on line 4 out of range"
    ):
        _load(_rewrite(telco_csv(), edit))


def test_blank_total_charges_is_accepted_only_for_new_customers(telco_csv):
    def edit(frame):
        frame.loc[0, "tenure"] = "0"
        frame.loc[0, "TotalCharges"] = " "
        frame.loc[1, "tenure"] = "5"
        frame.loc[1, "TotalCharges"] = " "

    with pytest.raises(DataValidationError) as err:
        _load(_rewrite(telco_csv(), edit))
    message = str(err.value)
    assert "TotalCharges: blank value on line 3" in message
    assert "line 2" not in message


def test_invalid_senior_citizen_flag_lists_allowed_values(telco_csv):
    def edit(frame):
        frame.loc[0, "SeniorCitizen"] = "Yes"

    with pytest.raises(
        DataValidationError, match=r"SeniorCitizen: value\(s\) 'Yes' .*allowed: 0, 1"
    ):
        _load(_rewrite(telco_csv(), edit))


def test_duplicate_customer_ids_are_listed(telco_csv):
    def edit(frame):
        frame.loc[7, "customerID"] = frame.loc[3, "customerID"]

    with pytest.raises(DataValidationError, match=r"duplicate customer ID.*lines 5, 9"):
        _load(_rewrite(telco_csv(), edit))


def test_all_problems_of_a_file_are_reported_together(telco_csv):
    def edit(frame):
        frame.loc[0, "gender"] = "X"
        frame.loc[1, "tenure"] = "abc"

    with pytest.raises(DataValidationError) as err:
        _load(_rewrite(telco_csv(), edit))
    assert len(err.value.problems) == 2


def test_empty_file_is_rejected(tmp_path):
    path = tmp_path / "empty.csv"
    path.write_bytes(b"")
    with pytest.raises(DataValidationError, match="the file is empty"):
        _load(path)


def test_header_without_rows_is_rejected(telco_csv):
    path = telco_csv()
    path.write_text(path.read_text().splitlines()[0] + "\n")
    with pytest.raises(DataValidationError, match="no customer rows"):
        _load(path)


def test_non_utf8_file_is_rejected_with_encoding_advice(telco_csv):
    path = _rewrite(telco_csv(), lambda f: f.loc.__setitem__((0, "PaymentMethod"), "Chèque"))
    path.write_bytes(path.read_text(encoding="utf-8").encode("latin-1"))
    with pytest.raises(DataValidationError, match=r"not UTF-8 text.*save the file as UTF-8"):
        _load(path)


def test_semicolon_separated_file_is_recognised(telco_csv):
    path = telco_csv()
    frame = pd.read_csv(path, dtype=str, keep_default_na=False)
    frame.to_csv(path, index=False, sep=";")
    with pytest.raises(DataValidationError, match="separated by semicolons; expected commas"):
        _load(path)


def test_missing_file_is_reported(tmp_path):
    with pytest.raises(DataValidationError, match="file not found"):
        _load(tmp_path / "nope.csv")


def test_behaviour_signals_are_taken_from_the_input_when_present(telco_csv):
    path = telco_csv(recent_login_count=3, complain_count=1, usage_drop_rate=0.25)
    data = _load(path)
    assert data.origin.simulated_signals == []
    assert data.customers["recent_login_count"].eq(3).all()
    assert data.customers["usage_drop_rate"].eq(0.25).all()


def test_behaviour_signal_out_of_range_is_rejected(telco_csv):
    path = telco_csv(usage_drop_rate=1.5)
    with pytest.raises(DataValidationError, match=r"usage_drop_rate: value\(s\) '1.5'.*≤ 1"):
        _load(path)


def test_churn_column_may_be_left_out_for_scoring(telco_csv):
    path = _rewrite(telco_csv(), lambda f: f.drop(columns=["Churn"], inplace=True))
    data = _load(path)
    assert not data.has_labels


@pytest.mark.parametrize("column", ["MonthlyCharges", "TotalCharges"])
def test_negative_charges_are_refused_with_their_line(telco_csv, column):
    frame = pd.read_csv(telco_csv(50, 4), dtype=str, keep_default_na=False)
    frame.loc[6, column] = "-12.50"
    with pytest.raises(DataValidationError, match=rf"{column}: value\(s\) '-12.50' on line 8"):
        validate_customers(frame, "t.csv")


def test_a_problem_on_many_lines_shows_the_first_five_and_counts_the_rest(telco_csv):
    frame = pd.read_csv(telco_csv(50, 4), dtype=str, keep_default_na=False)
    frame.loc[0:7, "Contract"] = [f"Plan {i}" for i in range(8)]
    with pytest.raises(DataValidationError) as err:
        validate_customers(frame, "t.csv")
    message = str(err.value)
    assert (
        "'Plan 0', 'Plan 1', 'Plan 2', 'Plan 3', 'Plan 4' … on lines 2, 3, 4, 5, 6 and 3 more"
        in (message)
    )
    assert err.value.source == "t.csv"
    assert message.startswith("t.csv is not a valid Telco customer file:\n  - column Contract")


def test_exactly_five_bad_lines_are_all_shown_without_more(telco_csv):
    frame = pd.read_csv(telco_csv(50, 4), dtype=str, keep_default_na=False)
    frame.loc[0:4, "Contract"] = [f"Plan {i}" for i in range(5)]
    with pytest.raises(DataValidationError) as err:
        validate_customers(frame, "t.csv")
    assert "'Plan 4' on lines 2, 3, 4, 5, 6; allowed" in str(err.value)


def test_every_problem_of_a_file_is_listed_on_its_own_line(telco_csv):
    frame = pd.read_csv(telco_csv(50, 4), dtype=str, keep_default_na=False)
    frame.loc[0, "Contract"] = "Lifetime"
    frame.loc[1, "gender"] = "Other"
    with pytest.raises(DataValidationError) as err:
        validate_customers(frame, "t.csv")
    assert len(err.value.problems) == 2
    assert str(err.value).count("\n  - column ") == 2


def test_the_default_id_rule_is_described_in_words():
    from data.validation import describe_id_pattern

    assert describe_id_pattern(r"[A-Za-z0-9._-]{1,64}") == "1–64 letters, digits, '-', '_' or '.'"


def _frame(telco_csv, n: int = 30) -> pd.DataFrame:
    return pd.read_csv(telco_csv(n, 5), dtype=str, keep_default_na=False)


def _problems(frame: pd.DataFrame) -> list[str]:
    with pytest.raises(DataValidationError) as err:
        validate_customers(frame, "t.csv")
    return err.value.problems


def test_a_count_column_says_it_needs_a_whole_number_within_its_range(telco_csv):
    frame = _frame(telco_csv)
    frame.loc[2, "tenure"] = "many"
    assert _problems(frame) == [
        "column tenure: non-numeric value(s) 'many' on line 4; "
        "expected a whole number ≥ 0 and ≤ 600"
    ]


def test_a_money_column_says_it_needs_a_number(telco_csv):
    frame = _frame(telco_csv)
    frame.loc[0, "MonthlyCharges"] = ""
    assert _problems(frame) == ["column MonthlyCharges: blank value on line 2; expected a number"]


def test_a_blank_total_is_explained_when_tenure_is_not_zero(telco_csv):
    frame = _frame(telco_csv)
    row = frame.index[frame["tenure"] != "0"][0]
    frame.loc[row, "TotalCharges"] = ""
    assert _problems(frame) == [
        f"column TotalCharges: blank value on line {row + 2}; expected a number "
        "(blank is accepted only when tenure is 0)"
    ]


def test_a_rate_above_its_maximum_is_out_of_range(telco_csv):
    frame = _frame(telco_csv)
    frame["usage_drop_rate"] = "0.5"
    frame.loc[1, "usage_drop_rate"] = "1.5"
    assert _problems(frame) == [
        "column usage_drop_rate: value(s) '1.5' on line 3 out of range; expected a number ≥ 0 "
        "and ≤ 1 (CRM_ACCEPTED_RANGES sets the range)"
    ]


def test_a_blank_customer_id_is_named_with_its_line(telco_csv):
    frame = _frame(telco_csv)
    frame.loc[3, "customerID"] = "  "
    assert _problems(frame) == ["column customerID: blank customer ID on line 5"]


def test_a_header_without_rows_names_the_file():
    empty = pd.DataFrame(columns=["customerID"], dtype=str)
    with pytest.raises(DataValidationError) as err:
        validate_customers(empty, "empty.csv")
    assert err.value.source == "empty.csv"
    assert err.value.problems == ["the file has a header but no customer rows"]


def test_validated_columns_have_their_types(telco_csv):
    frame = _frame(telco_csv)
    frame["recent_login_count"], frame["complain_count"], frame["usage_drop_rate"] = (
        "3",
        "0",
        "0.25",
    )
    clean = validate_customers(frame, "t.csv")
    types = {c: str(t) for c, t in clean.dtypes.items()}
    assert types["tenure"] == types["SeniorCitizen"] == "int64"
    assert types["MonthlyCharges"] == types["TotalCharges"] == "float64"
    assert types["recent_login_count"] == types["complain_count"] == "int64"
    assert types["usage_drop_rate"] == "float64"


def test_zero_charges_and_zero_counts_are_accepted(telco_csv):
    frame = _frame(telco_csv)
    frame["recent_login_count"], frame["complain_count"], frame["usage_drop_rate"] = "0", "0", "0"
    frame.loc[0, "MonthlyCharges"] = "0.50"
    clean = validate_customers(frame, "t.csv")
    assert clean.loc[0, "MonthlyCharges"] == 0.5
    assert (clean["recent_login_count"] == 0).all()


def test_a_count_signal_must_be_whole(telco_csv):
    frame = _frame(telco_csv)
    frame["recent_login_count"], frame["complain_count"] = "2", "1"
    frame.loc[4, "complain_count"] = "1.5"
    assert _problems(frame) == [
        "column complain_count: value(s) '1.5' on line 6 out of range; expected a whole number ≥ 0"
        " and ≤ 1000 (CRM_ACCEPTED_RANGES sets the range)"
    ]


def test_tenure_may_reach_its_maximum_but_not_pass_it(telco_csv):
    frame = _frame(telco_csv)
    frame.loc[0, "tenure"] = "600"
    assert validate_customers(frame, "t.csv").loc[0, "tenure"] == 600
    frame.loc[0, "tenure"] = "601"
    assert "tenure: value(s) '601' on line 2 out of range" in _problems(frame)[0]


def test_a_blank_total_for_a_new_customer_becomes_zero(telco_csv):
    frame = _frame(telco_csv)
    frame.loc[0, "tenure"], frame.loc[0, "TotalCharges"] = "0", ""
    assert validate_customers(frame, "t.csv").loc[0, "TotalCharges"] == 0.0


@pytest.mark.parametrize("value", ["inf", "-inf", "Infinity", "1e400"])
@pytest.mark.parametrize("column", ["MonthlyCharges", "TotalCharges", "tenure"])
def test_a_number_that_is_not_finite_is_refused_with_its_column_and_line(telco_csv, column, value):
    frame = _frame(telco_csv)
    frame.loc[3, column] = value
    (problem,) = _problems(frame)
    assert problem.startswith(f"column {column}: value(s) '{value}' on line 5 not a finite number")


@pytest.mark.parametrize(
    ("column", "value", "most"),
    [
        ("MonthlyCharges", "1e308", "2000"),
        ("MonthlyCharges", "2000.01", "2000"),
        ("TotalCharges", "1000000.5", "1e+06"),
        ("recent_login_count", "10001", "10000"),
    ],
)
def test_a_number_above_its_range_is_refused_with_the_range(telco_csv, column, value, most):
    frame = _frame(telco_csv)
    if column not in frame:
        frame[column] = "1"
    frame.loc[1, column] = value
    (problem,) = _problems(frame)
    assert f"column {column}: value(s) '{value}' on line 3 out of range" in problem
    assert f"≤ {most} (CRM_ACCEPTED_RANGES sets the range)" in problem


def test_the_accepted_ranges_come_from_the_settings(telco_csv):
    from core.ranges import merged_ranges

    frame = _frame(telco_csv)
    frame.loc[0, "MonthlyCharges"] = "4500"
    assert "out of range" in _problems(frame)[0]
    wider = merged_ranges({"MonthlyCharges": [0, 5000]})
    assert validate_customers(frame, "t.csv", ranges=wider).loc[0, "MonthlyCharges"] == 4500


def test_the_default_ranges_hold_the_telco_file_with_margin():
    from core.ranges import DEFAULT_RANGES
    from data.schema import NUMERIC_COLUMNS, SIGNAL_COLUMNS

    assert set(DEFAULT_RANGES) == {*NUMERIC_COLUMNS, *SIGNAL_COLUMNS}
    telco_maxima = {"tenure": 72, "MonthlyCharges": 118.75, "TotalCharges": 8684.8}
    for column, most in telco_maxima.items():
        assert DEFAULT_RANGES[column][1] >= 5 * most


def test_a_refused_file_is_worded_in_the_readers_language_with_the_same_lines(telco_csv):
    frame = _frame(telco_csv)
    frame.loc[0, "MonthlyCharges"] = "inf"
    frame.loc[[1, 2], "Contract"] = "Forever"
    with pytest.raises(DataValidationError) as err:
        validate_customers(frame, "t.csv")
    chinese = err.value.words("zh-TW")
    assert chinese.startswith("t.csv 不是有效的 Telco 客戶檔案：")
    assert "欄位 Contract：第 3、4 行有未知的值 'Forever'" in chinese
    assert "欄位 MonthlyCharges：第 2 行的值 'inf' 不是有限的數字" in chinese
    assert "column" not in chinese and "line" not in chinese
