"""The high-risk cut-off as a decision: for each candidate cut-off, what contacting everyone at
or above it would bring, from out-of-fold predictions (each customer scored by a model that did
not learn from them, so the figures are what the model does on customers it has not seen).

Per cut-off c, over the labelled base: customers contacted (p ≥ c), of them true positives
(those who did leave) and false positives; churners missed; the campaign's cost (contacted ×
cost per contact); expected saves (true positives × the share of would-be leavers an offer
keeps — the newest campaign's measured effect when one exists, else an assumption the user
sets); their value (each saved customer's CLV, or monthly charges over the CLV horizon without
the time-to-churn model); and the net value, value − cost.
"""

from __future__ import annotations

import threading

import numpy as np
import pandas as pd
from pydantic import BaseModel

from data.schema import FEATURE_SETS
from models.churn.candidates import build_candidate
from models.churn.evaluation import cross_validate
from models.churn.training import labels
from models.segments import clv_estimate
from tools.service.retention import RetentionService

CUTOFFS = tuple(round(c, 2) for c in np.arange(0.30, 0.91, 0.05))


class ThresholdRow(BaseModel):
    cutoff: float
    contacted: int
    true_positives: int
    false_positives: int
    missed: int
    precision: float
    recall: float
    cost: float
    expected_saves: float
    value_saved: float
    net_value: float


class ThresholdSimulator:
    """Out-of-fold predictions of the live model's kind on the data in use, computed once."""

    def __init__(self, service: RetentionService) -> None:
        self.service = service
        self._oof: tuple[np.ndarray, np.ndarray, np.ndarray] | None = None
        self._lock = threading.Lock()

    def out_of_fold(self) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """(outcomes, out-of-fold probabilities, each customer's value); a `MissingLabelsError`
        when the data has no Churn column."""
        with self._lock:
            if self._oof is None:
                service, card = self.service, self.service.card
                y = labels(service.data)
                X = service.customers[list(FEATURE_SETS[card.feature_set])].reset_index(drop=True)
                _, oof = cross_validate(
                    build_candidate(card.model, card.feature_set),
                    X,
                    y,
                    name=card.model,
                    feature_set=card.feature_set,
                    folds=service.settings.cv_folds,
                    repeats=1,
                    seed=service.settings.seed,
                )
                self._oof = (y, oof[0], self._values())
            return self._oof

    def _values(self) -> np.ndarray:
        scored = self.service.scores().set_index("customerID")
        ids = self.service.customers.index
        if "clv" in scored and scored["clv"].notna().any():
            return scored["clv"].reindex(ids).fillna(0).to_numpy(dtype=float)
        charges = self.service.customers["MonthlyCharges"].to_numpy(dtype=float)
        return clv_estimate(charges, self.service.settings)

    def table(
        self, cost_per_contact: float, save_rate: float, cutoffs=CUTOFFS
    ) -> list[ThresholdRow]:
        y, p, value = self.out_of_fold()
        return [simulate(y, p, value, c, cost_per_contact, save_rate) for c in cutoffs]


def simulate(
    y: np.ndarray,
    p: np.ndarray,
    value: np.ndarray,
    cutoff: float,
    cost_per_contact: float,
    save_rate: float,
) -> ThresholdRow:
    contacted = p >= cutoff
    hits = contacted & (y == 1)
    tp, n = int(hits.sum()), int(contacted.sum())
    churners = int((y == 1).sum())
    cost = n * cost_per_contact
    saved_value = float(value[hits].sum() * save_rate)
    return ThresholdRow(
        cutoff=cutoff,
        contacted=n,
        true_positives=tp,
        false_positives=n - tp,
        missed=churners - tp,
        precision=tp / n if n else 0.0,
        recall=tp / churners if churners else 0.0,
        cost=round(cost, 2),
        expected_saves=round(tp * save_rate, 1),
        value_saved=round(saved_value, 2),
        net_value=round(saved_value - cost, 2),
    )


def best_cutoff(rows: list[ThresholdRow]) -> ThresholdRow:
    """The cut-off with the highest net value (the lower cut-off on a tie)."""
    return max(rows, key=lambda r: (r.net_value, -r.cutoff))


def as_frame(rows: list[ThresholdRow]) -> pd.DataFrame:
    return pd.DataFrame([r.model_dump() for r in rows])
