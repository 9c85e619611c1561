"""Accuracy after the fact, and before it.

*Realised*: once outcomes are known for customers a run scored, the run's scores are judged
against them — ROC-AUC, Brier, and calibration (expected against observed churn rate, and the
mean gap over ten probability bins).

*Estimated* (confidence-based performance estimation, as nannyml's CBPE): without outcomes, a
calibrated model's own probabilities say how it should do. Each customer churns with probability
p, so at any cut-off the expected true positives are the sum of p above it and the expected
false positives the sum of 1 − p; the expected ROC curve, and its area, follow from the scores
sorted once. The expected Brier score of calibrated probabilities is the mean of p·(1 − p).
This holds only if the probabilities are calibrated: `calibrated` checks the model card's
cross-validated calibration (intercept near 0, slope near 1) first, and an estimate for a model
that fails it is reported as unreliable.
"""

from __future__ import annotations

import numpy as np
from pydantic import BaseModel
from sklearn.metrics import brier_score_loss, roc_auc_score

CALIBRATION_BINS = 10
#: How far the cross-validated calibration may be from perfect for estimates to be trusted.
INTERCEPT_TOLERANCE = 0.2
SLOPE_TOLERANCE = 0.2


class Estimated(BaseModel):
    rows: int
    roc_auc: float
    brier: float
    reliable: bool  # the model's probabilities passed the calibration check


class Realised(BaseModel):
    rows: int
    churned: int
    roc_auc: float | None  # None: the outcomes hold only one class
    brier: float
    observed_rate: float
    expected_rate: float
    calibration_gap: float  # mean |expected − observed| over the probability bins, by customers


def calibrated(intercept: float, slope: float) -> bool:
    return abs(intercept) <= INTERCEPT_TOLERANCE and abs(slope - 1) <= SLOPE_TOLERANCE


def expected_roc_auc(probability: np.ndarray) -> float:
    """The area under the ROC curve a calibrated model expects of its own scores."""
    p = np.sort(np.asarray(probability, dtype=float))[::-1]
    positives, negatives = p.sum(), (1 - p).sum()
    if positives <= 0 or negatives <= 0:
        return float("nan")
    tpr = np.concatenate([[0.0], np.cumsum(p) / positives])
    fpr = np.concatenate([[0.0], np.cumsum(1 - p) / negatives])
    return float(np.trapezoid(tpr, fpr))


def estimate(probability: np.ndarray, reliable: bool) -> Estimated:
    p = np.asarray(probability, dtype=float)
    return Estimated(
        rows=len(p),
        roc_auc=round(expected_roc_auc(p), 6),
        brier=round(float(np.mean(p * (1 - p))), 6),
        reliable=reliable,
    )


def calibration_gap(y: np.ndarray, p: np.ndarray, bins: int = CALIBRATION_BINS) -> float:
    """Mean |mean p − observed rate| over equal-width probability bins, weighted by customers."""
    edges = np.linspace(0, 1, bins + 1)[1:-1]
    which = np.searchsorted(edges, p, side="right")
    gap = 0.0
    for b in np.unique(which):
        inside = which == b
        gap += inside.sum() * abs(p[inside].mean() - y[inside].mean())
    return float(gap / len(p))


def realised(y: np.ndarray, probability: np.ndarray) -> Realised:
    y = np.asarray(y, dtype=float)
    p = np.asarray(probability, dtype=float)
    both = len(np.unique(y)) == 2
    return Realised(
        rows=len(y),
        churned=int(y.sum()),
        roc_auc=round(float(roc_auc_score(y, p)), 6) if both else None,
        brier=round(float(brier_score_loss(y, p)), 6),
        observed_rate=round(float(y.mean()), 6),
        expected_rate=round(float(p.mean()), 6),
        calibration_gap=round(calibration_gap(y, p), 6),
    )


class MonthAccuracy(BaseModel):
    month: str  # YYYY-MM
    run_id: int
    model_version: str
    estimated_roc_auc: float | None
    estimated_brier: float | None
    estimate_reliable: bool | None
    realised: Realised | None
    #: The realised ROC-AUC fell below the model card's cross-validated one by the margin.
    dropped: bool
