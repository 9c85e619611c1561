"""Files for spreadsheets: every text cell is made safe to open (OWASP CSV injection rule).

Excel, LibreOffice and Google Sheets run a cell that starts with `=`, `+`, `-`, `@`, a tab or
a carriage return as a formula, so a customer ID or free text like `=HYPERLINK(...)` in an
export would run on the manager's machine. Such text cells get a leading apostrophe, which
spreadsheets show as text and never evaluate. Numbers stay numbers (a negative number is not
text and is not touched).
"""

from __future__ import annotations

import os
from pathlib import Path

import pandas as pd

FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value: object) -> object:
    """The value, with a leading apostrophe when it is text a spreadsheet would run."""
    if isinstance(value, str) and value.startswith(FORMULA_TRIGGERS):
        return "'" + value
    return value


def spreadsheet_safe(frame: pd.DataFrame) -> pd.DataFrame:
    """A copy whose text cells and column names are all safe to open in a spreadsheet."""
    safe = frame.copy()
    for column in safe.columns:
        if safe[column].dtype == object or pd.api.types.is_string_dtype(safe[column]):
            safe[column] = safe[column].map(safe_cell)
    safe.columns = [safe_cell(str(c)) for c in safe.columns]
    return safe


#: CRLF as spreadsheets expect; it also makes the writer quote any cell holding a CR or LF, so
#: a stray carriage return in free text cannot split a row.
LINE_END = "\r\n"


def to_csv_text(frame: pd.DataFrame) -> str:
    return spreadsheet_safe(frame).to_csv(index=False, lineterminator=LINE_END)


def write_csv(frame: pd.DataFrame, path: Path) -> Path:
    """Write a spreadsheet-safe CSV whole or not at all (temporary file, then rename)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(f".{path.name}.partial")
    try:
        spreadsheet_safe(frame).to_csv(partial, index=False, lineterminator=LINE_END)
        os.replace(partial, path)
    finally:
        partial.unlink(missing_ok=True)
    return path
