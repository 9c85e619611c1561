"""The Campaigns tab's layout: the campaign picker and its card, a new campaign, the items
waiting for a person with one item open (the analysis beside the messages), the export and
the results; every component registered by name (`campaigns.<name>`). The handlers are
`ui/tabs/campaigns.py`."""

from __future__ import annotations

from typing import Any

import gradio as gr

from core.i18n import t
from tools.campaigns.planning import CHANNELS
from ui.labels import Words
from ui.manager import Manager

NAME = "campaigns"


def build(manager: Manager) -> None:
    make = manager.labels.make
    synthetic = manager.backend.service.data.origin.is_synthetic
    elems: dict[str, Any] = {}
    with make(gr.Tab, label=Words("ui.campaigns.tab")):
        with gr.Row():
            elems["campaign"] = make(
                gr.Dropdown,
                label=Words("ui.campaigns.campaign"),
                choices=[],
                value=None,
                scale=4,
                elem_id="campaign-picker",
            )
            elems["refresh"] = make(gr.Button, value=Words("ui.campaigns.refresh"), scale=1)
        elems["summary"] = gr.Markdown(elem_id="campaign-summary")
        with make(gr.Accordion, label=Words("ui.campaigns.new"), open=False):
            with gr.Row():
                elems["name"] = make(gr.Textbox, label=Words("ui.campaigns.name"))
                elems["channels"] = make(
                    gr.CheckboxGroup,
                    choices=Words(
                        lambda lang: [(t(f"exports.channel.{c}", lang), c) for c in CHANNELS]
                    ),
                    value=["email"],
                    label=Words("ui.campaigns.channels"),
                )
                elems["holdout"] = make(
                    gr.Slider,
                    minimum=0.05,
                    maximum=0.5,
                    step=0.05,
                    value=manager.backend.settings.campaign_holdout,
                    label=Words("ui.campaigns.holdout"),
                )
                elems["budget"] = make(gr.Number, label=Words("ui.campaigns.budget"), value=None)
            # Usable once the session's campaigns are in the picker (`session_start`): a
            # campaign made before they land would be dropped from the picker by their arrival.
            elems["create"] = make(
                gr.Button,
                value=Words("ui.campaigns.create"),
                elem_id="campaign-create",
                interactive=False,
            )
        elems["submit"] = make(
            gr.Button, value=Words("ui.campaigns.submit"), elem_id="campaign-submit"
        )
        elems["message"] = gr.Markdown(elem_id="campaign-message")
        elems["items"] = make(
            gr.Dataframe,
            label=Words("ui.campaigns.items"),
            interactive=False,
            max_height=320,
            elem_id="approval-items",
        )
        elems["accept_all"] = make(
            gr.Button, value=Words("ui.campaigns.accept_all"), elem_id="accept-all"
        )
        with gr.Row():
            with gr.Column(scale=1):
                elems["analysis"] = gr.Markdown(elem_id="item-analysis")
            with gr.Column(scale=1):
                elems["subject"] = make(
                    gr.Textbox, label=Words("ui.campaigns.subject"), elem_id="edit-subject"
                )
                elems["body"] = make(
                    gr.Textbox, label=Words("ui.campaigns.body"), lines=8, elem_id="edit-body"
                )
                elems["sms"] = make(
                    gr.Textbox, label=Words("ui.campaigns.sms"), lines=2, elem_id="edit-sms"
                )
                elems["offer"] = make(
                    gr.Dropdown, label=Words("ui.campaigns.offer"), choices=[], elem_id="edit-offer"
                )
                elems["script"] = make(
                    gr.Textbox, label=Words("ui.campaigns.script"), lines=6, interactive=False
                )
                elems["note"] = make(
                    gr.Textbox, label=Words("ui.campaigns.note"), elem_id="review-note"
                )
                with gr.Row():
                    for choice, variant in (
                        ("accept", "primary"),
                        ("edit", "secondary"),
                        ("respond", "secondary"),
                        ("ignore", "stop"),
                    ):
                        elems[choice] = make(
                            gr.Button,
                            value=Words(f"ui.campaigns.{choice}"),
                            variant=variant,
                            elem_id=f"review-{choice}",
                        )
                elems["outcome"] = gr.Markdown(elem_id="review-outcome")
        elems["selected"] = gr.State(None)
        with gr.Row():
            elems["send_at"] = make(
                gr.Textbox,
                label=Words("ui.campaigns.send_at"),
                placeholder="10:00",
                elem_id="send-at",
            )
            elems["suppression"] = make(
                gr.File, label=Words("ui.campaigns.suppression"), file_types=[".csv"]
            )
            elems["export"] = make(
                gr.Button, value=Words("ui.campaigns.export"), elem_id="campaign-export"
            )
        elems["exported"] = gr.Markdown(elem_id="export-summary")
        elems["exclusions"] = make(
            gr.Dataframe,
            label=Words("ui.campaigns.exclusions"),
            interactive=False,
            visible=False,
            elem_id="exclusions",
        )
        elems["files"] = make(
            gr.File,
            label=Words("ui.campaigns.files"),
            file_count="multiple",
            visible=False,
            elem_id="export-files",
        )
        elems["simulate"] = make(
            gr.Button,
            value=Words("ui.campaigns.simulate"),
            visible=synthetic,  # a known truth exists for the demo data only
            elem_id="simulate-outcomes",
        )
        elems["results"] = gr.Markdown(elem_id="campaign-results")
        elems["by_offer"] = make(
            gr.Dataframe,
            label=Words("outcomes.by_offer"),
            interactive=False,
            visible=False,
            elem_id="results-by-offer",
        )
        elems["targets"] = gr.Markdown(elem_id="uplift-verdict")
        elems["targets_table"] = make(
            gr.Dataframe,
            label=Words("ui.campaigns.targets"),
            interactive=False,
            visible=False,
            elem_id="uplift-targets",
        )
    manager.add_elems(NAME, elems)
