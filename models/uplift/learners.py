"""Meta-learners: an uplift model made of ordinary scikit-learn classifiers.

- `two_model` (T-learner): one outcome model on the treated, one on the controls; uplift is the
  difference of their probabilities. Simple, and strong when the arms are large.
- `single_model` (S-learner): one model on everyone, with the treatment flag and its
  interaction with every feature, so the effect may differ by customer.
- `transformed_outcome` (Athey & Imbens): a regression on y·(w − p) / (p(1 − p)), whose
  expectation is the uplift for any treatment share p (a 10 % holdout as well as a 50/50 test).

Each takes a frame of features (numbers and text categories), the treatment flags (1 treated,
0 control) and the outcomes (1 the outcome happened), and predicts each customer's uplift.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Protocol

import numpy as np
import pandas as pd
from sklearn.compose import ColumnTransformer
from sklearn.linear_model import LogisticRegression, Ridge
from sklearn.pipeline import Pipeline
from sklearn.preprocessing import OneHotEncoder, StandardScaler


class UpliftModel(Protocol):
    def fit(
        self, features: pd.DataFrame, treated: np.ndarray, outcome: np.ndarray
    ) -> UpliftModel: ...

    def uplift(self, features: pd.DataFrame) -> np.ndarray: ...


def _encoder(features: pd.DataFrame) -> ColumnTransformer:
    numeric = [c for c in features if pd.api.types.is_numeric_dtype(features[c])]
    categorical = [c for c in features if c not in numeric]
    return ColumnTransformer(
        [
            ("numbers", StandardScaler(), numeric),
            ("categories", OneHotEncoder(handle_unknown="ignore", min_frequency=20), categorical),
        ],
        sparse_threshold=0,
    )


def _classifier(features: pd.DataFrame) -> Pipeline:
    return Pipeline(
        [("encode", _encoder(features)), ("model", LogisticRegression(C=1.0, max_iter=2000))]
    )


class TwoModel:
    def fit(self, features: pd.DataFrame, treated: np.ndarray, outcome: np.ndarray) -> TwoModel:
        arm = np.asarray(treated) == 1
        y = np.asarray(outcome)
        self.treated_ = _classifier(features).fit(features[arm], y[arm])
        self.control_ = _classifier(features).fit(features[~arm], y[~arm])
        return self

    def uplift(self, features: pd.DataFrame) -> np.ndarray:
        treated = self.treated_.predict_proba(features)[:, 1]
        return treated - self.control_.predict_proba(features)[:, 1]


class SingleModel:
    """One logistic model on [x, w, w·x]: the interactions let the effect vary by customer."""

    def fit(self, features: pd.DataFrame, treated: np.ndarray, outcome: np.ndarray) -> SingleModel:
        self.encoder_ = _encoder(features).fit(features)
        self.model_ = LogisticRegression(C=1.0, max_iter=2000)
        self.model_.fit(self._design(features, np.asarray(treated)), np.asarray(outcome))
        return self

    def _design(self, features: pd.DataFrame, treated: np.ndarray) -> np.ndarray:
        x = self.encoder_.transform(features)
        w = treated.reshape(-1, 1).astype(float)
        return np.hstack([x, w, x * w])

    def uplift(self, features: pd.DataFrame) -> np.ndarray:
        ones, zeros = np.ones(len(features)), np.zeros(len(features))
        treated = self.model_.predict_proba(self._design(features, ones))[:, 1]
        return treated - self.model_.predict_proba(self._design(features, zeros))[:, 1]


class TransformedOutcome:
    """Ridge regression on the transformed outcome y·(w − p) / (p(1 − p))."""

    def fit(
        self, features: pd.DataFrame, treated: np.ndarray, outcome: np.ndarray
    ) -> TransformedOutcome:
        w, y = np.asarray(treated, dtype=float), np.asarray(outcome, dtype=float)
        share = w.mean()
        target = y * (w - share) / (share * (1 - share))
        self.model_ = Pipeline([("encode", _encoder(features)), ("model", Ridge(alpha=10.0))])
        self.model_.fit(features, target)
        return self

    def uplift(self, features: pd.DataFrame) -> np.ndarray:
        return self.model_.predict(features)


#: The candidates, by name: each call makes a fresh, unfitted model.
LEARNERS: dict[str, Callable[[], UpliftModel]] = {
    "two_model": TwoModel,
    "single_model": SingleModel,
    "transformed_outcome": TransformedOutcome,
}
