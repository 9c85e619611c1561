"""Analyze tab: pick a customer, watch the four agents work node by node, read and copy the
results. Outputs are addressed by name; `OUTPUTS` is their order in the `/analyze` API."""

from __future__ import annotations

import random
from collections.abc import Iterator
from typing import Any

import gradio as gr

from core.i18n import has, t
from core.types import Language
from graph.analysis import AnalysisResult
from tools.portfolio.overview import typical_customers
from tools.service.retention import CustomerNotFoundError, UnscorableCustomerError
from ui.backend import Backend
from ui.escape import html_text
from ui.labels import Words
from ui.manager import Manager
from ui.tabs.analyze_panels import OUTPUTS, AnalyzePanels, element

NAME = "analyze"
ANY = "any"
LEVELS = (ANY, "high", "medium", "low")


def _levels(lang: Language) -> list[tuple[str, str]]:
    return [(t(f"word.{k}", lang) if k != ANY else t("ui.any", lang), k) for k in LEVELS]


def build(manager: Manager) -> None:
    make = manager.labels.make
    panels: dict[str, Any] = {}
    with make(gr.Tab, label=Words("ui.analyze.tab")):
        with gr.Row():
            customer = make(
                gr.Dropdown,
                choices=[],
                value=None,
                label=Words("ui.analyze.customer"),
                filterable=True,
                allow_custom_value=True,
                elem_id="customer",
            )
            risk_filter = make(
                gr.Dropdown,
                choices=Words(_levels),
                value=ANY,
                label=Words("ui.analyze.random_from"),
                scale=0,
                min_width=180,
            )
            random_button = make(gr.Button, value=Words("ui.analyze.random"), scale=0)
            analyze_button = make(
                gr.Button,
                value=Words("ui.analyze.run"),
                variant="primary",
                scale=0,
                elem_id="analyze",
            )
        # The empty-state card comes with the session (it names IDs of the data).
        panels["status"] = gr.Markdown("", elem_id="progress")
        with gr.Row():
            panels["profile"] = make(gr.Markdown, label=Words("ui.analyze.profile"))
            with gr.Column():
                # Hidden until there is a customer: no empty chart frames.
                panels["gauge"] = gr.Plot(show_label=False, visible=False)
                panels["badges"] = gr.HTML()
        with gr.Row():
            panels["drivers"] = gr.Plot(show_label=False, visible=False)
            panels["survival"] = gr.Plot(show_label=False, visible=False, elem_id="survival")
        panels["risk_history"] = gr.Markdown(elem_id="risk-history")
        for section in ("analyst", "reasons", "campaign"):
            panels[f"{section}_summary"] = gr.Markdown()
            with make(gr.Accordion, label=Words(f"ui.analyze.{section}_details"), open=False):
                panels[f"{section}_detail"] = gr.Markdown()
        panels["no_action"] = gr.Markdown(visible=False, elem_id="no-action")
        # Hidden until an analysis writes messages: no empty email, SMS and call-script boxes.
        with gr.Column(visible=False) as panels["messages"]:
            make(gr.Markdown, value=Words("ui.analyze.communication"))
            panels["email"] = make(
                gr.Textbox,
                label=Words("ui.analyze.email"),
                lines=8,
                buttons=["copy"],
                interactive=False,
                elem_id="email",
            )
            panels["email_file"] = _text_download(make, "email-file")
            with gr.Row():
                panels["sms"] = make(
                    gr.Textbox,
                    label=Words("ui.analyze.sms"),
                    lines=2,
                    buttons=["copy"],
                    interactive=False,
                    elem_id="sms",
                )
                panels["sms_count"] = gr.Markdown(elem_id="sms-count")
            panels["sms_file"] = _text_download(make, "sms-file")
            panels["script"] = make(
                gr.Textbox,
                label=Words("ui.analyze.script"),
                lines=10,
                buttons=["copy"],
                interactive=False,
            )
            panels["script_file"] = _text_download(make, "script-file")
        panels["download"] = make(
            gr.DownloadButton, label=Words("ui.analyze.download"), value=None, interactive=False
        )
        panels["last_result"] = gr.State(None)  # the analysis shown, for Trace and a new language
    controls = {
        "customer": customer,
        "risk_filter": risk_filter,
        "random_button": random_button,
        "analyze_button": analyze_button,
    }
    manager.add_elems(NAME, {**controls, **panels})


def _text_download(make, elem_id: str) -> gr.DownloadButton:
    """A small button under a text box that saves its text as a .txt file."""
    return make(
        gr.DownloadButton,
        label=Words("ui.analyze.download_text"),
        value=None,
        interactive=False,
        size="sm",
        elem_id=elem_id,
    )


def wire(manager: Manager, demo: gr.Blocks) -> None:
    backend, language = manager.backend, manager.language
    tab = manager.elems_of(NAME)
    # The messages column is a layout block: last, because an API client does not see it.
    outputs = manager.get_elems(element(name) for name in (*OUTPUTS, "messages"))
    show = AnalyzePanels(backend)
    nodes = backend.nodes

    def by_component(values: dict[str, Any]) -> dict[Any, Any]:
        return {manager.get_elem(element(name)): value for name, value in values.items()}

    def analyze(customer_id: str | None, lang: Language) -> Iterator[dict[Any, Any]]:
        """Run the four-agent analysis of one customer, streaming node by node."""
        if not customer_id:
            yield by_component(show.refused(t("ui.analyze.pick_first", lang), lang))
            return
        try:
            done: list[str] = []
            stream = backend.analyzer.stream(customer_id, language=lang)
            yield by_component({"status": show.progress(done, customer_id, lang, nodes[0])})
            for item in stream:
                if isinstance(item, AnalysisResult):
                    yield by_component(show.result(item, done))
                    return
                node, update = item
                done.append(node)
                following = nodes[nodes.index(node) + 1] if node != nodes[-1] else None
                changes = {"status": show.progress(done, customer_id, lang, following)}
                if node == nodes[0]:
                    changes |= show.analyst(update["profile"], update["risk"], lang)
                yield by_component(changes)
        except (CustomerNotFoundError, UnscorableCustomerError) as err:
            yield by_component(show.refused(err.words(lang), lang))

    def random_customer(level: str) -> str:
        """A random customer ID, optionally of one risk level."""
        scores = backend.service.scores()
        if level != ANY:
            scores = scores[scores["risk_level"] == level]
        if scores.empty:
            lang = backend.settings.language
            level_words = t(f"word.{level}", lang) if has(f"word.{level}", lang) else level
            raise gr.Error(html_text(t("ui.analyze.none_at_level", lang, level=level_words)))
        return random.choice(scores["customerID"].tolist())

    def again_in(shown: AnalysisResult | None, lang: Language) -> Iterator[dict[Any, Any]]:
        """The shown analysis in the new language (run again: its texts are written in it)."""
        if shown is not None:
            yield from analyze(shown.customer_id, lang)
        else:
            yield by_component({"status": empty_state(backend, lang)})

    language.change(again_in, [tab["last_result"], language], outputs, api_name=False)
    inputs = [tab["customer"], language]
    tab["analyze_button"].click(analyze, inputs, outputs, api_name="analyze")
    tab["customer"].select(analyze, inputs, outputs, api_name=False)
    tab["random_button"].click(
        random_customer, tab["risk_filter"], tab["customer"], api_name="random_customer"
    ).then(analyze, inputs, outputs, api_name=False)


def empty_state(backend: Backend, lang: Language) -> str:
    """What to do before the first analysis, with a typical ID of each risk level of the data in
    use (one in the middle of its level, not at a threshold)."""
    typical = typical_customers(backend.service)
    examples = "\n".join(
        t("ui.state.example", lang, level=t(f"word.{level}", lang), customer_id=typical[level])
        for level in LEVELS[1:]
        if level in typical
    )
    return t("ui.state.empty", lang, examples=examples)


#: What `session_start` fills, loaded per session (after login).
SESSION_PANELS = ("status", "customer")


def session_start(backend: Backend, lang: Language) -> dict[str, Any]:
    """What this tab shows from the data, loaded per session (after login): the empty-state card
    with IDs of each risk level, and the ID picker's choices."""
    return {
        "status": empty_state(backend, lang),
        "customer": gr.Dropdown(choices=backend.service.customers.index.tolist()),
    }
