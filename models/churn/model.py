"""A fitted churn model with what it needs to explain itself.

Drivers are contributions to the log-odds, per original feature, against a reference:

* Linear champion (exact): contribution_f = Σ_{j ∈ columns of f} coef_j · (x_j − ref_j), with
  ref the mean encoded training row, so base_logit + Σ_f contribution_f = the model's logit.
* Non-linear champion (sampled Shapley values): the customer's features are switched one at a
  time from a reference customer (median numbers, most common categories) in random orders;
  each feature is credited with the change of log-odds its switch causes, averaged over
  `SHAPLEY_PERMUTATIONS` orders. Every order telescopes, so the contributions add up exactly to
  logit(customer) − logit(reference), whatever the number of orders; more orders only reduce
  the order dependence.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd
from sklearn.pipeline import Pipeline

from core.i18n import t
from core.languages import BASE_LANGUAGE
from data.schema import CATEGORICAL_VALUES, FEATURE_SETS
from models.churn.candidates import LINEAR_CANDIDATES

SHAPLEY_PERMUTATIONS = 16
_EPS = 1e-12


@dataclass(frozen=True)
class Explanation:
    """Per-customer log-odds contributions (rows: customers, columns: features)."""

    base_logit: np.ndarray
    contributions: pd.DataFrame
    method: str

    @property
    def logit(self) -> np.ndarray:
        return self.base_logit + self.contributions.to_numpy().sum(axis=1)


def _logit(p: np.ndarray) -> np.ndarray:
    p = np.clip(p, _EPS, 1 - _EPS)
    return np.log(p) - np.log1p(-p)


def reference_customer(X: pd.DataFrame) -> pd.DataFrame:
    """A typical customer: the most common category and the median number of each feature."""
    row = {
        c: (X[c].mode().iloc[0] if c in CATEGORICAL_VALUES else X[c].median()) for c in X.columns
    }
    return pd.DataFrame([row], columns=X.columns).astype(X.dtypes.to_dict())


@dataclass
class ChurnModel:
    name: str
    feature_set: str
    pipeline: Pipeline
    reference: pd.DataFrame
    encoded_reference: np.ndarray | None = None
    _groups: np.ndarray | None = field(default=None, repr=False)

    @classmethod
    def fit(cls, name: str, feature_set: str, pipeline: Pipeline, X: pd.DataFrame, y) -> ChurnModel:
        X = X[list(FEATURE_SETS[feature_set])]
        pipeline.fit(X, y)
        encoded_reference = None
        if name in LINEAR_CANDIDATES:
            encoded_reference = np.asarray(pipeline["encode"].transform(X)).mean(axis=0)
        return cls(name, feature_set, pipeline, reference_customer(X), encoded_reference)

    @property
    def features(self) -> list[str]:
        return list(FEATURE_SETS[self.feature_set])

    @property
    def is_linear(self) -> bool:
        return self.encoded_reference is not None

    @property
    def explanation_method(self) -> str:
        if self.is_linear:
            return t("model_card.method.linear", BASE_LANGUAGE)
        return t("model_card.method.shapley", BASE_LANGUAGE, orders=SHAPLEY_PERMUTATIONS)

    def predict_proba(self, customers: pd.DataFrame) -> np.ndarray:
        return self.pipeline.predict_proba(customers[self.features])[:, 1]

    def logit(self, customers: pd.DataFrame) -> np.ndarray:
        if self.is_linear:
            return self.pipeline.decision_function(customers[self.features])
        return _logit(self.predict_proba(customers))

    def explain(self, customers: pd.DataFrame) -> Explanation:
        if self.is_linear:
            return self._explain_linear(customers[self.features])
        return self._explain_shapley(customers[self.features])

    def _feature_groups(self) -> np.ndarray:
        """A 0/1 matrix mapping each encoded column to the feature it was made from."""
        if self._groups is None:
            names = self.pipeline["encode"].get_feature_names_out()
            owners = [n.split("__", 1)[0] for n in names]
            self._groups = np.array(
                [[owner == f for f in self.features] for owner in owners], dtype=float
            )
        return self._groups

    def _explain_linear(self, X: pd.DataFrame) -> Explanation:
        classifier = self.pipeline["classify"]
        coef = classifier.coef_[0]
        encoded = np.asarray(self.pipeline["encode"].transform(X))
        per_column = (encoded - self.encoded_reference) * coef
        contributions = per_column @ self._feature_groups()
        base = float(classifier.intercept_[0] + coef @ self.encoded_reference)
        return Explanation(
            base_logit=np.full(len(X), base),
            contributions=pd.DataFrame(contributions, index=X.index, columns=self.features),
            method=self.explanation_method,
        )

    def _explain_shapley(self, X: pd.DataFrame, seed: int = 0) -> Explanation:
        n, features = len(X), self.features
        rng = np.random.default_rng(seed)
        base = float(self.logit(self.reference)[0])
        totals = np.zeros((n, len(features)))
        for _ in range(SHAPLEY_PERMUTATIONS):
            order = rng.permutation(len(features))
            # One batch per order: step k holds the first k features of the order switched on.
            current = pd.concat([self.reference] * n, ignore_index=True)
            steps = []
            for k in order:
                current[features[k]] = X[features[k]].to_numpy()
                steps.append(current.copy())
            values = self.logit(pd.concat(steps, ignore_index=True)).reshape(len(features), n)
            previous = np.full(n, base)
            for step, k in enumerate(order):
                totals[:, k] += values[step] - previous
                previous = values[step]
        return Explanation(
            base_logit=np.full(n, base),
            contributions=pd.DataFrame(
                totals / SHAPLEY_PERMUTATIONS, index=X.index, columns=features
            ),
            method=self.explanation_method,
        )
