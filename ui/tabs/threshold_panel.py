"""Portfolio's threshold simulator: move the high-risk cut-off and see, from out-of-fold
predictions, who would be contacted, who would have left, what it costs and what it keeps
(`tools/portfolio/thresholds.py`); cost and share kept start from the newest campaign's measured
effect, else from the settings' assumptions, and the user can set their own."""

from __future__ import annotations

from typing import Any

import gradio as gr
import pandas as pd
from sqlalchemy.exc import SQLAlchemyError

from agents.present.threshold_words import best_line, chosen_line, threshold_table
from core.i18n import t
from core.types import Language
from crm_agents.outcomes import measured_offer_effect
from crm_agents.store.database import StoreError
from models.churn.training import MissingLabelsError
from tools.portfolio.thresholds import CUTOFFS, simulate
from ui.backend import Backend
from ui.escape import md
from ui.labels import Words

#: The panels `starting_point` fills (per session).
STARTING_POINT = (
    "threshold_intro",
    "threshold_cutoff",
    "threshold_cost",
    "threshold_save_rate",
)


def build(make) -> dict[str, Any]:
    """The simulator's components, inside an accordion of the Portfolio tab."""
    with make(gr.Accordion, label=Words("ui.thresholds.title"), open=False) as accordion:
        intro = gr.Markdown(elem_id="thresholds-intro")
        with gr.Row():
            cutoff = make(
                gr.Slider,
                minimum=CUTOFFS[0],
                maximum=CUTOFFS[-1],
                step=0.05,
                label=Words("ui.thresholds.cutoff"),
                elem_id="threshold-cutoff",
            )
            cost = make(gr.Number, label=Words("ui.thresholds.cost"), minimum=0)
            save_rate = make(
                gr.Slider, minimum=0, maximum=1, step=0.01, label=Words("ui.thresholds.save_rate")
            )
        outcome = gr.Markdown(elem_id="threshold-outcome")
        table = gr.Dataframe(interactive=False, wrap=True, elem_id="threshold-table")
    return {
        "threshold_accordion": accordion,
        "threshold_intro": intro,
        "threshold_cutoff": cutoff,
        "threshold_cost": cost,
        "threshold_save_rate": save_rate,
        "threshold_outcome": outcome,
        "threshold_table": table,
    }


def starting_point(backend: Backend, lang: Language) -> dict[str, Any]:
    """The intro with where cost and share kept come from, and the controls set to them."""
    settings = backend.settings
    try:
        measured = measured_offer_effect(backend.store)
    except (StoreError, SQLAlchemyError):
        measured = None
    if measured is not None:
        campaign, save_rate, cost = measured
        source = t("ui.thresholds.measured", lang, campaign=campaign)
    else:
        save_rate, cost = settings.assumed_save_rate, settings.assumed_contact_cost
        source = t("ui.thresholds.assumed", lang)
    rows = len(backend.service.customers)
    intro = t("ui.thresholds.intro", lang, rows=f"{rows:,}")
    return {
        "threshold_intro": md(f"{intro} {source}"),
        "threshold_cutoff": settings.risk_high,
        "threshold_cost": round(cost, 2),
        "threshold_save_rate": round(save_rate, 2),
    }


def simulated(
    backend: Backend, cutoff: float, cost: float | None, save_rate: float, lang: Language
) -> tuple[str, pd.DataFrame | None]:
    """The chosen cut-off's line and the best one, and the table over every cut-off."""
    simulator = backend.thresholds
    try:
        y, p, value = simulator.out_of_fold()
    except MissingLabelsError:
        return md(t("ui.thresholds.no_labels", lang)), None
    cost = max(float(cost or 0), 0.0)
    rows = simulator.table(cost, save_rate)
    chosen = simulate(y, p, value, float(cutoff), cost, save_rate)
    view = threshold_table(rows, lang)
    lines = [chosen_line(chosen, lang), best_line(rows, backend.settings.risk_high, lang)]
    frame = pd.DataFrame(list(view.rows), columns=list(view.headers))
    return "\n\n".join(md(line) for line in lines), frame
