"""`crm-agents outcomes import`, `crm-agents simulate-outcomes` and `crm-agents campaigns
results`: outcomes in, the campaign's effect out."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Annotated

import typer

from agents.present.campaign_loop_words import (
    offer_frame,
    points,
    results_lines,
    targets_frame,
    targets_lines,
)
from core.i18n import t
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
from crm_agents.outcomes import (
    campaign_results,
    read_outcomes,
    simulated_outcomes,
    store_outcomes,
    uplift_targets,
)
from crm_agents.store.approvals import decisions_by_offer
from crm_agents.store.database import open_store

app = typer.Typer(help="Outcomes of campaigns: what became of each customer.")


@app.command("import")
def import_outcomes(
    file: Annotated[Path, typer.Argument(help="CSV: customer_id, campaign_id, outcome, date")],
    db: DbOption = None,
    lang: LanguageOption = None,
) -> None:
    """Store a file of outcomes (retained or churned), checked first; importing it again
    changes nothing."""
    with clear_errors(lang):
        settings = settings_with(language=lang)
        engine = open_store(results_url(db, settings))
        count = store_outcomes(engine, read_outcomes(file, engine), file.name)
        say(settings, "outcomes.imported", count=f"{count:,}", source=file.name)


def simulate(
    campaign_id: Annotated[int, typer.Argument(help="the campaign's number")],
    seed: Annotated[int, typer.Option(help="the draw's seed")] = 0,
    data: DataOption = None,
    db: DbOption = None,
    lang: LanguageOption = None,
) -> None:
    """Draw a campaign's outcomes from a known truth (demo and tests; documented in
    models/uplift/simulation.py)."""
    with clear_errors(lang):
        settings = settings_with(language=lang)
        contracts = load(data, settings).customers["Contract"]
        engine = open_store(results_url(db, settings))
        drawn, truth = simulated_outcomes(engine, campaign_id, contracts, seed, date.today())
        store_outcomes(engine, drawn, f"simulated (seed {seed})")
        say(
            settings,
            "outcomes.simulated",
            count=f"{len(drawn):,}",
            id=campaign_id,
            seed=seed,
            truth=points(truth, settings.language),
        )


def results(
    campaign_id: Annotated[int, typer.Argument(help="the campaign's number")],
    db: DbOption = None,
    lang: LanguageOption = None,
) -> None:
    """Treated against control: the share who stayed in each, the effect with its 95 %
    interval, what it is worth, whether it is enough to conclude, and per offer the
    recommendations people accepted and rejected."""
    with clear_errors(lang):
        settings = settings_with(language=lang)
        lang = settings.language
        engine = open_store(results_url(db, settings))
        found = campaign_results(engine, campaign_id)
        for line in results_lines(found, lang):
            say_text(settings, line)
        if found.overall.effect is None:
            return
        frame = offer_frame(found, decisions_by_offer(engine, campaign_id), lang)
        out.print(frame_table(frame, t("outcomes.by_offer", lang)))


def uplift(
    campaign_id: Annotated[int, typer.Argument(help="a campaign with outcomes")],
    top: Annotated[int, typer.Option(min=1, max=500, help="customers to list")] = 20,
    data: DataOption = None,
    db: DbOption = None,
    lang: LanguageOption = None,
) -> None:
    """Who the campaign's offer moved, learned from its outcomes: the next campaign's targets by
    uplift × lifetime value — or, plainly, no persuadable segment."""
    with clear_errors(lang):
        settings = settings_with(language=lang)
        lang = settings.language
        service = service_for(load(data, settings), settings)
        engine = open_store(results_url(db, settings))
        targets = uplift_targets(engine, campaign_id, service, top)
        for line in targets_lines(targets, lang):
            say_text(settings, line)
        if targets.ranking is None:
            return
        shown = targets_frame(targets.ranking, lang)
        out.print(frame_table(shown))
