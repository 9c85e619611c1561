"""The model card as the tools tell it: what the model is, how it was chosen, how well it did."""

from __future__ import annotations

from core.settings import Settings
from models.persistence import ModelCard
from tools.schemas import ModelMetrics, ModelSummary


def _metrics(m) -> ModelMetrics:
    return ModelMetrics(
        roc_auc=m.roc_auc,
        pr_auc=m.pr_auc,
        brier=m.brier,
        top_decile_lift=m.top_decile_lift,
        folds=m.folds,
        repeats=m.repeats,
    )


def model_summary(card: ModelCard, settings: Settings) -> ModelSummary:
    return ModelSummary(
        model=card.model,
        description=card.description,
        feature_set=card.feature_set,
        explanation_method=card.explanation_method,
        selection_rule=card.selection_rule,
        metrics=_metrics(card.metrics),
        feature_set_comparison={k: _metrics(v) for k, v in card.feature_set_comparison.items()},
        trained_on=card.dataset.describe(),
        trained_at=card.created_at.isoformat(timespec="seconds"),
        risk_thresholds={"high": settings.risk_high, "medium": settings.risk_medium},
    )
