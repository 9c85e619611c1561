"""`crm-agents prepare|train|evaluate|score`: the data validated and enriched, the churn model
cross-validated and saved with its card, the base scored to a file."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import numpy as np
import pandas as pd
import typer
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn
from rich.table import Table

from core.formats import currency, percent
from core.i18n import Phrase, t, worded
from core.types import FeatureSetName, Language, ModelChoice
from crm_agents.cli.common import (
    DataOption,
    clear_errors,
    console,
    frame_table,
    load,
    out,
    output_file,
    say,
    service_for,
    settings_with,
    spinner,
)
from crm_agents.model_check import keep_drift_reference, stale_reason
from crm_agents.retraining import RetrainError
from data.spreadsheet import write_csv
from data.table_out import table_writer
from models.churn.candidates import CandidateName
from models.churn.evaluation import CVMetrics
from models.churn.persistence import ModelArtifactError, load_card, save_model
from models.churn.training import evaluate, train
from models.health.registry import REGISTRY_FILE
from models.segments import RISK_LEVELS, UNSCORED
from tools.service.base_scores import scored_file_parts
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


def score(
    out_path: Annotated[
        Path, typer.Option("--out", help="File to write: CSV, or Parquet when it ends in .parquet")
    ],
    data: DataOption = None,
    as_json: Annotated[
        bool, typer.Option("--json", help="Print the summary as one JSON object")
    ] = False,
) -> None:
    """Score the whole base: probability, risk level, value tier and top driver per customer."""
    with clear_errors():
        settings = settings_with()
        output_file(out_path, data, settings)
        loaded = load(data, settings)
        service = service_for(loaded, settings)
        columns = [
            BarColumn(),
            MofNCompleteColumn(),
            TextColumn(t("cli.scoring", settings.language)),
        ]
        if service.survival is None:
            say(settings, "cli.survival.none")
        # Written part by part, so the base is in memory once (loaded), not three times
        # (loaded, scored, scored with its lifetime columns).
        probabilities, levels = [], []
        with Progress(*columns, console=console) as bar, table_writer(out_path) as append:
            task = bar.add_task("score", total=len(loaded.customers))
            for part in scored_file_parts(
                loaded.customers,
                service.model,
                service.survival,
                settings,
                lambda n: bar.advance(task, n),
            ):
                append(part)
                probabilities.append(part["churn_probability"].to_numpy())
                levels.append(part["risk_level"].to_numpy())
        summary = pd.DataFrame(
            {
                "churn_probability": np.concatenate(probabilities),
                "risk_level": np.concatenate(levels),
            }
        )
        say(settings, "cli.scored", count=f"{len(summary):,}", path=out_path)
        charges = loaded.customers["MonthlyCharges"].to_numpy()
        if as_json:
            out.print_json(json.dumps(score_figures(summary, charges, out_path)))
        else:
            console.print(score_summary(summary, charges, settings.language))


def score_figures(scored: pd.DataFrame, monthly_charges: np.ndarray, path: Path) -> dict:
    """The score summary for machines: customers and monthly revenue at risk per risk level."""
    at_risk = scored["churn_probability"].to_numpy() * monthly_charges
    levels = scored["risk_level"].to_numpy()
    return {
        "path": str(path),
        "customers": len(scored),
        "monthly_revenue_at_risk": round(float(np.nansum(at_risk)), 2),
        "by_risk_level": {
            level: {
                "customers": int((levels == level).sum()),
                "monthly_revenue_at_risk": round(float(np.nansum(at_risk[levels == level])), 2),
            }
            for level in (*RISK_LEVELS, UNSCORED)
        },
    }


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


def score_summary(scored: pd.DataFrame, monthly_charges: np.ndarray, lang: Language) -> Table:
    """Customers, share and monthly revenue at risk (Σ probability × MonthlyCharges) per risk
    level, with the total."""
    at_risk = scored["churn_probability"].to_numpy() * monthly_charges
    table = Table(t("column.risk_level", lang))
    for header in ("column.customers", "chat.measure.share", "column.monthly_revenue_at_risk"):
        table.add_column(t(header, lang), justify="right")
    levels = scored["risk_level"].to_numpy()
    unscored = (UNSCORED,) if (levels == UNSCORED).any() else ()
    for level in (*RISK_LEVELS, *unscored, None):
        chosen = levels == level if level else np.ones(len(levels), dtype=bool)
        table.add_row(
            t(f"risk_level.{level}", lang) if level else t("cli.total", lang),
            f"{chosen.sum():,}",
            percent(chosen.mean() if len(levels) else 0.0),
            "—" if level == UNSCORED else currency(float(np.nansum(at_risk[chosen])), lang),
            end_section=level == (*RISK_LEVELS, *unscored)[-1],
        )
    return table
