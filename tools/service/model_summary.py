"""The model card as the tools tell it: what the model is, how it was chosen, how well it did."""

from __future__ import annotations

import re

from core.i18n import has, t
from core.languages import BASE_LANGUAGE
from core.settings import Settings
from core.types import Language
from models.churn.model import SHAPLEY_PERMUTATIONS
from models.churn.persistence import ModelCard
from models.churn.training import FIXED_BY_SETTINGS, SELECTION_RULE
from models.survival.card import SurvivalCard
from tools.schemas import ModelMetrics, ModelSummary, SurvivalSummary, TenureCalibration

#: Candidates that answer a proportional-hazards violation: AFT models assume none, and the
#: contract-stratified Cox gives each contract its own baseline hazard.
PH_ALTERNATIVES = ("weibull_aft", "loglogistic_aft", "cox_interactions_by_contract")
#: 12-month churn within this of the observed, in every decile, counts as calibrated.
CALIBRATION_TOLERANCE = 0.03


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


def selection_rule_words(rule: str, language: Language) -> str:
    """How the champion was chosen, in words of `language` (a rule of a newer card as it is)."""
    known = {SELECTION_RULE: "model_card.rule.simplest", FIXED_BY_SETTINGS: "model_card.rule.fixed"}
    return t(known[rule], language) if rule in known else rule


def survival_summary(card: SurvivalCard, language: Language = BASE_LANGUAGE) -> SurvivalSummary:
    """The time-to-churn card in words of `language`, every figure from its evaluation."""
    e = card.evaluation
    metric = e.candidates[e.champion]
    gaps = [abs(d["predicted"] - d["observed"]) for d in e.calibration if d["customers"] >= 100]
    alternatives = [n for n in e.candidates if n in PH_ALTERNATIVES]
    gap = max(gaps, default=0.0)

    def named(model: str) -> str:  # a candidate in words, as the model card names it
        key = f"model_card.survival_name.{model}"
        return t(key, language) if has(key, language) else model

    handling = t("model_card.survival.ph_none", language)
    if e.ph_violations:
        handling = t(
            "model_card.survival.ph_handled",
            language,
            alternatives=", ".join(
                f"{named(n)} (C {e.candidates[n]['c_index'].mean:.3f})" for n in alternatives
            ),
            champion=named(e.champion),
            c_index=f"{e.c_index:.3f}",
        ) + t(
            "model_card.survival.ph_calibrated"
            if gap <= CALIBRATION_TOLERANCE
            else "model_card.survival.ph_miscalibrated",
            language,
            gap=f"{gap * 100:.1f}",
        )
    return SurvivalSummary(
        champion=e.champion,
        c_index=round(e.c_index, 4),
        c_index_sd=round(metric["c_index"].sd, 4),
        auc_3m=round(metric["auc_3m"].mean, 4),
        auc_6m=round(metric["auc_6m"].mean, 4),
        auc_12m=round(metric["auc_12m"].mean, 4),
        integrated_brier=round(e.integrated_brier, 4),
        km_integrated_brier=round(e.km_integrated_brier, 4),
        brier_reduction=round(1 - e.integrated_brier / e.km_integrated_brier, 4),
        calibration_max_gap=round(gap, 4),
        tenure_calibration=[TenureCalibration(**row) for row in e.tenure_calibration],
        candidates={
            name: {k: round(v.mean, 4) for k, v in metrics.items()}
            for name, metrics in e.candidates.items()
        },
        ph_violations=e.ph_violations,
        ph_handling=handling,
        folds=e.folds,
        repeats=e.repeats,
        trained_on=card.dataset.describe(language),
    )


def model_summary(
    card: ModelCard,
    settings: Settings,
    language: Language = BASE_LANGUAGE,
    survival: SurvivalCard | None = None,
) -> ModelSummary:
    """The card in words of `language`: the card keeps the English it was trained with; the
    words of a known model, method and rule come from the phrase catalogue."""
    description = f"model_card.description.{card.model}"
    feature_set = f"feature_set.{card.feature_set}"
    return ModelSummary(
        model=card.model,
        description=t(description, language) if has(description) else card.description,
        feature_set=t(feature_set, language) if has(feature_set) else card.feature_set,
        explanation_method=_explanation(card.explanation_method, language),
        selection_rule=selection_rule_words(card.selection_rule, language),
        metrics=_metrics(card.metrics),
        feature_set_comparison={k: _metrics(v) for k, v in card.feature_set_comparison.items()},
        trained_on=card.dataset.describe(language),
        trained_at=card.created_at.isoformat(timespec="seconds"),
        risk_thresholds={"high": settings.risk_high, "medium": settings.risk_medium},
        time_to_churn=survival_summary(survival, language) if survival else None,
    )
