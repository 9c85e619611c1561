"""Schema validation: turn a raw text table into a typed customer table, or say exactly why not.

Every problem names the column, the first offending file lines and what is accepted. All
problems of a file are collected first, so a user fixes them in one pass.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass

import numpy as np
import pandas as pd

from core.i18n import Phrase, t
from core.languages import BASE_LANGUAGE
from core.ranges import DEFAULT_RANGES
from core.types import DEFAULT_ID_PATTERN, Language
from data.schema import (
    BINARY_INT_COLUMNS,
    CATEGORICAL_VALUES,
    CONSENT_COLUMNS,
    COUNT_SIGNALS,
    ID_COLUMN,
    SIGNAL_COLUMNS,
    TARGET_COLUMN,
    TELCO_COLUMNS,
    YES_NO,
)

MAX_SHOWN = 5


@dataclass(frozen=True)
class Numbering:
    """How a problem's place in the input is said: CSV lines (the header is line 1, so data
    row i is on line i + 2) or the rows of a columnar file (row i is row i + 1)."""

    first: int
    unit: str  # "line" or "row": the phrases validation.{unit}, {unit}s, {unit}s_more


LINES = Numbering(2, "line")
ROWS = Numbering(1, "row")


class DataValidationError(ValueError):
    """The input table does not follow the Telco schema. Each problem is a phrase, worded in
    the reader's language where it is shown (`words`); `problems` and `str()` are English."""

    def __init__(self, source: str, problems: list[Phrase]):
        self.source = source
        self.phrases = problems
        self.problems = [str(p) for p in problems]
        super().__init__(self.words(BASE_LANGUAGE))

    def words(self, lang: Language) -> str:
        listed = "\n".join(f"  - {p.words(lang)}" for p in self.phrases)
        return t("validation.invalid_file", lang, source=self.source) + "\n" + listed


def lines_phrase(index: pd.Index, numbering: Numbering = LINES) -> Phrase:
    shown = [i + numbering.first for i in index[:MAX_SHOWN]]
    unit = numbering.unit
    if len(index) > MAX_SHOWN:
        return Phrase(f"validation.{unit}s_more", {"lines": shown, "more": len(index) - MAX_SHOWN})
    return Phrase(
        f"validation.{unit}s" if len(index) > 1 else f"validation.{unit}", {"lines": shown}
    )


def stripped(values: pd.Series) -> pd.Series:
    """The cells as text without surrounding spaces, a missing cell as blank. Each distinct
    cell is stripped once: a column of a million cells has a handful of distinct values."""
    if not (
        pd.api.types.is_object_dtype(values)
        or pd.api.types.is_string_dtype(values)
        or isinstance(values.dtype, pd.CategoricalDtype)
    ):
        values = values.astype(str)
    codes, distinct = pd.factorize(values)
    clean = [str(v).strip() for v in np.asarray(distinct, dtype=object)]
    # A missing cell has code -1: the last entry, blank.
    return pd.Series(np.array([*clean, ""], dtype=object)[codes], index=values.index)


def _typed_numbers(values: pd.Series) -> bool:
    """A column that arrives as numbers (a columnar file), not as text to parse."""
    return pd.api.types.is_numeric_dtype(values) and not pd.api.types.is_bool_dtype(values)


def _values(values: pd.Series) -> list[str] | Phrase:
    unique = list(dict.fromkeys(values.tolist()))
    shown = [repr(v) for v in unique[:MAX_SHOWN]]
    return Phrase("validation.values_more", {"values": shown}) if len(unique) > MAX_SHOWN else shown


def _kind(integer: bool) -> Phrase:
    return Phrase("validation.whole_number" if integer else "validation.number")


def _check_columns(raw: pd.DataFrame) -> list[Phrase]:
    problems = []
    present = list(raw.columns)
    required = [c for c in TELCO_COLUMNS if c != TARGET_COLUMN]
    missing = [c for c in required if c not in present]
    if missing:
        problems.append(
            Phrase("validation.missing_columns", {"missing": missing, "columns": TELCO_COLUMNS})
        )
    allowed = set(TELCO_COLUMNS) | set(SIGNAL_COLUMNS) | set(CONSENT_COLUMNS.values())
    extra = [c for c in present if c not in allowed]
    if extra:
        problems.append(
            Phrase(
                "validation.unexpected_columns",
                {
                    "extra": [repr(c) for c in extra],
                    "signals": SIGNAL_COLUMNS,
                    "consent": list(CONSENT_COLUMNS.values()),
                },
            )
        )
    return problems


def _is_number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


Where = Callable[[pd.Index], Phrase]


def _parse_number(
    raw: pd.DataFrame,
    column: str,
    problems: list[Phrase],
    bounds: tuple[float, float],
    where: Where,
    *,
    integer: bool = False,
    allow_blank: pd.Series | None = None,
) -> pd.Series:
    if _typed_numbers(raw[column]):
        values = raw[column].astype("float64")
        text, blank = values, values.isna()
    else:
        text = stripped(raw[column])
        values = pd.to_numeric(text, errors="coerce")
        blank = text.eq("")
    blank_bad = blank & ~allow_blank if allow_blank is not None else blank
    minimum, maximum = bounds
    expected = {
        "column": column,
        "kind": _kind(integer),
        "low": f"{minimum:g}",
        "high": f"{maximum:g}",
    }
    # "inf", "1e400" and "nan" are numbers to Python; none of them can be computed with.
    # Only the cells that did not parse as finite numbers are read again (few, if any).
    suspect = ~np.isfinite(values.astype(float)) & ~blank
    numbers = {i for i in text.index[suspect] if _is_number(text[i])}
    not_finite = pd.Series(text.index.isin(list(numbers)), index=text.index)
    values = values.mask(not_finite)
    if not_finite.any():
        bad = raw.index[not_finite]
        found = {"values": _values(text[not_finite]), "lines": where(bad)}
        problems.append(Phrase("validation.not_finite", expected | found))
    not_numeric = values.isna() & ~blank & ~not_finite
    if not_numeric.any():
        bad = raw.index[not_numeric]
        found = {"values": _values(text[not_numeric]), "lines": where(bad)}
        problems.append(Phrase("validation.not_numeric", expected | found))
    if blank_bad.any():
        bad = raw.index[blank_bad]
        key = "validation.blank_unless_new" if allow_blank is not None else "validation.blank"
        problems.append(Phrase(key, expected | {"lines": where(bad)}))
    out_of_range = values.lt(minimum) | values.gt(maximum)
    if integer:
        out_of_range |= values.notna() & values.ne(values.round())
    if out_of_range.any():
        bad = raw.index[out_of_range]
        found = {"values": _values(text[out_of_range]), "lines": where(bad)}
        problems.append(Phrase("validation.out_of_range", expected | found))
    return values


def id_pattern_phrase(pattern: str) -> dict:
    """What an accepted ID looks like, as a phrase (words for the default pattern)."""
    if pattern == DEFAULT_ID_PATTERN:
        return {"phrase": "refusal.id_pattern_default", "values": {}}
    return {"phrase": "refusal.id_pattern", "values": {"pattern": pattern}}


def describe_id_pattern(pattern: str, lang: Language = BASE_LANGUAGE) -> str:
    """What an accepted ID looks like, in words of `lang`."""
    phrase = id_pattern_phrase(pattern)
    return t(phrase["phrase"], lang, **phrase["values"])


def _check_ids(raw: pd.DataFrame, pattern: str, problems: list[Phrase], where: Where) -> pd.Series:
    ids = stripped(raw[ID_COLUMN])
    blank = ids.eq("")
    if blank.any():
        problems.append(
            Phrase(
                "validation.blank_id",
                {"column": ID_COLUMN, "lines": where(raw.index[blank])},
            )
        )
    # IDs are matched without regard to case everywhere, so two that differ only in case clash.
    dup = ids.str.casefold().duplicated(keep=False) & ~blank
    if dup.any():
        found = {"values": _values(ids[dup]), "lines": where(raw.index[dup])}
        problems.append(Phrase("validation.duplicate_id", {"column": ID_COLUMN} | found))
    compiled = re.compile(pattern)
    malformed = ~blank & ~ids.map(lambda i: compiled.fullmatch(i) is not None)
    if malformed.any():
        found = {"values": _values(ids[malformed]), "lines": where(raw.index[malformed])}
        problems.append(
            Phrase(
                "validation.malformed_id",
                {"column": ID_COLUMN, "pattern": id_pattern_phrase(pattern)} | found,
            )
        )
    return ids


def _not_allowed(
    column: str, values: pd.Series, unknown: pd.Series, where: Where, allowed, key: str
) -> Phrase:
    return Phrase(
        f"validation.{key}",
        {
            "column": column,
            "values": _values(values[unknown]),
            "lines": where(values.index[unknown]),
            "allowed": list(allowed),
        },
    )


def validate_customers(
    raw: pd.DataFrame,
    source: str,
    id_pattern: str = DEFAULT_ID_PATTERN,
    ranges: Mapping[str, tuple[float, float]] = DEFAULT_RANGES,
    numbering: Numbering = LINES,
) -> pd.DataFrame:
    """Check a table read as text (a CSV) or typed (a columnar file: numbers may arrive as
    numbers) and return it typed and cleaned. Every number must be finite and inside its
    column's range (`ranges`, from the settings). Problems name CSV lines or columnar rows
    (`numbering`).

    Blank `TotalCharges` is accepted for new customers (tenure 0, the 11 such rows of the real
    file): nothing has been billed yet, so it becomes 0.0 rather than a dropped row.
    """
    if raw.empty:
        raise DataValidationError(source, [Phrase("validation.no_rows")])
    problems = _check_columns(raw)
    if problems:
        raise DataValidationError(source, problems)

    raw = raw.reset_index(drop=True)
    clean: dict[str, pd.Series] = {}

    def where(index: pd.Index) -> Phrase:
        return lines_phrase(index, numbering)

    clean[ID_COLUMN] = _check_ids(raw, id_pattern, problems, where)

    for column, allowed in CATEGORICAL_VALUES.items():
        values = stripped(raw[column])
        unknown = ~values.isin(allowed)
        if unknown.any():
            problems.append(_not_allowed(column, values, unknown, where, allowed, "unknown_value"))
        clean[column] = values

    for column in BINARY_INT_COLUMNS:
        # 0/1 as text, or as numbers in a columnar file (1.0 is 1 there).
        typed = _typed_numbers(raw[column])
        values = raw[column] if typed else stripped(raw[column])
        unknown = ~values.isin((0, 1) if typed else ("0", "1"))
        if unknown.any():
            problems.append(_not_allowed(column, values, unknown, where, ("0", "1"), "not_allowed"))
        clean[column] = pd.to_numeric(values, errors="coerce").fillna(0).astype("int64")

    tenure = _parse_number(raw, "tenure", problems, ranges["tenure"], where, integer=True)
    monthly = _parse_number(raw, "MonthlyCharges", problems, ranges["MonthlyCharges"], where)
    total = _parse_number(
        raw, "TotalCharges", problems, ranges["TotalCharges"], where, allow_blank=tenure.eq(0)
    )
    clean["tenure"] = tenure.fillna(0).astype("int64")
    clean["MonthlyCharges"] = monthly.astype("float64")
    clean["TotalCharges"] = total.fillna(0.0).astype("float64")

    if TARGET_COLUMN in raw.columns:
        churn = stripped(raw[TARGET_COLUMN])
        unknown = ~churn.isin(YES_NO)
        if unknown.any():
            problems.append(
                _not_allowed(TARGET_COLUMN, churn, unknown, where, YES_NO, "not_allowed")
            )
        clean[TARGET_COLUMN] = churn

    for column in SIGNAL_COLUMNS:
        if column in raw.columns:
            integer = column in COUNT_SIGNALS
            values = _parse_number(raw, column, problems, ranges[column], where, integer=integer)
            clean[column] = values.fillna(0).astype("int64" if integer else "float64")

    consent = [c for c in CONSENT_COLUMNS.values() if c in raw.columns]
    for column in consent:
        values = stripped(raw[column])
        unknown = ~values.isin(YES_NO)
        if unknown.any():
            problems.append(_not_allowed(column, values, unknown, where, YES_NO, "not_allowed"))
        clean[column] = values

    if problems:
        raise DataValidationError(source, problems)
    order = [c for c in TELCO_COLUMNS if c in clean]
    order += [c for c in SIGNAL_COLUMNS if c in clean] + consent
    # Built from the columns as they are (no copy): a million customers are not held twice.
    return pd.DataFrame({c: clean[c].to_numpy() for c in order}, index=raw.index, copy=False)
