"""`crm-agents campaigns submit|pending|approve|reject`: a person decides on each treated
customer's messages before anything can be exported. The decider is the OS user running the
command; the decision goes through the analysis graph's approval step (accept, edit, respond,
ignore), so an edit is checked like a writer's draft."""

from __future__ import annotations

import getpass
from typing import Annotated

import pandas as pd
import typer
from sqlalchemy.engine import Engine

from core.i18n import t
from crm_agents.approvals import accept_all, decide, open_review, reviews_on
from crm_agents.cli.common import (
    DataOption,
    DbOption,
    LanguageOption,
    assemble_for,
    clear_errors,
    console,
    frame_table,
    out,
    results_url,
    say,
    settings_with,
)
from crm_agents.store.approvals import approval_rows, open_approvals
from crm_agents.store.database import open_store
from graph.review import Decided, Pending, Reviews

CampaignArg = Annotated[int, typer.Argument(help="the campaign's number (see list)")]


def _reviewing(data, db, settings) -> tuple[Engine, Reviews]:
    """The results database and the analysis graph over its checkpoints, on the data in use."""
    engine = open_store(results_url(db, settings))
    return engine, reviews_on(assemble_for(data, settings), engine)


def submit(campaign_id: CampaignArg, db: DbOption = None, lang: LanguageOption = None) -> None:
    """Send a draft campaign for approval: each treated customer's messages wait for a person."""
    with clear_errors(lang):
        settings = settings_with(language=lang)
        count = open_approvals(open_store(results_url(db, settings)), campaign_id)
        say(settings, "approvals.submitted", id=campaign_id, count=f"{count:,}")


def _request_lines(found: Pending | Decided, lang: str) -> list[str]:
    if isinstance(found, Decided):
        approval = found.result.approval
        return [t(f"approval.{approval.decision}", lang, by=approval.by)]
    args, script = found.request["action_request"]["args"], found.draft.script_text()
    return [
        found.request["description"],
        t("approvals.email", lang, subject=args["email_subject"]),
        args["email_body"],
        t("approvals.sms", lang, text=args["sms"]),
        t("approvals.script", lang),
        script,
    ]


def pending(
    campaign_id: CampaignArg,
    customer: Annotated[
        str | None, typer.Option(help="show this customer's messages in full")
    ] = None,
    data: DataOption = None,
    db: DbOption = None,
    lang: LanguageOption = None,
) -> None:
    """The items waiting for a decision, or one customer's messages in full."""
    with clear_errors(lang):
        settings = settings_with(language=lang)
        engine, lang = open_store(results_url(db, settings)), settings.language
        if customer is not None:
            engine, reviews = _reviewing(data, db, settings)
            for line in _request_lines(open_review(engine, reviews, campaign_id, customer), lang):
                out.print(line, highlight=False, markup=False)
            return
        rows = approval_rows(engine, campaign_id)
        waiting = rows[rows["status"].isin(("pending", "deciding"))]
        say(settings, "approvals.counts", id=campaign_id, waiting=len(waiting), total=len(rows))
        if not waiting.empty:
            shown = pd.DataFrame(
                {
                    t("approvals.column.customer", lang): waiting["customer_id"],
                    t("approvals.column.offer", lang): waiting["offer_id"],
                    t("approvals.column.status", lang): [
                        t(f"approvals.status.{s}", lang) for s in waiting["status"]
                    ],
                }
            )
            out.print(frame_table(shown))


def approve(
    campaign_id: CampaignArg,
    customers: Annotated[
        list[str] | None, typer.Argument(help="customer IDs to accept (none: see --all)")
    ] = None,
    all_pending: Annotated[
        bool, typer.Option("--all", help="accept every pending item as written")
    ] = False,
    subject: Annotated[str | None, typer.Option(help="edit: the email's subject")] = None,
    body: Annotated[str | None, typer.Option(help="edit: the email's body")] = None,
    sms: Annotated[str | None, typer.Option(help="edit: the SMS")] = None,
    offer: Annotated[
        str | None, typer.Option(help="edit: another of the customer's eligible offers")
    ] = None,
    data: DataOption = None,
    db: DbOption = None,
    lang: LanguageOption = None,
) -> None:
    """Accept messages as written (the customers named, or --all), or edit one customer's:
    an edit is checked like a writer's draft and refused with the reason when it fails."""
    with clear_errors(lang):
        settings = settings_with(language=lang)
        lang = settings.language
        edits = {
            k: v
            for k, v in {
                "email_subject": subject,
                "email_body": body,
                "sms": sms,
                "offer_id": offer,
            }.items()
            if v is not None
        }
        if bool(customers) == all_pending:
            raise typer.BadParameter(t("approvals.which", lang), param_hint="CUSTOMERS")
        if edits and (all_pending or len(customers or []) != 1):
            raise typer.BadParameter(t("approvals.edit_one", lang), param_hint="CUSTOMERS")
        engine, reviews = _reviewing(data, db, settings)
        by = getpass.getuser()
        if not edits:
            done = accept_all(engine, reviews, campaign_id, by, customers or None, lang)
            say(settings, "approvals.accepted", count=f"{len(done.accepted):,}", by=by)
            for customer, why in done.left.items():
                console.print(f"{customer}: {why}", highlight=False, markup=False)
            if done.left:
                raise typer.Exit(1)
            return
        answer = {"type": "edit", "args": edits, "by": by}
        _finish(decide(engine, reviews, campaign_id, customers[0], answer), settings)


def reject(
    campaign_id: CampaignArg,
    customers: Annotated[list[str], typer.Argument(help="customer IDs")],
    note: Annotated[
        str | None,
        typer.Option(help="a note back to the writer (respond); without one: ignore"),
    ] = None,
    data: DataOption = None,
    db: DbOption = None,
    lang: LanguageOption = None,
) -> None:
    """Send messages back with a note (respond), or drop them (ignore): nothing is sent."""
    with clear_errors(lang):
        settings = settings_with(language=lang)
        engine, reviews = _reviewing(data, db, settings)
        by = getpass.getuser()
        answer = {"type": "respond", "args": note} if note else {"type": "ignore"}
        for customer in customers:
            _finish(decide(engine, reviews, campaign_id, customer, answer | {"by": by}), settings)


def _finish(outcome: Pending | Decided, settings) -> None:
    lang = settings.language
    if isinstance(outcome, Pending):
        if not outcome.problems:  # a new offer: its messages were written again, wait for a yes
            say(settings, "approvals.rewritten", customer=outcome.customer_id)
            return
        say(settings, "approvals.refused", problems="; ".join(outcome.problems))
        raise typer.Exit(1)
    approval = outcome.result.approval
    assert approval is not None
    words = t(f"approval.{approval.decision}", lang, by=approval.by)
    say(settings, "approvals.decided", customer=outcome.result.customer_id, decision=words)
