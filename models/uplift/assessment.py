"""Is anyone persuadable? An uplift ranking judged on customers it did not learn from.

Predictions are cross-fitted (each customer's uplift comes from a model fitted on the other
folds), then the customers are cut into fifths by predicted uplift and the effect is measured
in each (sorted group average treatment effects, Chernozhukov, Demirer, Duflo & Fernández-Val,
2018). A persuadable segment exists only when the most-affected fifth's effect exceeds the
least-affected fifth's by more than chance allows (two-sided z-test at 5 %). Otherwise the
offer works — or does not — about equally for everyone the model can tell apart, and a ranking
by uplift would be a ranking by noise: the product then says "no persuadable segment" and does
not offer one.
"""

from __future__ import annotations

from dataclasses import dataclass
from math import sqrt

import numpy as np
import pandas as pd
from sklearn.model_selection import StratifiedKFold

from models.uplift.learners import LEARNERS
from models.uplift.metrics import Effect, average_effect, qini_coefficient

#: The learner the product uses (see README: Hillstrom benchmark): the two-model learner is the
#: one whose most/least-affected test separates a real segment (Womens) from none (Mens).
DEFAULT_LEARNER = "two_model"
GROUPS = 5
Z_CRITICAL = 1.96
METHOD = (
    "cross-fitted uplift, effect in the most- vs the least-affected fifth (sorted group "
    "average treatment effects), two-sided z-test at 5 %"
)


def cross_fitted_uplift(
    features: pd.DataFrame,
    treated,
    outcome,
    learner: str = DEFAULT_LEARNER,
    folds: int = 5,
    seed: int = 0,
) -> np.ndarray:
    """Each customer's predicted uplift from a model that never saw them."""
    w, y = np.asarray(treated), np.asarray(outcome)
    features = features.reset_index(drop=True)
    uplift = np.zeros(len(features))
    splitter = StratifiedKFold(n_splits=folds, shuffle=True, random_state=seed)
    for train, test in splitter.split(features, w * 2 + y):
        model = LEARNERS[learner]().fit(features.iloc[train], w[train], y[train])
        uplift[test] = model.uplift(features.iloc[test])
    return uplift


@dataclass(frozen=True)
class Persuadability:
    """What a ranking by uplift is worth on customers it did not learn from."""

    qini: float
    most_affected: Effect
    least_affected: Effect
    z: float
    persuadable: bool
    groups: int = GROUPS
    method: str = METHOD


def _variance(effect: Effect) -> float:
    p1, p0 = effect.treated_rate, effect.control_rate
    return p1 * (1 - p1) / effect.treated + p0 * (1 - p0) / effect.control


def persuadability(uplift, treated, outcome, groups: int = GROUPS) -> Persuadability:
    """Whether the ranking finds customers the offer moves more than others (held-out
    predictions only: in-sample ones would find a segment in noise)."""
    w, y = np.asarray(treated), np.asarray(outcome)
    rank = pd.Series(np.asarray(uplift, dtype=float)).rank(method="first")
    group = pd.qcut(rank, groups, labels=False).to_numpy()
    top, bottom = group == groups - 1, group == 0
    for part in (top, bottom):
        if w[part].min() == w[part].max():
            raise ValueError("each fifth needs treated and control customers; too few outcomes")
    most, least = average_effect(y[top], w[top]), average_effect(y[bottom], w[bottom])
    z = (most.difference - least.difference) / sqrt(_variance(most) + _variance(least))
    return Persuadability(
        qini=qini_coefficient(y, uplift, w),
        most_affected=most,
        least_affected=least,
        z=z,
        persuadable=z > Z_CRITICAL,
        groups=groups,
    )
