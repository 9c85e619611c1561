"""`crm-agents campaigns create|list|show`: campaigns made from the nightly run's analyses, with
their control groups assigned by hash before anyone sees the list."""

from __future__ import annotations

import getpass
from datetime import date, datetime
from enum import StrEnum
from typing import Annotated

import pandas as pd
import typer

from agents.present.campaign_loop_words import campaign_line, plan_lines
from core.formats import currency
from core.i18n import t
from crm_agents.campaigns import draft_campaign
from crm_agents.cli.common import (
    DbOption,
    LanguageOption,
    clear_errors,
    frame_table,
    out,
    results_url,
    say,
    say_text,
    settings_with,
)
from crm_agents.store.campaigns import campaign_rows, members_of
from crm_agents.store.database import open_store
from models.segments import RiskLevel
from tools.campaigns.planning import CHANNELS, CampaignDraft, CampaignSpec, summarise
from tools.offers.playbook import load_playbook

app = typer.Typer(help="Campaigns: who gets an offer, who is held out, how large it must be.")

Channel = StrEnum("Channel", {c: c for c in CHANNELS})


def _report(draft: CampaignDraft, settings) -> None:
    for line in plan_lines(draft, settings.language):
        say_text(settings, line)


@app.command()
def create(
    name: Annotated[str, typer.Argument(help="a name of its own, e.g. 'Spring retention 2027'")],
    offer: Annotated[
        list[str] | None, typer.Option(help="an offer id (repeat for more; none: any offer)")
    ] = None,
    min_risk: Annotated[RiskLevel, typer.Option(help="lowest risk level to include")] = "medium",
    budget: Annotated[float | None, typer.Option(min=0.01, help="total offer cost cap")] = None,
    channel: Annotated[list[Channel] | None, typer.Option(help="email, sms, call")] = None,
    starts: Annotated[datetime | None, typer.Option(formats=["%Y-%m-%d"])] = None,
    ends: Annotated[datetime | None, typer.Option(formats=["%Y-%m-%d"])] = None,
    owner: Annotated[str | None, typer.Option(help="who runs it (default: you)")] = None,
    holdout: Annotated[
        float | None, typer.Option(min=0.01, max=0.5, help="control share (CRM_CAMPAIGN_HOLDOUT)")
    ] = None,
    db: DbOption = None,
    lang: LanguageOption = None,
) -> None:
    """Make a draft campaign from the latest completed batch run's analyses."""
    with clear_errors(lang):
        settings = settings_with(language=lang)
        starts_on = starts.date() if starts else date.today()
        ends_on = ends.date() if ends else starts_on + pd.Timedelta(days=30).to_pytimedelta()
        if ends_on < starts_on:
            raise typer.BadParameter(
                t("campaigns.dates", settings.language, starts=starts_on, ends=ends_on),
                param_hint="--ends",
            )
        spec = CampaignSpec(
            name=name,
            offers=offer or [],
            min_risk=min_risk,
            budget=budget,
            channels=[c.value for c in channel or [Channel.email]],
            starts_on=starts_on,
            ends_on=ends_on,
            owner=owner or getpass.getuser(),
            holdout_share=holdout if holdout is not None else settings.campaign_holdout,
        )
        known = {o.id for o in load_playbook().offers}
        draft = draft_campaign(open_store(results_url(db, settings)), spec, settings, known)
        say(
            settings,
            "campaigns.created",
            id=draft.campaign_id,
            name=spec.name,
            treated=f"{draft.treated:,}",
            control=f"{draft.control:,}",
            share=f"{spec.holdout_share:.0%}",
        )
        if draft.in_global_control:
            say(settings, "campaigns.global_control", count=f"{draft.in_global_control:,}")
        if draft.cut_by_budget:
            budget_words = currency(spec.budget or 0, settings.language)
            say(settings, "campaigns.cut", count=f"{draft.cut_by_budget:,}", budget=budget_words)
        _report(draft, settings)


@app.command("list")
def list_campaigns(db: DbOption = None, lang: LanguageOption = None) -> None:
    """Every campaign, newest first, with the customers in each arm."""
    with clear_errors(lang):
        settings = settings_with(language=lang)
        rows = campaign_rows(open_store(results_url(db, settings)))
        if rows.empty:
            say(settings, "campaigns.none")
            return
        lang = settings.language
        shown = pd.DataFrame(
            {
                t("campaigns.column.id", lang): rows["id"],
                t("campaigns.column.name", lang): rows["name"],
                t("campaigns.column.status", lang): [
                    t(f"campaigns.status.{s}", lang) for s in rows["status"]
                ],
                t("campaigns.column.dates", lang): [
                    f"{a} – {b}" for a, b in zip(rows["starts_on"], rows["ends_on"], strict=True)
                ],
                t("campaigns.column.treated", lang): rows["treated"],
                t("campaigns.column.control", lang): rows["control"],
                t("campaigns.column.owner", lang): rows["owner"],
            }
        )
        out.print(frame_table(shown))


@app.command()
def show(
    campaign_id: Annotated[int, typer.Argument(help="the campaign's number (see list)")],
    db: DbOption = None,
    lang: LanguageOption = None,
) -> None:
    """One campaign: its choices, its arms and the smallest effect it can detect."""
    with clear_errors(lang):
        settings = settings_with(language=lang)
        engine = open_store(results_url(db, settings))
        found = campaign_rows(engine, campaign_id)
        if found.empty:
            raise typer.BadParameter(
                t("campaigns.not_found", settings.language, id=campaign_id), param_hint="ID"
            )
        say_text(settings, campaign_line(found.iloc[0], settings.language))
        _report(summarise(campaign_id, members_of(engine, campaign_id)), settings)
