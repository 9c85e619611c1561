"""Champion against challenger on held-out customers, by the one-standard-error rule.

Both models score the same held-out customers (never seen by the challenger's fit). The
difference of ROC-AUC is resampled with the customers (a paired bootstrap: each resample draws
customers with replacement and scores both models on the same draw), which gives its standard
error. The challenger wins only if its ROC-AUC is higher by more than that one standard error —
a difference the resampling cannot explain — so a new model that is merely as good does not
replace a champion the team knows. Brier scores are reported beside it (calibration). The
time-to-churn models are compared the same way by Harrell's concordance.
"""

from __future__ import annotations

import numpy as np
from pydantic import BaseModel
from sklearn.metrics import brier_score_loss, roc_auc_score

RESAMPLES = 200
SEED = 0


class Comparison(BaseModel):
    held_out_rows: int
    resamples: int
    roc_auc_champion: float
    roc_auc_challenger: float
    difference: float  # challenger − champion
    standard_error: float
    brier_champion: float
    brier_challenger: float

    @property
    def wins(self) -> bool:
        """The one-standard-error rule: better by more than the difference's standard error."""
        return self.difference > self.standard_error


def compare(
    y: np.ndarray,
    champion: np.ndarray,
    challenger: np.ndarray,
    resamples: int = RESAMPLES,
    seed: int = SEED,
) -> Comparison:
    """The two models' held-out probabilities for the same customers with outcomes `y`."""
    y, champion, challenger = (np.asarray(a, dtype=float) for a in (y, champion, challenger))
    if len(np.unique(y)) < 2:
        raise ValueError("the held-out customers need both churners and stayers to compare")
    rng = np.random.default_rng(seed)
    differences = []
    while len(differences) < resamples:
        drawn = rng.integers(0, len(y), len(y))
        if len(np.unique(y[drawn])) < 2:
            continue  # a draw with one class has no ROC-AUC
        differences.append(
            roc_auc_score(y[drawn], challenger[drawn]) - roc_auc_score(y[drawn], champion[drawn])
        )
    auc_champion = roc_auc_score(y, champion)
    auc_challenger = roc_auc_score(y, challenger)
    return Comparison(
        held_out_rows=len(y),
        resamples=resamples,
        roc_auc_champion=round(float(auc_champion), 6),
        roc_auc_challenger=round(float(auc_challenger), 6),
        difference=round(float(auc_challenger - auc_champion), 6),
        standard_error=round(float(np.std(differences, ddof=1)), 6),
        brier_champion=round(float(brier_score_loss(y, champion)), 6),
        brier_challenger=round(float(brier_score_loss(y, challenger)), 6),
    )


class ConcordanceComparison(BaseModel):
    """The time-to-churn models on held-out customers: Harrell's concordance of each model's
    expected months left with the observed tenures and departures, and the one-SE rule."""

    held_out_rows: int
    resamples: int
    c_index_champion: float
    c_index_challenger: float
    difference: float
    standard_error: float

    @property
    def wins(self) -> bool:
        return self.difference > self.standard_error


def compare_concordance(
    durations: np.ndarray,
    events: np.ndarray,
    champion_months: np.ndarray,
    challenger_months: np.ndarray,
    resamples: int = RESAMPLES,
    seed: int = SEED,
) -> ConcordanceComparison:
    """`*_months`: each model's expected months left (longer: later departure) for the same
    held-out customers with their `durations` and `events`."""
    from lifelines.utils import concordance_index  # a comparison's, not a score's: when used

    arrays = (durations, events, champion_months, challenger_months)
    durations, events, champion_months, challenger_months = (
        np.asarray(a, dtype=float) for a in arrays
    )

    def concordance(drawn: np.ndarray, months: np.ndarray) -> float:
        return concordance_index(durations[drawn], months[drawn], events[drawn])

    every = np.arange(len(durations))
    rng = np.random.default_rng(seed)
    differences = []
    while len(differences) < resamples:
        drawn = rng.integers(0, len(durations), len(durations))
        if events[drawn].sum() == 0:
            continue  # no departure: nothing to order
        differences.append(
            concordance(drawn, challenger_months) - concordance(drawn, champion_months)
        )
    before, after = concordance(every, champion_months), concordance(every, challenger_months)
    return ConcordanceComparison(
        held_out_rows=len(durations),
        resamples=resamples,
        c_index_champion=round(float(before), 6),
        c_index_challenger=round(float(after), 6),
        difference=round(float(after - before), 6),
        standard_error=round(float(np.std(differences, ddof=1)), 6),
    )
