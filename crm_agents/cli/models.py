"""`crm-agents retrain` fits a challenger on the newest data and compares it with the live
champion; `crm-agents models list|approve|reject|rollback`: the versions kept, and a person's
decisions (`crm_agents/retraining.py`)."""

from __future__ import annotations

from typing import Annotated

import pandas as pd
import typer

from agents.present.health_words import versions_table
from core.i18n import t, worded
from core.settings import Settings
from crm_agents.cli.common import (
    DataOption,
    LanguageOption,
    clear_errors,
    frame_table,
    load,
    out,
    say,
    settings_with,
    spinner,
)
from crm_agents.retraining import decide, registry_of, retrain
from models.health.registry import ModelVersion

app = typer.Typer(
    help="Model versions: list them, approve or reject a challenger, roll back.",
    no_args_is_help=True,
)
ByOption = Annotated[str, typer.Option("--by", help="Who decides (kept with the version)")]
JsonOption = Annotated[bool, typer.Option("--json", help="Print JSON instead of words")]


def _compared(settings: Settings, version: ModelVersion, fit_rows: int | None = None) -> None:
    c = version.comparison
    if c is None:
        return
    say(
        settings,
        "retrain.compared",
        id=version.id,
        model=version.model,
        fit_rows=f"{fit_rows:,}" if fit_rows is not None else "—",
        held_out=f"{c.held_out_rows:,}",
        challenger=f"{c.roc_auc_challenger:.4f}",
        champion=f"{c.roc_auc_champion:.4f}",
        difference=f"{c.difference:+.4f}",
        se=f"{c.standard_error:.4f}",
        brier_challenger=f"{c.brier_challenger:.4f}",
        brier_champion=f"{c.brier_champion:.4f}",
    )
    s = version.survival_comparison
    if s is not None:
        say(
            settings,
            "retrain.compared_survival",
            challenger=f"{s.c_index_challenger:.4f}",
            champion=f"{s.c_index_champion:.4f}",
            difference=f"{s.difference:+.4f}",
            se=f"{s.standard_error:.4f}",
        )
    if version.new_models:
        names = [t(f"retrain.model.{m}", settings.language) for m in version.new_models]
        say(settings, "retrain.wins", id=version.id, models=worded(names, settings.language))
    else:
        say(settings, "retrain.loses", id=version.id)


def retrain_command(
    data: DataOption = None, lang: LanguageOption = None, as_json: JsonOption = False
) -> None:
    """Fit a challenger on the newest data; compare it with the champion on held-out customers."""
    with clear_errors(lang):
        settings = settings_with(language=lang)
        loaded = load(data, settings)
        with spinner() as bar:
            task = bar.add_task(t("cli.training_task", settings.language), total=None)
            version = retrain(loaded, settings, lambda s: bar.update(task, description=s))
        if as_json:
            out.print_json(version.model_dump_json())
            return
        held = version.comparison.held_out_rows if version.comparison else 0
        _compared(settings, version, len(loaded.customers) - held)


@app.command("list")
def list_versions(lang: LanguageOption = None, as_json: JsonOption = False) -> None:
    """Every model version kept, which one is live, and how each challenger compared."""
    with clear_errors(lang):
        settings = settings_with(language=lang)
        versions = registry_of(settings).versions()
        if as_json:
            out.print_json(data=[v.model_dump(mode="json") for v in versions])
            return
        view = versions_table(versions, settings.language)
        title = t("retrain.title", settings.language)
        out.print(frame_table(pd.DataFrame(view.rows, columns=view.headers), title))


@app.command("approve")
def approve(
    version: Annotated[str, typer.Argument(help="The challenger, e.g. v0002")],
    by: ByOption,
    lang: LanguageOption = None,
) -> None:
    """Make a challenger that won its comparison the live model."""
    with clear_errors(lang):
        settings = settings_with(language=lang)
        chosen = decide(settings, "approve", by, version)
        say(settings, "retrain.approved", id=chosen.id, by=by)


@app.command("reject")
def reject(
    version: Annotated[str, typer.Argument(help="The challenger, e.g. v0002")],
    by: ByOption,
    lang: LanguageOption = None,
) -> None:
    """Keep the champion and set a challenger aside."""
    with clear_errors(lang):
        settings = settings_with(language=lang)
        chosen = decide(settings, "reject", by, version)
        say(settings, "retrain.rejected", id=chosen.id, by=by)


@app.command("rollback")
def rollback(by: ByOption, lang: LanguageOption = None) -> None:
    """Make the champion before the current one live again."""
    with clear_errors(lang):
        settings = settings_with(language=lang)
        chosen = decide(settings, "rollback", by)
        say(settings, "retrain.rolled_back", id=chosen.id, by=by)
