"""The model card as the tools tell it: what the model is, how it was chosen, how well it did."""

from __future__ import annotations

import re

from core.i18n import has, t
from core.settings import Settings
from core.types import Language
from models.churn_model import SHAPLEY_PERMUTATIONS
from models.persistence import ModelCard
from models.training import FIXED_BY_SETTINGS, SELECTION_RULE
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


def _explanation(method: str, language: Language) -> str:
    if method.startswith("exact linear"):
        return t("model_card.method.linear", language)
    found = re.search(r"over (\d+) feature orders", method)
    orders = int(found.group(1)) if found else SHAPLEY_PERMUTATIONS
    return t("model_card.method.shapley", language, orders=orders)


def _rule(rule: str, language: Language) -> str:
    known = {SELECTION_RULE: "model_card.rule.simplest", FIXED_BY_SETTINGS: "model_card.rule.fixed"}
    return t(known[rule], language) if rule in known else rule


def model_summary(card: ModelCard, settings: Settings, language: Language = "en") -> ModelSummary:
    """The card in words of `language`: the card keeps the English it was trained with; the
    words of a known model, method and rule come from the phrase catalogue."""
    description = f"model_card.description.{card.model}"
    feature_set = f"feature_set.{card.feature_set}"
    return ModelSummary(
        model=card.model,
        description=t(description, language) if has(description) else card.description,
        feature_set=t(feature_set, language) if has(feature_set) else card.feature_set,
        explanation_method=_explanation(card.explanation_method, language),
        selection_rule=_rule(card.selection_rule, language),
        metrics=_metrics(card.metrics),
        feature_set_comparison={k: _metrics(v) for k, v in card.feature_set_comparison.items()},
        trained_on=card.dataset.describe(language),
        trained_at=card.created_at.isoformat(timespec="seconds"),
        risk_thresholds={"high": settings.risk_high, "medium": settings.risk_medium},
    )
