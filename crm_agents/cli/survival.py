"""`crm-agents evaluate-survival`: every time-to-churn candidate's cross-validated metrics, the
champion, its calibration and the covariates that break proportional hazards."""

from __future__ import annotations

import json
from typing import Annotated

import pandas as pd
import typer

from agents.present.phrases import model_name, value_in_words
from core.i18n import t
from core.settings import Settings
from crm_agents.cli.common import (
    DataOption,
    clear_errors,
    console,
    frame_table,
    load,
    out,
    settings_with,
)
from data.loading import CustomerData
from data.schema import feature_label
from models.survival.card import SurvivalStaleError, fit_champion, load_survival, save_survival
from models.survival.evaluation import SurvivalEvaluation, evaluate_survival

_COLUMNS = ("c_index", "auc_3m", "auc_6m", "auc_12m", "integrated_brier")


def _evaluated(loaded: CustomerData, settings: Settings) -> SurvivalEvaluation:
    """The candidates cross-validated, with the fold in progress on the spinner."""
    words = t("cli.survival.evaluating", settings.language)
    with console.status(words) as status:
        return evaluate_survival(
            loaded.customers,
            settings,
            tuple(loaded.origin.simulated_signals),
            progress=lambda step: status.update(f"{words} {step}"),
        )


def evaluate_survival_command(
    data: DataOption = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print one JSON object")] = False,
) -> None:
    """Cross-validate the time-to-churn candidates (Kaplan–Meier, Cox, AFT) and pick one."""
    with clear_errors():
        settings = settings_with()
        loaded = load(data, settings)
        lang = settings.language
        result = _evaluated(loaded, settings)
        if as_json:
            out.print_json(json.dumps(result.model_dump()))
            return
        print_evaluation(result, lang)


def print_evaluation(result: SurvivalEvaluation, lang) -> None:
    rows = [
        {
            t("cli.survival.candidate", lang): model_name(name, lang, survival=True),
            **{t(f"cli.survival.{m}", lang): f"{v[m].mean:.3f} ± {v[m].sd:.3f}" for m in _COLUMNS},
        }
        for name, v in result.candidates.items()
    ]
    out.print(
        frame_table(
            pd.DataFrame(rows),
            t("cli.survival.title", lang, folds=result.folds, repeats=result.repeats),
        )
    )
    reduction = 1 - result.integrated_brier / result.km_integrated_brier
    out.print(
        t(
            "cli.survival.champion",
            lang,
            champion=model_name(result.champion, lang, survival=True),
            c_index=f"{result.c_index:.3f}",
            brier=f"{result.integrated_brier:.4f}",
            km=f"{result.km_integrated_brier:.4f}",
            reduction=f"{reduction:.0%}",
        ),
        highlight=False,
    )
    calibration = pd.DataFrame(result.calibration)
    for rate in ("predicted", "observed"):
        calibration[rate] = [f"{v:.1%}" for v in calibration[rate]]
    calibration = calibration.rename(
        columns={
            c: t(f"cli.survival.calibration_{c}", lang)
            for c in ("decile", "customers", "predicted", "observed")
        }
    )
    out.print(frame_table(calibration, t("cli.survival.calibration", lang)))
    if result.tenure_calibration:
        out.print(t("cli.survival.tenure_calibration", lang), highlight=False)
        by_tenure = pd.DataFrame(result.tenure_calibration)
        for rate in ("observed", "predicted", "unpooled"):
            by_tenure[rate] = [f"{v:.2%}" for v in by_tenure[rate]]
        for contract, rows in by_tenure.groupby("contract", sort=False):
            rows = rows.drop(columns="contract")
            rows = rows.rename(columns={c: t(f"cli.survival.tenure_{c}", lang) for c in rows})
            out.print(frame_table(rows, value_in_words("Contract", contract, lang)))
    out.print(
        t(
            "cli.survival.ph",
            lang,
            covariates=t("list.separator", lang).join(
                feature_label(c, lang) for c in result.ph_violations
            )
            or "—",
        ),
        highlight=False,
    )


def train_survival_command(
    data: DataOption = None,
    if_missing: Annotated[
        bool, typer.Option(help="Do nothing when a model fitted on this data is saved")
    ] = False,
) -> None:
    """Cross-validate the time-to-churn candidates, fit the champion on every customer, save it."""
    with clear_errors():
        settings = settings_with()
        loaded = load(data, settings)
        lang = settings.language
        if if_missing:
            try:
                saved = load_survival(settings.artifacts_dir, loaded.origin)
            except SurvivalStaleError:
                saved = None
            if saved is not None:
                out.print(
                    t("cli.survival.already", lang, model=saved.evaluation.champion),
                    highlight=False,
                )
                return
            if not loaded.has_labels:  # nothing to learn from; the product runs without it
                out.print(t("cli.survival.no_labels", lang), highlight=False)
                return
        result = _evaluated(loaded, settings)
        with console.status(t("cli.survival.fitting", lang)):
            card = fit_champion(loaded.customers, result, loaded.origin)
            path = save_survival(card, settings.artifacts_dir)
        print_evaluation(result, lang)
        out.print(t("cli.survival.saved", lang, path=path), highlight=False)
