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


def segment_table(customers: pd.DataFrame, predicted: pd.Series | None) -> pd.DataFrame:
    """Customers and churn rate per contract × internet service × tenure band.

    `predicted` (churn probability by customer ID) is used only when the data has no labels."""
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
    return table.assign(basis=basis)


def similar_customers(table: pd.DataFrame, fields: dict) -> SegmentChurn:
    """The segment of one customer (their own fields) from `segment_table`."""
    band = int(tenure_band(int(fields["tenure"])))
    row = table.loc[(fields["Contract"], fields["InternetService"], band)]
    upper = TENURE_EDGES[band + 1] - 1 if band + 1 < len(TENURE_EDGES) else None
    return SegmentChurn(
        contract=str(fields["Contract"]),
        internet_service=str(fields["InternetService"]),
        tenure_from=TENURE_EDGES[band],
        tenure_to=upper,
        customers=int(row["customers"]),
        churn_rate=round(float(row["churn_rate"]), 4),
        basis=row["basis"],
    )
