"""Campaigns tab: make a campaign from the latest batch run, send it for approval, decide each
customer's messages with the customer's analysis beside them (accept, edit, respond, ignore —
or accept every waiting item), export the approved messages after the contact policy, and read
the results. Decisions are recorded under the logged-in user and go through the analysis
graph's approval step, like the CLI's."""

from __future__ import annotations

import getpass
from datetime import date, datetime, timedelta
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import gradio as gr

from agents.present.campaign_loop_words import points
from core.i18n import error_words, t
from core.types import Language
from crm_agents.approvals import ApprovalError, accept_all, decide, open_review
from crm_agents.campaigns import draft_campaign
from crm_agents.exports import export_campaign
from crm_agents.outcomes import simulated_outcomes, store_outcomes
from crm_agents.store.approvals import open_approvals
from crm_agents.store.database import StoreError
from graph.review import Decided, Pending
from tools.campaigns.planning import CampaignError, CampaignSpec
from tools.campaigns.results import OutcomeError
from ui.backend import Backend
from ui.escape import md
from ui.manager import Manager
from ui.tabs import campaign_layout
from ui.tabs import campaign_panels as panels

NAME = campaign_layout.NAME
build = campaign_layout.build
#: What showing a campaign fills, in this order.
SHOWN = ("summary", "items", "results", "by_offer", "targets", "targets_table")
#: What opening an item fills, in this order.
ITEM = ("analysis", "subject", "body", "sms", "offer", "script", "outcome")
EXPECTED = (ApprovalError, CampaignError, OutcomeError, StoreError, ValueError)


def _who(request: gr.Request | None) -> str:
    """The logged-in user; without a login, the account the app runs under (as the CLI)."""
    name = getattr(request, "username", None) if request is not None else None
    return name or f"{getpass.getuser()} (app)"


def shown(
    backend: Backend, campaign_id: int | None, lang: Language, results: bool = True
) -> list[Any]:
    """The campaign's card and items, and (unless a decision is all that changed) its results:
    those fit uplift models, which a click on Accept should not wait for."""
    head = [panels.card(backend, campaign_id, lang), panels.items(backend, campaign_id, lang)]
    if not results:
        return [*head, *[gr.update()] * len(SHOWN[2:])]
    measured = panels.results_view(backend, campaign_id, lang)
    return [*head, *(measured[name] for name in SHOWN[2:])]


def wire(manager: Manager, demo: gr.Blocks) -> None:
    backend, language = manager.backend, manager.language
    tab = SimpleNamespace(**manager.elems_of(NAME))
    campaign_outputs = [getattr(tab, name) for name in SHOWN]
    item_outputs = [getattr(tab, name) for name in ITEM]

    def show(campaign_id: int | None, lang: Language, results: bool = True) -> list[Any]:
        return shown(backend, campaign_id, lang, results)

    def refresh(campaign_id: int | None, lang: Language):
        return gr.Dropdown(choices=panels.choices(backend, lang), value=campaign_id)

    def worded(err: Exception, lang: Language) -> str:
        return f"⚠️ {md(error_words(err, lang))}"

    def create(name, channels, holdout, budget, lang: Language, request: gr.Request):
        try:
            spec = CampaignSpec(
                name=name.strip(),
                channels=channels or ["email"],
                budget=budget or None,
                starts_on=date.today(),
                ends_on=date.today() + timedelta(days=30),
                owner=_who(request),
                holdout_share=holdout,
            )
            known = {o.id for o in backend.assembly.playbook.offers}
            draft = draft_campaign(backend.store, spec, backend.settings, known)
        except EXPECTED as err:
            return gr.Dropdown(), worded(err, lang)
        words = t(
            "campaigns.created",
            lang,
            id=draft.campaign_id,
            name=spec.name,
            treated=f"{draft.treated:,}",
            control=f"{draft.control:,}",
            share=f"{spec.holdout_share:.0%}",
        )
        choices = panels.choices(backend, lang)
        return gr.Dropdown(choices=choices, value=draft.campaign_id), md(words)

    def submit(campaign_id: int | None, lang: Language):
        if campaign_id is None:
            return t("ui.campaigns.pick_campaign", lang), *show(campaign_id, lang)
        try:
            count = open_approvals(backend.store, int(campaign_id or 0))
        except EXPECTED as err:
            return worded(err, lang), *show(campaign_id, lang)
        words = t("approvals.submitted", lang, id=campaign_id, count=f"{count:,}")
        return md(words), *show(campaign_id, lang)

    def pick(campaign_id: int | None, lang: Language, event: gr.SelectData):
        customer = event.row_value[0] if event.row_value else None
        if campaign_id is None or not customer:
            return None, *[gr.update()] * len(ITEM)
        try:
            found = open_review(backend.store, backend.reviews, int(campaign_id), customer)
        except EXPECTED as err:
            return customer, worded(err, lang), *[gr.update()] * (len(ITEM) - 1)
        view = panels.item_view(backend, int(campaign_id), found, lang)
        return customer, *(view[name] for name in ITEM)

    def decided(kind: str):
        def handler(
            campaign_id, customer, subject, body, sms, offer, note, lang, request: gr.Request
        ):
            """One decision on the open item; the item and the campaign shown again after it."""
            keep = [gr.update()] * (len(ITEM) - 1)
            if campaign_id is None or not customer:
                return (
                    t("ui.campaigns.pick_first", lang),
                    *keep,
                    *show(campaign_id, lang, results=False),
                )
            answer: dict[str, Any] = {"type": kind, "by": _who(request)}
            if kind == "respond":
                if not (note or "").strip():
                    return (
                        t("ui.campaigns.note_needed", lang),
                        *keep,
                        *show(campaign_id, lang, results=False),
                    )
                answer["args"] = note.strip()
            try:
                if kind == "edit":
                    current = open_review(
                        backend.store, backend.reviews, int(campaign_id), customer
                    )
                    answer["args"] = _edits(current, subject, body, sms, offer)
                    if not answer["args"]:
                        words = t("ui.campaigns.nothing_changed", lang)
                        return words, *keep, *show(campaign_id, lang, results=False)
                outcome = decide(backend.store, backend.reviews, int(campaign_id), customer, answer)
            except EXPECTED as err:
                return worded(err, lang), *keep, *show(campaign_id, lang, results=False)
            view = panels.item_view(backend, int(campaign_id), outcome, lang)
            if isinstance(outcome, Pending) and not outcome.problems:  # a new offer, new words
                view["outcome"] = md(t("approvals.rewritten", lang, customer=customer))
            return (
                view["outcome"],
                *(view[name] for name in ITEM[:-1]),
                *show(campaign_id, lang, results=False),
            )

        return handler

    def accept_waiting(campaign_id: int | None, lang: Language, request: gr.Request):
        if campaign_id is None:
            return t("ui.campaigns.pick_campaign", lang), *show(campaign_id, lang, results=False)
        done = accept_all(
            backend.store, backend.reviews, int(campaign_id), _who(request), language=lang
        )
        lines = [t("approvals.accepted", lang, count=f"{len(done.accepted):,}", by=_who(request))]
        lines += [f"{customer}: {why}" for customer, why in done.left.items()]
        return "\n\n".join(md(x) for x in lines), *show(campaign_id, lang, results=False)

    def export(campaign_id: int | None, send_at: str, suppression, lang: Language):
        hidden = (gr.Dataframe(visible=False), gr.File(visible=False))
        try:
            moment = (
                datetime.strptime(send_at.strip(), "%H:%M").time()
                if send_at and send_at.strip()
                else None
            )
        except ValueError:
            return (
                md(t("ui.campaigns.bad_time", lang, value=send_at)),
                *hidden,
                *show(campaign_id, lang),
            )
        try:
            folder = backend.files / f"campaign-{campaign_id}-{datetime.now():%Y%m%d-%H%M%S}"
            summary = export_campaign(
                backend.store,
                int(campaign_id or 0),
                folder,
                backend.settings,
                data=backend.service.data,
                suppression=suppression and _path(suppression),
                send_at=moment,
            )
        except EXPECTED as err:
            return worded(err, lang), *hidden, *show(campaign_id, lang)
        view = panels.export_view(summary, lang)
        return view["exported"], view["exclusions"], view["files"], *show(campaign_id, lang)

    def simulate(campaign_id: int | None, lang: Language):
        try:
            contracts = backend.service.data.customers["Contract"]
            drawn, truth = simulated_outcomes(
                backend.store, int(campaign_id or 0), contracts, 0, date.today()
            )
            store_outcomes(backend.store, drawn, "simulated (seed 0)")
        except EXPECTED as err:
            return worded(err, lang), *show(campaign_id, lang)
        words = t(
            "outcomes.simulated",
            lang,
            count=f"{len(drawn):,}",
            id=campaign_id,
            seed=0,
            truth=points(truth, lang),
        )
        return md(words), *show(campaign_id, lang)

    tab.campaign.change(show, [tab.campaign, language], campaign_outputs, api_name=False)
    language.change(show, [tab.campaign, language], campaign_outputs, api_name=False)
    tab.refresh.click(refresh, [tab.campaign, language], tab.campaign, api_name=False)
    tab.create.click(
        create,
        [tab.name, tab.channels, tab.holdout, tab.budget, language],
        [tab.campaign, tab.message],
        api_name=False,
    )
    with_campaign = [tab.message, *campaign_outputs]
    # A campaign's stage is in the picker's words: said again after what moves it.
    names = {"fn": refresh, "inputs": [tab.campaign, language], "outputs": tab.campaign}
    tab.submit.click(submit, [tab.campaign, language], with_campaign, api_name=False).then(
        **names, api_name=False
    )
    tab.items.select(pick, [tab.campaign, language], [tab.selected, *item_outputs], api_name=False)
    inputs = [
        tab.campaign,
        tab.selected,
        tab.subject,
        tab.body,
        tab.sms,
        tab.offer,
        tab.note,
        language,
    ]
    reviewed = [tab.outcome, *item_outputs[:-1], *campaign_outputs]
    for kind in ("accept", "edit", "respond", "ignore"):
        getattr(tab, kind).click(decided(kind), inputs, reviewed, api_name=False)
    tab.accept_all.click(
        accept_waiting, [tab.campaign, language], with_campaign, api_name=False
    ).then(**names, api_name=False)
    tab.export.click(
        export,
        [tab.campaign, tab.send_at, tab.suppression, language],
        [tab.exported, tab.exclusions, tab.files, *campaign_outputs],
        api_name=False,
    ).then(**names, api_name=False)
    tab.simulate.click(simulate, [tab.campaign, language], with_campaign, api_name=False).then(
        **names, api_name=False
    )


def _path(upload: Any) -> Path:
    """An uploaded file's path (Gradio hands a path, or an object with `.name`)."""
    return Path(getattr(upload, "name", upload))


def _edits(current: Pending | Decided, subject, body, sms, offer) -> dict[str, str]:
    """What the reviewer changed in the waiting messages (nothing for a decided item)."""
    if not isinstance(current, Pending):
        return {}
    draft = current.draft
    fields = (("email_subject", subject), ("email_body", body), ("sms", sms))
    changes = {f: v for f, v in fields if v is not None and v != getattr(draft, f)}
    if offer and offer != current.request["action_request"]["args"]["offer_id"]:
        changes["offer_id"] = offer
    return changes


#: What `session_start` fills, loaded per session (after login).
SESSION_PANELS = ("campaign", "create")


def session_start(backend: Backend, lang: Language) -> dict[str, Any]:
    """The campaigns in the store, the newest shown, and the button that makes one usable from
    then on (loaded per session, after login)."""
    choices = panels.choices(backend, lang)
    return {
        "campaign": gr.Dropdown(choices=choices, value=choices[0][1] if choices else None),
        "create": gr.Button(interactive=True),
    }
