"""Compare the candidates by repeated cross-validation, pick the champion, fit it on all rows."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from importlib.metadata import version

import numpy as np

from core.i18n import Phrase, WordedError, t
from core.languages import BASE_LANGUAGE
from core.settings import Settings
from data.loading import CustomerData
from data.schema import FEATURE_SETS, TARGET_COLUMN
from models.churn.candidates import CANDIDATES, build_candidate
from models.churn.evaluation import CVMetrics, cross_validate, select_champion
from models.churn.model import ChurnModel
from models.churn.persistence import ModelCard

# The card keeps English; the tools word it in the language asked for from the same phrases.
SELECTION_RULE = t("model_card.rule.simplest", BASE_LANGUAGE)
FIXED_BY_SETTINGS = t("model_card.rule.fixed", BASE_LANGUAGE)
_LIBRARIES = ("scikit-learn", "pandas", "numpy", "scipy", "joblib")

Progress = Callable[[str], None]


class MissingLabelsError(WordedError, ValueError):
    """Training or evaluation was asked of data without a Churn column."""


def labels(data: CustomerData) -> np.ndarray:
    if not data.has_labels:
        raise MissingLabelsError(Phrase("artifact.no_labels", {"data": data.origin.describe}))
    return data.customers[TARGET_COLUMN].eq("Yes").to_numpy(dtype=int)


def evaluate(data: CustomerData, name: str, feature_set: str, settings: Settings) -> CVMetrics:
    y = labels(data)
    X = data.customers[list(FEATURE_SETS[feature_set])].reset_index(drop=True)
    metrics, _ = cross_validate(
        build_candidate(name, feature_set),
        X,
        y,
        name=name,
        feature_set=feature_set,
        folds=settings.cv_folds,
        repeats=settings.cv_repeats,
        seed=settings.seed,
        n_jobs=settings.n_jobs,
    )
    return metrics


def train(
    data: CustomerData, settings: Settings, progress: Progress = lambda _: None
) -> tuple[ChurnModel, ModelCard]:
    """Cross-validate every candidate (or the chosen one), fit the champion on all rows."""

    def say(key: str, **values: object) -> str:
        return t(f"progress.{key}", settings.language, **values)

    def feature_set(name: str) -> str:
        return t(f"feature_set.{name}", settings.language)

    def named(model: str) -> str:
        return t(f"model_card.name.{model}", settings.language)

    y = labels(data)
    names = CANDIDATES if settings.model == "auto" else (settings.model,)
    results = []
    for name in names:
        progress(
            say("cross_validating", model=named(name), features=feature_set(settings.feature_set))
        )
        results.append(evaluate(data, name, settings.feature_set, settings))
    champion = select_champion(results)
    other = "telco" if settings.feature_set == "enriched" else "enriched"
    progress(say("side_by_side", model=named(champion.model), features=feature_set(other)))
    comparison = {
        settings.feature_set: champion,
        other: evaluate(data, champion.model, other, settings),
    }
    progress(say("fitting", model=named(champion.model), rows=f"{len(y):,}"))
    X = data.customers[list(FEATURE_SETS[settings.feature_set])].reset_index(drop=True)
    model = ChurnModel.fit(
        champion.model,
        settings.feature_set,
        build_candidate(champion.model, settings.feature_set),
        X,
        y,
    )
    card = ModelCard(
        model=champion.model,
        description=t(f"model_card.description.{champion.model}", BASE_LANGUAGE),
        feature_set=settings.feature_set,
        features=model.features,
        metrics=champion,
        candidates=results,
        feature_set_comparison=dict(sorted(comparison.items())),
        selection_rule=SELECTION_RULE if len(results) > 1 else FIXED_BY_SETTINGS,
        explanation_method=model.explanation_method,
        dataset=data.origin,
        thresholds={
            "risk_high": settings.risk_high,
            "risk_medium": settings.risk_medium,
            "value_high": settings.value_high,
            "value_mid": settings.value_mid,
        },
        library_versions={lib: version(lib) for lib in _LIBRARIES},
        created_at=datetime.now(UTC),
    )
    return model, card
