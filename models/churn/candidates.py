"""The candidate churn models, each one scikit-learn `Pipeline` from raw columns to probability.

Every column gets its own transformer named after it, so each encoded column belongs to
exactly one business feature. That is what makes a linear model's drivers exact: the
contribution of `Contract` is the sum over `Contract`'s encoded columns of coef × (x − ref).
"""

from __future__ import annotations

from typing import Literal

import numpy as np
from sklearn.compose import ColumnTransformer
from sklearn.ensemble import HistGradientBoostingClassifier, VotingClassifier
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import Pipeline, make_pipeline
from sklearn.preprocessing import (
    FunctionTransformer,
    OneHotEncoder,
    OrdinalEncoder,
    SplineTransformer,
    StandardScaler,
)

from data.schema import CATEGORICAL_VALUES, FEATURE_SETS

CandidateName = Literal["logistic_baseline", "logistic_splines", "gradient_boosting", "blend"]
#: Simplest first: ties in cross-validation go to the earlier, more interpretable model.
CANDIDATES: tuple[CandidateName, ...] = (
    "logistic_baseline",
    "logistic_splines",
    "gradient_boosting",
    "blend",
)
LINEAR_CANDIDATES = frozenset({"logistic_baseline", "logistic_splines"})
SPLINE_KNOTS = 5
SPLINE_C = 0.3
_LOG_SCALED = ("recent_login_count", "complain_count")


def _categories(column: str) -> list[list[str]]:
    return [list(CATEGORICAL_VALUES[column])]


def _one_hot(column: str) -> OneHotEncoder:
    # Fixed category lists: an encoder never depends on which values a fold happened to see.
    return OneHotEncoder(
        categories=_categories(column), handle_unknown="ignore", sparse_output=False
    )


def _log_spline() -> Pipeline:
    return make_pipeline(
        FunctionTransformer(np.log1p, feature_names_out="one-to-one"),
        SplineTransformer(n_knots=SPLINE_KNOTS, degree=3),
    )


def _baseline_encoder(features: tuple[str, ...]) -> ColumnTransformer:
    return ColumnTransformer(
        [(c, _one_hot(c) if c in CATEGORICAL_VALUES else StandardScaler(), [c]) for c in features],
        verbose_feature_names_out=True,
    )


def _spline_encoder(features: tuple[str, ...]) -> ColumnTransformer:
    steps = []
    for column in features:
        if column in CATEGORICAL_VALUES:
            encoder = _one_hot(column)
        elif column in ("tenure", "TotalCharges"):
            encoder = _log_spline()
        elif column in ("MonthlyCharges", "usage_drop_rate"):
            encoder = SplineTransformer(n_knots=SPLINE_KNOTS, degree=3)
        elif column in _LOG_SCALED:
            encoder = make_pipeline(
                FunctionTransformer(np.log1p, feature_names_out="one-to-one"), StandardScaler()
            )
        else:
            encoder = StandardScaler()
        steps.append((column, encoder, [column]))
    return ColumnTransformer(steps, verbose_feature_names_out=True)


def _boosting(features: tuple[str, ...]) -> Pipeline:
    categorical = [c for c in features if c in CATEGORICAL_VALUES]
    numeric = [c for c in features if c not in CATEGORICAL_VALUES]
    encoder = ColumnTransformer(
        [
            (
                "categories",
                OrdinalEncoder(
                    categories=[list(CATEGORICAL_VALUES[c]) for c in categorical],
                    handle_unknown="use_encoded_value",
                    unknown_value=np.nan,
                ),
                categorical,
            ),
            ("numbers", "passthrough", numeric),
        ]
    )
    model = HistGradientBoostingClassifier(
        learning_rate=0.05,
        max_iter=150,
        max_leaf_nodes=4,
        min_samples_leaf=80,
        l2_regularization=1.0,
        categorical_features=list(range(len(categorical))),
        random_state=0,
    )
    return Pipeline([("encode", encoder), ("classify", model)])


def build_candidate(name: CandidateName, feature_set: str) -> Pipeline:
    """An unfitted pipeline for one candidate on one feature set."""
    features = FEATURE_SETS[feature_set]
    if name == "logistic_baseline":
        return Pipeline(
            [
                ("encode", _baseline_encoder(features)),
                ("classify", LogisticRegression(max_iter=2000)),
            ]
        )
    if name == "logistic_splines":
        return Pipeline(
            [
                ("encode", _spline_encoder(features)),
                ("classify", LogisticRegression(C=SPLINE_C, max_iter=5000)),
            ]
        )
    if name == "gradient_boosting":
        return _boosting(features)
    if name == "blend":
        voting = VotingClassifier(
            [
                ("splines", build_candidate("logistic_splines", feature_set)),
                ("boosting", _boosting(features)),
            ],
            voting="soft",
        )
        return Pipeline([("classify", voting)])
    raise ValueError(f"unknown model {name!r}; choose one of {', '.join(CANDIDATES)}")
