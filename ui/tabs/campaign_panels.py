"""What the Campaigns tab shows, from the store: the campaign's card, its items waiting for a
person, one item with the customer's analysis beside the messages, the export's exclusions
and the results. Words come from the presenters (`agents/present/campaign_loop_words.py`),
data strings are escaped (`ui/escape.py`)."""

from __future__ import annotations

from typing import Any

import gradio as gr
import pandas as pd

from agents.present.campaign_loop_words import (
    campaign_line,
    exclusion_frame,
    export_lines,
    offer_frame,
    plan_lines,
    results_lines,
    targets_frame,
    targets_lines,
)
from core.i18n import t
from core.types import Language
from crm_agents.approvals import stored_result
from crm_agents.outcomes import campaign_results, uplift_targets
from crm_agents.store.approvals import approval_counts, approval_rows, decisions_by_offer
from crm_agents.store.campaigns import campaign_rows, members_of
from graph.review import Decided, Pending
from tools.campaigns.planning import summarise
from tools.campaigns.results import OutcomeError
from ui import views
from ui.backend import Backend
from ui.escape import md, md_block

#: The item columns, in order (the first is the customer: a row click opens it).
ITEM_COLUMNS = ("customer", "offer", "status")


def choices(backend: Backend, lang: Language) -> list[tuple[str, int]]:
    rows = campaign_rows(backend.store)
    return [
        (f"{r.id} · {r.name} ({t(f'campaigns.status.{r.status}', lang)})", int(r.id))
        for r in rows.itertuples()
    ]


def card(backend: Backend, campaign_id: int | None, lang: Language) -> str:
    """The campaign's choices, arms, smallest detectable effect and where its approvals are."""
    if campaign_id is None:
        return t("ui.campaigns.none", lang)
    found = campaign_rows(backend.store, campaign_id)
    if found.empty:
        return md(t("campaigns.not_found", lang, id=campaign_id))
    line = campaign_line(found.iloc[0], lang)
    lines = [f"**{md(line)}**"]
    lines += [
        md(x)
        for x in plan_lines(summarise(campaign_id, members_of(backend.store, campaign_id)), lang)
    ]
    counts = approval_counts(backend.store, campaign_id)
    if counts:
        shown = t("list.separator", lang).join(
            f"{t(f'approvals.status.{status}', lang)} {n:,}" for status, n in sorted(counts.items())
        )
        lines.append(md(t("ui.campaigns.decisions", lang, counts=shown)))
    return "\n\n".join(lines)


def items(backend: Backend, campaign_id: int | None, lang: Language) -> pd.DataFrame:
    """Every treated customer's item: waiting ones first, then the decided."""
    columns = [t(f"approvals.column.{c}", lang) for c in ITEM_COLUMNS]
    if campaign_id is None:
        return pd.DataFrame(columns=columns)
    rows = approval_rows(backend.store, campaign_id)
    rows = rows.assign(waiting=~rows["status"].isin(("pending", "deciding")))
    rows = rows.sort_values(["waiting", "customer_id"], kind="stable")
    playbook = backend.assembly.playbook
    return pd.DataFrame(
        {
            columns[0]: rows["customer_id"],
            columns[1]: [playbook.get(o).title_in(lang) for o in rows["offer_id"]],
            columns[2]: [t(f"approvals.status.{s}", lang) for s in rows["status"]],
        }
    )


def item_view(backend: Backend, campaign_id: int, found: Pending | Decided, lang: Language):
    """The customer's analysis (left) and the messages to decide on (right), as component
    updates: analysis, subject, body, sms, offer, script, outcome."""
    if isinstance(found, Decided):
        result = found.result
        approval = result.approval
        decided = t(f"approval.{approval.decision}", lang, by=approval.by) if approval else ""
        messages = result.communications
        editable = False
        offer_ids = [result.campaign.offer.offer_id] if result.campaign else []
        outcome = f"✅ {md(decided)}"
        args = {
            "email_subject": messages.email.subject if messages else "",
            "email_body": messages.email.body if messages else "",
            "sms": messages.sms.text if messages else "",
        }
        script = messages.call_script.as_text() if messages else ""
        chosen = offer_ids[0] if offer_ids else None
    else:
        result = stored_result(
            backend.store, campaign_id, found.request["action_request"]["args"]["customer_id"]
        )
        args = found.request["action_request"]["args"]
        editable, offer_ids = True, found.request["offers"]
        script = "\n".join(
            [args["call_greeting"], args["call_reason"], args["call_offer"]]
            + [f"{o['objection']} — {o['answer']}" for o in args["objections"]]
            + [args["call_close"]]
        )
        chosen = args["offer_id"]
        outcome = (
            md(t("approval.refused", lang, problems="; ".join(found.problems)))
            if found.problems
            else ""
        )
    playbook = backend.assembly.playbook
    analysis = "\n\n".join(
        [
            views.badges(result.risk, lang),
            views.analyst_summary(result.risk, lang),
            views.reasons_summary(result.reasons, lang),
            views.campaign_summary(result.campaign, result.risk.risk_level, lang),
            md_block(found.request["description"]) if isinstance(found, Pending) else "",
        ]
    )
    return {
        "analysis": analysis,
        "subject": gr.Textbox(value=args["email_subject"], interactive=editable),
        "body": gr.Textbox(value=args["email_body"], interactive=editable),
        "sms": gr.Textbox(value=args["sms"], interactive=editable),
        "offer": gr.Dropdown(
            choices=[(playbook.get(o).title_in(lang), o) for o in offer_ids],
            value=chosen,
            interactive=editable,
        ),
        "script": script,
        "outcome": outcome,
    }


def export_view(summary, lang: Language) -> dict[str, Any]:
    files = {channel: path.name for channel, path in summary.files.items()}
    lines = export_lines(files, summary.contacts, summary.excluded_customers, lang)
    counts = summary.exclusion_counts()
    return {
        "exported": "\n\n".join(md(x) for x in lines),
        "exclusions": gr.Dataframe(
            value=exclusion_frame(counts, lang) if not counts.empty else None,
            visible=not counts.empty,
        ),
        "files": gr.File(
            value=[str(p) for p in [*summary.files.values(), summary.folder / "exclusions.csv"]],
            visible=True,
        ),
    }


def results_view(backend: Backend, campaign_id: int | None, lang: Language) -> dict[str, Any]:
    """The effect with its interval and worth, per offer with the decisions, and who is
    persuadable once there are enough outcomes."""
    empty = {
        "results": "",
        "by_offer": gr.Dataframe(value=None, visible=False),
        "targets": "",
        "targets_table": gr.Dataframe(value=None, visible=False),
    }
    if campaign_id is None or campaign_rows(backend.store, campaign_id).empty:
        return empty
    found = campaign_results(backend.store, campaign_id)
    shown = dict(empty, results="\n\n".join(md(x) for x in results_lines(found, lang)))
    if found.overall.effect is None:
        return shown
    decisions = decisions_by_offer(backend.store, campaign_id)
    table = offer_frame(found, decisions, lang, backend.assembly.playbook)
    table = table[[table.columns[-1], *table.columns[:-1]]]  # the offer first: the page scrolls
    shown["by_offer"] = gr.Dataframe(value=table, visible=True)
    try:
        targets = uplift_targets(backend.store, campaign_id, backend.service)
    except OutcomeError as err:  # too few outcomes to learn from, or another data file
        shown["targets"] = md(err.words(lang))
        return shown
    shown["targets"] = "\n\n".join(md(x) for x in targets_lines(targets, lang))
    if targets.ranking is not None:
        shown["targets_table"] = gr.Dataframe(
            value=targets_frame(targets.ranking, lang), visible=True
        )
    return shown
