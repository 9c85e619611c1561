"""A run's records keep each customer's drivers and inputs as JSON objects, made column-wise for
millions of rows: the text must be what `json.dumps` of the row's dict gives, cell for cell."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd

from models.health.history import json_objects


def _row_by_row(columns: dict) -> list[str]:
    frame = pd.DataFrame(columns)
    out = []
    for row in frame.to_dict("records"):
        plain = {}
        for k, v in row.items():
            if isinstance(v, np.generic):
                v = v.item()
            if isinstance(v, float) and not np.isfinite(v):
                v = None
            plain[k] = v
        out.append(json.dumps(plain))
    return out


def test_each_row_is_the_json_of_its_dict_whatever_the_column_types():
    columns = {
        "Contract": pd.Categorical(["Month-to-month", None, "Two year", "Month-to-month"]),
        "tenure": np.array([1, 72, 0, 1]),
        "MonthlyCharges": np.array([29.85, np.nan, 1e-07, -0.5]),
        "usage_drop_rate": np.array([np.inf, 0.1 + 0.2, 0.0, 3.0]),
        'odd "name"': ['say "hi"', "合約：月繳", "back\\slash", "line\nbreak"],
        "SeniorCitizen": np.array([True, False, True, True]),
    }
    made = json_objects(columns)
    assert made == _row_by_row(columns)
    assert json.loads(made[1])["MonthlyCharges"] is None  # a gap is null, not NaN
    assert json.loads(made[0])["usage_drop_rate"] is None  # so is infinity


def test_no_columns_make_no_rows():
    assert json_objects({}) == []
