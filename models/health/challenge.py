"""Champion against challenger on held-out customers, by the one-standard-error rule.

Both models score the same held-out customers (never seen by the challenger's fit). The
difference of ROC-AUC is resampled with the customers (a paired bootstrap: each resample draws
customers with replacement and scores both models on the same draw), which gives its standard
error. The challenger wins only if its ROC-AUC is higher by more than that one standard error —
a difference the resampling cannot explain — so a new model that is merely as good does not
replace a champion the team knows. Brier scores are reported beside it (calibration).
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
