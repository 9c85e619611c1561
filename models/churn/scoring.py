"""Score a whole customer base in vectorised chunks: probability, risk, value, the top driver and
the top driver an offer can change."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import pandas as pd
from scipy.special import expit

from core.settings import Settings
from data.schema import ACTIONABLE_FEATURES, ID_COLUMN
from models.churn.model import ChurnModel
from models.segments import risk_levels, value_tiers

CHUNK_ROWS = 100_000
SCORE_COLUMNS = (
    ID_COLUMN,
    "churn_probability",
    "risk_level",
    "value_tier",
    "top_driver",
    "top_driver_contribution",
    "top_actionable_driver",
)


def _score_chunk(model: ChurnModel, chunk: pd.DataFrame, settings: Settings) -> pd.DataFrame:
    explanation = model.explain(chunk)
    # The explanation's logit is the model's logit (exactly, for both methods), so one pass
    # over the encoder gives both the probability and the drivers.
    probability = expit(explanation.logit)
    contributions = explanation.contributions.to_numpy()
    top = contributions.argmax(axis=1)
    features = np.asarray(model.features, dtype=object)
    return pd.DataFrame(
        {
            ID_COLUMN: chunk[ID_COLUMN].to_numpy(),
            "churn_probability": np.round(probability, 6),
            "risk_level": risk_levels(probability, settings),
            "value_tier": value_tiers(chunk["MonthlyCharges"].to_numpy(), settings),
            "top_driver": features[top],
            "top_driver_contribution": np.round(contributions[np.arange(len(top)), top], 6),
            "top_actionable_driver": _top_actionable(contributions, features),
        }
    )


def _top_actionable(contributions: np.ndarray, features: np.ndarray) -> np.ndarray:
    """Per customer, the actionable feature pushing hardest towards churn; "" when none pushes."""
    actionable = np.isin(features, ACTIONABLE_FEATURES)
    if not actionable.any():
        return np.full(len(contributions), "", dtype=object)
    pushes = np.where(actionable, contributions, -np.inf)
    best = pushes.argmax(axis=1)
    strongest = pushes[np.arange(len(best)), best]
    return np.where(strongest > 0, features[best], "").astype(object)


def score_customers(
    model: ChurnModel,
    customers: pd.DataFrame,
    settings: Settings,
    progress: Callable[[int], None] = lambda _: None,
) -> pd.DataFrame:
    """One row per customer, in input order; `progress` gets the rows done after each chunk."""
    parts = []
    for start in range(0, len(customers), CHUNK_ROWS):
        chunk = customers.iloc[start : start + CHUNK_ROWS]
        parts.append(_score_chunk(model, chunk, settings))
        progress(len(chunk))
    if not parts:
        return pd.DataFrame(columns=list(SCORE_COLUMNS))
    return pd.concat(parts, ignore_index=True)
