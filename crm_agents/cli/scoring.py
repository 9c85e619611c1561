"""`crm-agents score`: the whole base scored to a file, part by part, with a summary of the
revenue at risk per risk level. Its own module: scoring a million customers should not wait for
the training and evaluation code to import."""

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
from core.i18n import t
from core.types import Language
from crm_agents.cli.common import (
    DataOption,
    clear_errors,
    console,
    load,
    out,
    output_file,
    say,
    service_for,
    settings_with,
)
from data.table_out import table_writer
from models.segments import RISK_LEVELS, UNSCORED
from tools.service.base_scores import scored_file_parts


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
