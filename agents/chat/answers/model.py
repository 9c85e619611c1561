"""Answers about the models: the churn model's card (metrics, feature sets, how it was chosen)
and the time-to-churn model's, from the `model_card` tool's result."""

from __future__ import annotations

from agents.present import phrases
from core import formats
from core.i18n import has, t
from core.types import Language
from data.schema import feature_label


def model_answer(m: dict, lang: Language) -> str:
    """The churn model's card, then the time-to-churn model's when there is one."""
    k = m["metrics"]
    sets = t("list.separator", lang).join(
        t(
            "chat.feature_set",
            lang,
            name=t(key, lang) if has(key := f"feature_set.{name}") else name,
            roc_auc=f"{v['roc_auc']:.3f}",
            brier=f"{v['brier']:.3f}",
        )
        for name, v in m["feature_set_comparison"].items()
    )
    return t(
        "chat.model",
        lang,
        model=phrases.model_name(m["model"], lang),
        description=m["description"],
        feature_set=m["feature_set"],
        repeats=k["repeats"],
        folds=k["folds"],
        roc_auc=f"{k['roc_auc']:.3f}",
        pr_auc=f"{k['pr_auc']:.3f}",
        brier=f"{k['brier']:.3f}",
        lift=f"{k['top_decile_lift']:.2f}",
        sets=sets,
        method=m["explanation_method"],
        rule=m["selection_rule"],
        trained_on=m["trained_on"],
    ) + _model_survival(m.get("time_to_churn"), lang)


def _model_survival(survival: dict | None, lang: Language) -> str:
    """The time-to-churn model's card, after the churn model's; nothing without it."""
    if not survival:
        return ""
    return (
        "\n\n"
        + t(
            "chat.model_survival",
            lang,
            champion=phrases.model_name(survival["champion"], lang, survival=True),
            c_index=f"{survival['c_index']:.3f}",
            sd=f"{survival['c_index_sd']:.3f}",
            auc3=f"{survival['auc_3m']:.3f}",
            auc6=f"{survival['auc_6m']:.3f}",
            auc12=f"{survival['auc_12m']:.3f}",
            brier=f"{survival['integrated_brier']:.4f}",
            km=f"{survival['km_integrated_brier']:.4f}",
            reduction=formats.percent(survival["brier_reduction"]),
            gap=f"{survival['calibration_max_gap'] * 100:.1f}",
            violations=t("list.separator", lang).join(
                feature_label(c, lang) for c in survival["ph_violations"]
            )
            or "—",
            handling=survival["ph_handling"],
        )
        + _tenure_calibration(survival.get("tenure_calibration") or [], lang)
    )


def _tenure_calibration(rows: list[dict], lang: Language) -> str:
    """The tenure band × contract furthest from what was observed, out of fold: where the
    time-to-churn figures are least to be trusted, said with its counts."""
    if not rows:
        return ""
    worst = max(rows, key=lambda r: abs(r["predicted"] - r["observed"]))
    return "\n" + t(
        "chat.model_tenure_calibration",
        lang,
        contract=phrases.value_in_words("Contract", worst["contract"], lang),
        tenure=worst["tenure"],
        predicted=formats.percent(worst["predicted"]),
        observed=formats.percent(worst["observed"]),
        departures=worst["departures"],
        customers=worst["customers"],
        bands=len(rows),
    )
