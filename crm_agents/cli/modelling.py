"""`crm-agents prepare|train|evaluate`: the data validated and enriched, the churn model
cross-validated and saved with its card (`score` is `scoring.py`)."""

from __future__ import annotations

import json
from typing import Annotated

import pandas as pd
import typer

from core.i18n import Phrase, t, worded
from core.types import FeatureSetName, Language, ModelChoice
from crm_agents.cli.common import (
    DataOption,
    clear_errors,
    console,
    frame_table,
    load,
    out,
    say,
    settings_with,
    spinner,
)
from crm_agents.model_check import keep_drift_reference, stale_reason
from crm_agents.retraining import RetrainError
from data.spreadsheet import write_csv
from models.churn.candidates import CandidateName
from models.churn.evaluation import CVMetrics
from models.churn.persistence import ModelArtifactError, load_card, save_model
from models.churn.training import evaluate, train
from models.health.registry import REGISTRY_FILE
from tools.service.model_summary import selection_rule_words


def prepare(data: DataOption = None) -> None:
    """Validate the data, add behaviour signals, write state/processed/churn_features.csv."""
    with clear_errors():
        settings = settings_with()
        loaded = load(data, settings)
        target = settings.processed_dir / "churn_features.csv"
        frame = loaded.customers.assign(
            signals_simulated=",".join(loaded.origin.simulated_signals) or "none"
        )
        write_csv(frame, target)
        say(settings, "cli.prepared", count=f"{len(frame):,}", path=target)


def train_command(
    data: DataOption = None,
    features: Annotated[FeatureSetName | None, typer.Option(help="telco or enriched")] = None,
    model: Annotated[ModelChoice | None, typer.Option(help="auto or one candidate")] = None,
    if_missing: Annotated[
        bool, typer.Option(help="Do nothing when a model trained on this data is saved")
    ] = False,
) -> None:
    """Cross-validate the candidates, save the champion and its model card."""
    from agents.present.phrases import model_name  # the agents' words: imported when used

    with clear_errors():
        settings = settings_with(feature_set=features, model=model)
        if (settings.artifacts_dir / REGISTRY_FILE).exists():
            # Under champion/challenger the live model changes only by a person's approval.
            raise RetrainError(Phrase("retrain.use_retrain"))
        loaded = load(data, settings)
        if if_missing:
            try:
                card = load_card(settings.artifacts_dir)
            except ModelArtifactError:
                card = None
            reason = stale_reason(card, loaded)
            if reason is None and card is not None:  # a card always fits or has a reason
                when = f"{card.created_at:%Y-%m-%d}"
                say(settings, "cli.already_trained", model=card.model, date=when)
                return
            say(settings, "cli.training", reason=worded(reason, settings.language))
        with spinner() as bar:
            task = bar.add_task(t("cli.training_task", settings.language), total=None)
            fitted, card = train(loaded, settings, lambda s: bar.update(task, description=s))
        card = save_model(fitted, card, settings.artifacts_dir)
        keep_drift_reference(fitted, card, loaded, settings)
        frame = metrics_table(
            [*card.candidates, *card.feature_set_comparison.values()], settings.language
        )
        console.print(frame_table(frame.drop_duplicates(), t("cli.candidates", settings.language)))
        where = settings.artifacts_dir
        say(
            settings,
            "cli.champion",
            model=model_name(card.model, settings.language),
            rule=selection_rule_words(card.selection_rule, settings.language),
            path=where,
        )


def evaluate_command(
    data: DataOption = None,
    features: Annotated[FeatureSetName, typer.Option(help="telco or enriched")] = "telco",
    model: Annotated[
        CandidateName, typer.Option(help="Candidate to evaluate")
    ] = "logistic_splines",
    as_json: Annotated[bool, typer.Option("--json", help="Print one JSON object")] = False,
) -> None:
    """Repeated stratified K-fold metrics of one candidate, from out-of-fold predictions."""
    from agents.present.phrases import model_name  # the agents' words: imported when used

    with clear_errors():
        settings = settings_with()
        loaded = load(data, settings)
        lang = settings.language
        doing = t(
            "progress.cross_validating",
            lang,
            model=model_name(model, lang),
            features=t(f"feature_set.{features}", lang),
        )
        with console.status(doing):
            metrics = evaluate(loaded, model, features, settings)
        result = metrics.model_dump()
        result["data"] = loaded.origin.model_dump()
        if as_json:
            out.print_json(json.dumps(result))
        else:
            out.print(frame_table(metrics_table([metrics], settings.language)))


def metrics_table(results: list[CVMetrics], lang: Language) -> pd.DataFrame:
    """Cross-validated candidates side by side, headed and named in the reader's words."""
    from agents.present.phrases import model_name  # the agents' words: imported when used

    rows = [
        {
            "model": model_name(m.model, lang),
            "features": t(f"feature_set.{m.feature_set}", lang),
            "roc_auc": round(m.roc_auc, 4),
            "pr_auc": round(m.pr_auc, 4),
            "brier": round(m.brier, 4),
            "lift": round(m.top_decile_lift, 3),
            "calibration_slope": round(m.calibration_slope, 3),
        }
        for m in results
    ]
    frame = pd.DataFrame(rows)
    return frame.rename(columns={c: t(f"cli.metrics.{c}", lang) for c in frame.columns})
