"""`query_customers`: read-only analytics over the scored base — filter, group, measure, list.

One typed question about many customers: which customers (filters on any profile column,
risk level, value tier, churn probability and behaviour signals), split how (group by any
category or tier), measured how (count, share, mean / median / sum of a numeric column, actual
churn rate, mean predicted probability, monthly revenue at risk) and, when asked, the customers
themselves with the true total. Every figure an answer may quote is in the result.
"""

from __future__ import annotations

from typing import Literal

import numpy as np
import pandas as pd
from pydantic import BaseModel, Field, model_validator

from data.schema import (
    BINARY_INT_COLUMNS,
    CATEGORICAL_VALUES,
    ENRICHED_FEATURES,
    NUMERIC_COLUMNS,
    SIGNAL_COLUMNS,
    TARGET_COLUMN,
)
from models.segments import RISK_LEVELS, VALUE_TIERS
from tools.portfolio.overview import at_risk_customers
from tools.schemas import AtRiskCustomer, ValueBasis
from tools.service.retention import RetentionService
from tools.timing_schemas import Interval

#: Columns of the scored table besides the profile.
SCORE_CATEGORIES: dict[str, tuple[str, ...]] = {
    "risk_level": tuple(RISK_LEVELS),
    "value_tier": tuple(VALUE_TIERS),
}
CATEGORIES: dict[str, tuple[str, ...]] = {
    **{c: tuple(v) for c, v in CATEGORICAL_VALUES.items()},
    **{c: ("0", "1") for c in BINARY_INT_COLUMNS},
    **SCORE_CATEGORIES,
    TARGET_COLUMN: ("No", "Yes"),
}
#: With the time-to-churn model the scores also hold `clv` and `churn_within_90d`.
LIFETIME_NUMBERS = ("clv", "churn_within_90d")
NUMBERS: tuple[str, ...] = (
    *NUMERIC_COLUMNS,
    *SIGNAL_COLUMNS,
    "churn_probability",
    *LIFETIME_NUMBERS,
)
Measure = Literal[
    "count",
    "share",
    "churn_rate",
    "mean_probability",
    "revenue_at_risk",
    "high_risk_revenue_at_risk",
    "mean",
    "median",
    "sum",
]
_OF_A_COLUMN = ("mean", "median", "sum")


class QueryError(ValueError):
    """A question the data in use cannot answer (a column it lacks)."""


def _allowed() -> str:
    categories = "; ".join(f"{c}: {', '.join(v)}" for c, v in CATEGORIES.items())
    return f"category columns and values — {categories}; numeric columns — {', '.join(NUMBERS)}"


class ColumnFilter(BaseModel):
    """Customers whose `column` equals one of `values` (a category) or lies within
    [`at_least`, `at_most`] (a number)."""

    column: str = Field(description="A profile column, risk_level, value_tier or churn_probability")
    values: list[str] = Field(default_factory=list, description="Allowed category values")
    at_least: float | None = None
    at_most: float | None = None

    @model_validator(mode="after")
    def _known_column_and_values(self) -> ColumnFilter:
        if self.column in CATEGORIES:
            unknown = [v for v in self.values if v not in CATEGORIES[self.column]]
            if not self.values or unknown or self.at_least is not None or self.at_most is not None:
                allowed = ", ".join(CATEGORIES[self.column])
                raise ValueError(f"{self.column} is a category: give values among {allowed}")
        elif self.column in NUMBERS:
            if self.values or (self.at_least is None and self.at_most is None):
                raise ValueError(f"{self.column} is a number: give at_least and/or at_most")
        else:
            raise ValueError(f"unknown column {self.column!r}; allowed {_allowed()}")
        return self

    def describe(self) -> str:
        if self.values:
            return f"{self.column} in {' / '.join(self.values)}"
        low = "" if self.at_least is None else f"≥ {self.at_least:g}"
        high = "" if self.at_most is None else f"≤ {self.at_most:g}"
        return f"{self.column} {' and '.join(p for p in (low, high) if p)}"


class QueryArgs(BaseModel):
    filters: list[ColumnFilter] = Field(default_factory=list, description="All must hold")
    group_by: str | None = Field(default=None, description="A category column or tier")
    measures: list[Measure] = Field(default_factory=lambda: ["count", "share"])
    column: str | None = Field(default=None, description="The numeric column of mean/median/sum")
    list_customers: int = Field(
        default=0, ge=0, le=500, description="Also list the N likeliest churners that match"
    )

    @model_validator(mode="after")
    def _known_group_and_column(self) -> QueryArgs:
        if self.group_by is not None and self.group_by not in CATEGORIES:
            raise ValueError(
                f"group_by {self.group_by!r} is not a category; use one of {', '.join(CATEGORIES)}"
            )
        needs_column = any(m in _OF_A_COLUMN for m in self.measures)
        if needs_column and self.column not in NUMBERS:
            raise ValueError(f"mean, median and sum need column, one of {', '.join(NUMBERS)}")
        return self


class GroupFigures(BaseModel):
    group: str | None = Field(description="The group's value, or None for all that match")
    figures: dict[str, float] = Field(
        description="Measure → value; shares and rates are 0–1. The share of all that match is "
        "of the whole base; a group's share is of those that match"
    )
    intervals: dict[str, Interval] = Field(
        default_factory=dict,
        description="Measure → its 95 % interval, for a time-to-churn column (clv, "
        "churn_within_90d): the measure over the customers' interval ends",
    )


class QueryResult(BaseModel):
    total_customers: int
    matching: int = Field(description="Customers matching every filter")
    filters: list[str]
    group_by: str | None
    column: str | None
    groups: list[GroupFigures]
    customers: list[AtRiskCustomer] = Field(description="The likeliest churners that match")
    customers_shown: int
    value_basis: ValueBasis | None = Field(
        None,
        description="What the value tiers are cut on, when the answer shows, filters or groups "
        "by value tier",
    )


def scored_table(service: RetentionService) -> pd.DataFrame:
    """Profile and scores side by side, one row per customer."""
    scores = service.scores().set_index("customerID")
    profile = service.customers.loc[scores.index]
    columns = [c for c in (*ENRICHED_FEATURES, TARGET_COLUMN) if c in profile.columns]
    return profile[columns].join(scores)


def matches(table: pd.DataFrame, f: ColumnFilter) -> np.ndarray:
    if f.column not in table.columns:
        raise QueryError(f"the data in use has no {f.column} column")
    column = table[f.column]
    if f.values:
        return column.astype(str).isin(f.values).to_numpy()
    mask = np.ones(len(table), dtype=bool)
    if f.at_least is not None:
        mask &= (column >= f.at_least).to_numpy()
    if f.at_most is not None:
        mask &= (column <= f.at_most).to_numpy()
    return mask


def _intervals(part: pd.DataFrame, args: QueryArgs) -> dict[str, Interval]:
    """A time-to-churn column's mean, median or sum over its interval's ends: every figure
    from that model is shown with its interval (the ends move together, so this is wide)."""
    if args.column not in LIFETIME_NUMBERS or f"{args.column}_low" not in part.columns:
        return {}
    found = {}
    for measure in args.measures:
        if measure in ("mean", "median", "sum") and len(part):
            ends = [getattr(part[f"{args.column}{e}"], measure)() for e in ("_low", "_high")]
            low, high = sorted(float(v) for v in ends)
            found[measure] = Interval(low=round(low, 6), high=round(high, 6))
    return found


def _figures(part: pd.DataFrame, of: int, args: QueryArgs) -> dict[str, float]:
    """The measures of `part`; its share is of `of` customers."""
    at_risk = part["churn_probability"] * part["monthly_charges"]
    figures: dict[str, float] = {}
    for measure in args.measures:
        if measure == "count":
            figures["count"] = float(len(part))
        elif measure == "share":
            figures["share"] = round(len(part) / of, 6) if of else 0.0
        elif measure == "churn_rate":
            if TARGET_COLUMN not in part.columns:
                raise QueryError("the data in use has no Churn column: no actual churn rate")
            figures["churn_rate"] = round(float((part[TARGET_COLUMN] == "Yes").mean()), 6)
        elif measure == "mean_probability":
            figures["mean_probability"] = round(float(part["churn_probability"].mean()), 6)
        elif measure == "revenue_at_risk":
            figures["revenue_at_risk"] = round(float(at_risk.sum()), 2)
        elif measure == "high_risk_revenue_at_risk":
            high = part["risk_level"] == "high"
            figures["high_risk_revenue_at_risk"] = round(float(at_risk[high].sum()), 2)
        else:
            values = part[args.column]
            figures[measure] = round(float(getattr(values, measure)()), 2)
    return {k: (0.0 if np.isnan(v) else v) for k, v in figures.items()}


def _shows_tiers(args: QueryArgs, customers: list[AtRiskCustomer]) -> bool:
    """Whether value tiers are in the answer: listed customers carry one, or the question
    filters or groups by tier."""
    asked = {f.column for f in args.filters} | {args.group_by}
    return bool(customers) or "value_tier" in asked


def query_customers(service: RetentionService, **arguments: object) -> QueryResult:
    """Filter, group and measure the scored base; list the likeliest churners that match."""
    args = QueryArgs.model_validate(arguments)
    table = scored_table(service)
    if args.column is not None and args.column not in table.columns:
        raise QueryError(
            f"the data in use has no {args.column} column"
            + (
                ": it needs the time-to-churn model (crm-agents train-survival)"
                if args.column in LIFETIME_NUMBERS
                else ""
            )
        )
    mask = np.ones(len(table), dtype=bool)
    for f in args.filters:
        mask &= matches(table, f)
    matched = table[mask]
    groups = [
        GroupFigures(
            group=None,
            figures=_figures(matched, len(table), args),
            intervals=_intervals(matched, args),
        )
    ]
    if args.group_by is not None:
        if args.group_by not in table.columns:
            raise QueryError(f"the data in use has no {args.group_by} column")
        keys = matched[args.group_by].astype(str)
        order = [v for v in CATEGORIES[args.group_by] if v in set(keys)]
        groups += [
            GroupFigures(
                group=value,
                figures=_figures(matched[keys == value], len(matched), args),
                intervals=_intervals(matched[keys == value], args),
            )
            for value in order
        ]
    top = matched.head(args.list_customers)  # the scores are sorted likeliest first
    customers = at_risk_customers(top.reset_index(), with_lifetime=False)
    return QueryResult(
        total_customers=len(table),
        matching=len(matched),
        filters=[f.describe() for f in args.filters],
        group_by=args.group_by,
        column=args.column,
        groups=groups,
        customers=customers,
        customers_shown=len(customers),
        value_basis=service.value_basis() if _shows_tiers(args, customers) else None,
    )
