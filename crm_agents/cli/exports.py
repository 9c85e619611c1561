"""`crm-agents campaigns export|close`: the approved messages as files a marketing-automation
tool imports (after the contact policy, every exclusion counted with its reason), and the end
of a campaign's life."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Annotated

import typer

from agents.present.campaign_loop_words import exclusion_frame, export_lines
from core.i18n import t
from crm_agents.cli.approvals import CampaignArg
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
    settings_with,
)
from crm_agents.exports import export_campaign
from crm_agents.store.approvals import move_campaign
from crm_agents.store.database import open_store


def export(
    campaign_id: CampaignArg,
    out_dir: Annotated[
        Path, typer.Option("--out", help="folder for email.csv, sms.csv, call_list.csv")
    ] = Path("exports"),
    suppression: Annotated[
        Path | None,
        typer.Option(
            help="CSV of customers not to contact: customer_id[, channel] "
            "(default: CRM_SUPPRESSION_FILE)"
        ),
    ] = None,
    send_at: Annotated[
        datetime | None,
        typer.Option(formats=["%H:%M"], help="when the tool will send (HH:MM): quiet hours apply"),
    ] = None,
    data: DataOption = None,
    db: DbOption = None,
    lang: LanguageOption = None,
) -> None:
    """Write the approved messages, one file per channel, after consent, suppression,
    frequency caps and quiet hours; the product sends nothing itself."""
    with clear_errors(lang):
        settings = settings_with(language=lang)
        lang = settings.language
        engine = open_store(results_url(db, settings))
        summary = export_campaign(
            engine,
            campaign_id,
            out_dir / f"campaign-{campaign_id}",
            settings,
            data=load(data, settings),
            suppression=suppression or settings.suppression_file,
            send_at=send_at.time() if send_at else None,
        )
        files = {channel: str(path) for channel, path in summary.files.items()}
        for line in export_lines(files, summary.contacts, summary.excluded_customers, lang):
            say_text(settings, line)
        counts = summary.exclusion_counts()
        if counts.empty:
            return
        shown = exclusion_frame(counts, lang)
        out.print(frame_table(shown))


def close(campaign_id: CampaignArg, db: DbOption = None, lang: LanguageOption = None) -> None:
    """Close a campaign once it is measured (or exported): it takes no more decisions."""
    with clear_errors(lang):
        settings = settings_with(language=lang)
        engine = open_store(results_url(db, settings))
        if not move_campaign(engine, campaign_id, ("exported", "measuring"), "closed"):
            raise typer.BadParameter(
                t("exports.not_closable", settings.language, id=campaign_id), param_hint="ID"
            )
        say(settings, "exports.closed", id=campaign_id)
