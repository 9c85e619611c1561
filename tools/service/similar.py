"""Similar customers: the churn rate of the customers who share a customer's contract type,
internet service and tenure band — the line "compared with similar customers" on a profile.

Observed churn when the data has labels; otherwise the mean predicted probability, and the
result says which.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from data.schema import TARGET_COLUMN
from tools.schemas import SegmentChurn

#: Tenure bands in months: the first year, the second, years three and four, longer.
TENURE_EDGES = (0, 13, 25, 49)
SEGMENT_COLUMNS = ("Contract", "InternetService")


def tenure_band(months: np.ndarray | int) -> np.ndarray:
    """The band index of each tenure (0 for 0–12 months, … 3 for 49 months and longer)."""
    return np.searchsorted(TENURE_EDGES, months, side="right") - 1


#: (contract, internet service, tenure band) → customers, churn rate and its basis.
SegmentTable = dict[tuple[str, str, int], tuple[int, float, str]]


def segment_table(customers: pd.DataFrame, predicted: pd.Series | None) -> SegmentTable:
    """Customers and churn rate per contract × internet service × tenure band.

    `predicted` (churn probability by customer ID) is used only when the data has no labels.
    The result is a plain dict: the app reads it from many threads at once, and pandas'
    lazily built MultiIndex lookups are not safe under that (a concurrent `.loc` returned a
    frame instead of a row)."""
    keys = customers[list(SEGMENT_COLUMNS)].assign(band=tenure_band(customers["tenure"]))
    if TARGET_COLUMN in customers:
        churned = customers[TARGET_COLUMN].eq("Yes").astype(float)
        basis = "observed"
    else:
        if predicted is None:
            raise ValueError("the data has no Churn column: similar customers need predictions")
        churned = predicted.reindex(customers.index).astype(float)
        basis = "predicted"
    table = (
        keys.assign(churned=churned.to_numpy())
        .groupby([*SEGMENT_COLUMNS, "band"], observed=True)["churned"]
        .agg(customers="size", churn_rate="mean")
    )
    return {
        (str(contract), str(internet), int(band)): (
            int(row.customers),
            float(row.churn_rate),
            basis,
        )
        for (contract, internet, band), row in table.iterrows()
    }


def similar_customers(table: SegmentTable, fields: dict) -> SegmentChurn:
    """The segment of one customer (their own fields) from `segment_table`."""
    band = int(tenure_band(int(fields["tenure"])))
    customers, churn_rate, basis = table[
        (str(fields["Contract"]), str(fields["InternetService"]), band)
    ]
    upper = TENURE_EDGES[band + 1] - 1 if band + 1 < len(TENURE_EDGES) else None
    return SegmentChurn(
        contract=str(fields["Contract"]),
        internet_service=str(fields["InternetService"]),
        tenure_from=TENURE_EDGES[band],
        tenure_to=upper,
        customers=customers,
        churn_rate=round(churn_rate, 6),
        basis=basis,  # type: ignore[arg-type]
    )
