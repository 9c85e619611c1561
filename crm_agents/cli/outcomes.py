"""`crm-agents outcomes import`, `crm-agents simulate-outcomes` and `crm-agents campaigns
results`: outcomes in, the campaign's effect out."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Annotated

import pandas as pd
import typer

from core.formats import currency
from core.i18n import t
from crm_agents.cli.common import (
    DataOption,
    DbOption,
    LanguageOption,
    clear_errors,
    frame_table,
    load,
    out,
    points,
    results_url,
    say,
    service_for,
    settings_with,
)
from crm_agents.outcomes import (
    campaign_results,
    measured_members,
    read_outcomes,
    simulated_outcomes,
    store_outcomes,
)
from crm_agents.store.database import open_store
from tools.campaigns.targeting import next_targets
from tools.offers.playbook import load_playbook

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
    interval, and whether it is enough to conclude."""
    with clear_errors(lang):
        settings = settings_with(language=lang)
        lang = settings.language
        found = campaign_results(open_store(results_url(db, settings)), campaign_id)
        say(
            settings,
            "outcomes.results",
            id=campaign_id,
            measured=f"{found.with_outcome:,}",
            members=f"{found.members:,}",
        )
        overall = found.overall
        effect = overall.effect
        if effect is None:
            say(settings, "outcomes.no_outcomes", id=campaign_id)
            return
        say(
            settings,
            "outcomes.effect",
            treated_rate=f"{effect.treated_rate:.1%}",
            treated=f"{effect.treated:,}",
            control_rate=f"{effect.control_rate:.1%}",
            control=f"{effect.control:,}",
            difference=points(effect.difference, lang),
            low=points(effect.low, lang),
            high=points(effect.high, lang),
            cost=currency(overall.cost, lang),
        )
        if overall.conclusive:
            say(settings, "outcomes.conclusive")
        else:
            say(settings, "outcomes.inconclusive", why=_why(overall, lang))
        out.print(frame_table(_per_offer(found.by_offer, lang), t("outcomes.by_offer", lang)))


def _why(group, lang) -> str:
    """Why a group's effect is not enough to conclude."""
    effect = group.effect
    if effect is not None and effect.conclusive and group.needed_per_arm:
        control, needed = f"{effect.control:,}", f"{group.needed_per_arm:,}"
        return t("outcomes.why_small", lang, control=control, needed=needed)
    return t("outcomes.why_spans_zero", lang)


def _per_offer(by_offer: dict, lang) -> pd.DataFrame:
    """One row per offer: its treated customers against the controls it would have had."""
    playbook = load_playbook()
    rows = []
    for offer_id, group in by_offer.items():
        effect = group.effect
        rows.append(
            {  # the title last: a table's first column never wraps, and titles are long
                "treated": group.treated,
                "control": group.control,
                "effect": (
                    t(
                        "outcomes.interval",
                        lang,
                        difference=points(effect.difference, lang),
                        low=points(effect.low, lang),
                        high=points(effect.high, lang),
                    )
                    if effect
                    else "—"
                ),
                "cost": currency(group.cost, lang),
                "verdict": t("outcomes.shown", lang) if group.conclusive else _why(group, lang),
                "offer": playbook.get(offer_id).title_in(lang),
            }
        )
    frame = pd.DataFrame(rows)
    return frame.rename(columns={c: t(f"outcomes.column.{c}", lang) for c in frame.columns})


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
        loaded = load(data, settings)
        scores = service_for(loaded, settings).scores().set_index("customerID")
        measured = measured_members(
            open_store(results_url(db, settings)), campaign_id, loaded.customers
        )
        base = loaded.customers.assign(churn_probability=scores["churn_probability"])
        base = base.rename(columns={"customerID": "customer_id"})
        clv = scores.get("clv")
        targets = next_targets(measured, base, clv, top)
        verdict = targets.verdict
        values = {
            "most": points(verdict.most_affected.difference, lang),
            "least": points(verdict.least_affected.difference, lang),
            "z": f"{verdict.z:.2f}",
        }
        if targets.ranking is None:
            say(settings, "targets.none", **values)
            return
        say(settings, "targets.persuadable", **values)
        ranking = targets.ranking
        shown = pd.DataFrame(
            {
                t("targets.column.customer", lang): ranking["customer_id"],
                t("targets.column.uplift", lang): [points(u, lang) for u in ranking["uplift"]],
                t("targets.column.value", lang): [currency(v, lang) for v in ranking["value"]],
                t("targets.column.value_moved", lang): [
                    currency(v, lang) for v in ranking["value_moved"]
                ],
            }
        )
        out.print(frame_table(shown))
