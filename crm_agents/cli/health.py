"""`crm-agents health`: model health from the results database — a run's drift against the
model's training data, measure by measure, and drift over the runs kept; with `--customer`, that
customer's risk over runs and why it changed."""

from __future__ import annotations

import json
from dataclasses import replace
from typing import Annotated

import pandas as pd
import typer

from agents.present.health_words import (
    accuracy_table,
    drift_line,
    drift_table,
    history_lines,
    measure_label,
    versions_table,
)
from agents.present.phrases import model_name
from core.i18n import Phrase, t, worded
from crm_agents.cli.common import (
    DataOption,
    DbOption,
    LanguageOption,
    clear_errors,
    frame_table,
    load,
    out,
    results_url,
    say,
    say_text,
    service_for,
    settings_with,
)
from crm_agents.store.accuracy import accuracy_by_month
from crm_agents.store.database import open_store
from crm_agents.store.health import (
    RunNotFoundError,
    StoredRiskHistory,
    drift_history,
    drift_of,
)
from models.churn.persistence import CARD_FILE, ModelArtifactError, load_card
from models.health.drift import kind_of
from models.health.registry import Registry

HISTORY = 30


def _note(row: dict) -> dict | None:
    return json.loads(row["drift_note"]) if row.get("drift_note") else None


def health(
    run: Annotated[
        int | None, typer.Option(min=1, help="The run to show (default: the newest)")
    ] = None,
    customer: Annotated[
        str | None,
        typer.Option(help="Show this customer's risk over runs and why it changed instead"),
    ] = None,
    data: DataOption = None,
    db: DbOption = None,
    lang: LanguageOption = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON instead of tables")] = False,
) -> None:
    """Model health: a run's drift, drift over runs, accuracy by month, the model versions."""
    with clear_errors(lang):
        settings = settings_with(language=lang)
        language = settings.language
        engine = open_store(results_url(db, settings))
        if customer is not None:
            _customer_history(customer, data, engine, settings, as_json)
            return
        history = drift_history(engine, HISTORY)
        if not history:
            raise RunNotFoundError(Phrase("health.no_runs"))
        chosen = history[0] if run is None else next(iter(drift_history(engine, 1, run)), None)
        if chosen is None:
            kept = [r["id"] for r in history]
            raise RunNotFoundError(Phrase("health.unknown_run", {"run": run, "runs": kept}))
        report = drift_of(engine, chosen["id"])
        if as_json:
            out.print_json(
                json.dumps(
                    {
                        "run": chosen["id"],
                        "drift": report.model_dump() if report else None,
                        "shifted": report.shifted if report else None,
                        "note": _note(chosen),
                        "history": [
                            {k: v for k, v in row.items() if k != "drift_note"}
                            | {"note": _note(row)}
                            for row in history
                        ],
                    },
                    default=str,
                )
            )
            return
        say_text(
            settings,
            drift_line(
                chosen["drift_shifted"], chosen["shifted_measures"], _note(chosen), language
            ),
        )
        if report is not None:
            title = t(
                "health.title",
                language,
                run=chosen["id"],
                rows=f"{report.rows:,}",
                reference_rows=f"{report.reference_rows:,}",
            )
            view = drift_table(report, language)
            out.print(frame_table(pd.DataFrame(view.rows, columns=view.headers), title))
        out.print(
            frame_table(_history_frame(history, language), t("health.history_title", language))
        )
        _accuracy_and_versions(engine, settings)


def _accuracy_and_versions(engine, settings) -> None:
    """Accuracy by month against the live model's card, and the model versions kept."""
    language = settings.language
    try:
        card = load_card(settings.artifacts_dir)
    except ModelArtifactError:
        return  # no live model: nothing to compare with
    months = accuracy_by_month(engine, card.metrics.roc_auc, settings.accuracy_drop)
    if months:
        view = accuracy_table(months, card.metrics.roc_auc, language)
        title = t("health.accuracy.title", language)
        out.print(frame_table(pd.DataFrame(view.rows, columns=view.headers), title))
        dropped = [m.month for m in months if m.dropped]
        if dropped:
            say(
                settings,
                "health.accuracy.dropped_line",
                months=worded(dropped, language),
                card=f"{card.metrics.roc_auc:.3f}",
                margin=f"{settings.accuracy_drop:.2f}",
            )
    versions = Registry(settings.artifacts_dir, last=CARD_FILE).versions()
    if versions:
        view = versions_table(versions, language)
        title = t("retrain.title", language)
        out.print(frame_table(pd.DataFrame(view.rows, columns=view.headers), title))
    else:
        say(settings, "health.live_only", model=model_name(card.model, language))


def _customer_history(customer: str, data, engine, settings, as_json: bool) -> None:
    """The customer's risk run by run, read from this command's database (`--db`)."""
    service = replace(
        service_for(load(data, settings), settings),
        history=StoredRiskHistory(lambda: engine),
    )
    history = service.risk_history(customer)
    if as_json:
        out.print_json(history.model_dump_json())
        return
    for line in history_lines(history, settings.language):
        say_text(settings, line)


def _history_frame(history: list[dict], lang) -> pd.DataFrame:
    def drift(row: dict) -> str:
        if row["drift_shifted"] is None:
            return t("health.not_measured", lang)
        if not row["drift_shifted"]:
            return t("health.no", lang)
        names = [measure_label(n, kind_of(n), lang) for n in row["shifted_measures"]]
        return t("format.labelled", lang, label=t("health.yes", lang), value=worded(names, lang))

    columns = [t(f"health.column.{c}", lang) for c in ("run", "started", "model", "customers")]
    frame = pd.DataFrame(
        [
            (r["id"], f"{r['started']:%Y-%m-%d %H:%M}", r["model_version"], r["customers_scored"])
            for r in history
        ],
        columns=columns,
    )
    frame[t("health.column.drift", lang)] = [drift(r) for r in history]
    return frame
