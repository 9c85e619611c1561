"""The CRM Retention Agents app (Gradio): Analyze · Ask · Portfolio · Trace.

    python app.py [--data PATH] [--host 127.0.0.1] [--port 7860]

Binds 127.0.0.1 unless told otherwise, never opens a public share link, and asks for a login
when `CRM_APP_AUTH=user:password` is set. Every number on screen comes from the model and the
rules; the header says which data, model and writer produced them.
"""

from __future__ import annotations

import argparse
import logging
import os
import random
import socket
import sys
import uuid
from pathlib import Path

os.environ.setdefault("GRADIO_ANALYTICS_ENABLED", "False")

import gradio as gr
from langchain_core.messages import HumanMessage

from core.settings import Settings, SettingsError
from data.spreadsheet import to_csv_text
from data.validation import DataValidationError
from graph.analysis import AnalysisResult
from models.persistence import ModelArtifactError
from models.training import MissingLabelsError
from tools.portfolio import at_risk_table, risk_value_matrix
from tools.service import CustomerNotFoundError
from ui import charts, views
from ui.backend import Backend
from ui.escape import html_text

log = logging.getLogger("crm_agents.app")

LANGUAGES = [("English", "en"), ("繁體中文", "zh-TW")]
ANY = "any"


def build_app(backend: Backend) -> gr.Blocks:
    """The app's layout holds nothing from the data: the page, its config and the API info are
    served before login, so the header, the ID choices, examples and the portfolio are filled
    by `demo.load` for the logged-in session."""
    service = backend.service

    with gr.Blocks(title="CRM Retention Agents") as demo:
        with gr.Row():
            header = gr.Markdown("## CRM Retention Agents", elem_id="header")
            language = gr.Radio(
                LANGUAGES,
                value=backend.settings.language,
                label="Language / 語言",
                scale=0,
                min_width=220,
            )
        last_result = gr.State(None)

        with gr.Tab("Analyze"):
            with gr.Row():
                customer = gr.Dropdown(
                    [],
                    value=None,
                    label="Customer ID",
                    filterable=True,
                    allow_custom_value=True,
                    elem_id="customer",
                )
                risk_filter = gr.Dropdown(
                    [ANY, "high", "medium", "low"],
                    value=ANY,
                    label="Random from risk level",
                    scale=0,
                    min_width=180,
                )
                random_button = gr.Button("🎲 Random customer", scale=0)
                analyze_button = gr.Button("Analyze", variant="primary", scale=0, elem_id="analyze")
            status = gr.Markdown(views.progress(backend.nodes, []), elem_id="progress")
            with gr.Row():
                profile = gr.Markdown(label="Profile")
                with gr.Column():
                    gauge = gr.Plot(label="Churn probability", show_label=False)
                    badges = gr.HTML()
            drivers = gr.Plot(label="Drivers", show_label=False)
            analyst_summary = gr.Markdown()
            with gr.Accordion("Analyst details", open=False):
                analyst_detail = gr.Markdown()
            reasons_summary = gr.Markdown()
            with gr.Accordion("Reasoning details", open=False):
                reasons_detail = gr.Markdown()
            campaign_summary = gr.Markdown()
            with gr.Accordion("Campaign details", open=False):
                campaign_detail = gr.Markdown()
            gr.Markdown("### 4 · Communication")
            email = gr.Textbox(
                label="Email", lines=8, buttons=["copy"], interactive=False, elem_id="email"
            )
            with gr.Row():
                sms = gr.Textbox(
                    label="SMS", lines=2, buttons=["copy"], interactive=False, elem_id="sms"
                )
                sms_count = gr.Markdown(elem_id="sms-count")
            script = gr.Textbox(label="Call script", lines=10, buttons=["copy"], interactive=False)
            download = gr.DownloadButton(
                "⬇ Download the analysis (JSON)", value=None, interactive=False
            )

        with gr.Tab("Ask"):
            thread_store = gr.BrowserState(None, storage_key="crm-agents-chat-thread")
            thread = gr.Textbox(visible=False)
            chatbot = gr.Chatbot(label="Ask about any customer", height=480, elem_id="chatbot")
            with gr.Row():
                question = gr.Textbox(
                    placeholder="e.g. Who is most likely to leave? · 列出前 5 名高風險客戶",
                    show_label=False,
                    scale=4,
                )
                ask_button = gr.Button("Ask", variant="primary", scale=0)
                new_button = gr.Button("New conversation", scale=0)

        with gr.Tab("Portfolio"):
            matrix_chart = gr.Plot(show_label=False)
            matrix_table = gr.Dataframe(
                label="Risk × value: customers, monthly revenue and revenue at risk",
                interactive=False,
            )
            with gr.Row():
                top_risk = gr.Dropdown(
                    [ANY, "high", "medium", "low"], value=ANY, label="Risk level"
                )
                top_tier = gr.Dropdown([ANY, "high", "mid", "low"], value=ANY, label="Value tier")
                top_n = gr.Slider(5, 500, value=50, step=5, label="How many")
            top_table = gr.Dataframe(label="Most likely to churn", interactive=False)
            export = gr.DownloadButton("⬇ Export CSV", value=None)

        with gr.Tab("Trace"):
            gr.Markdown(
                "### The analysis graph\n```mermaid\n"
                + backend.analyzer.graph.get_graph().draw_mermaid()
                + "\n```"
            )
            gr.Markdown("### Last run")
            trace_table = gr.Dataframe(interactive=False, elem_id="trace")
            trace_json = gr.JSON(label="Tool calls, LLM calls and fallbacks of the last run")

        # ---- Analyze ----------------------------------------------------------------------
        outputs = [
            status,
            profile,
            gauge,
            badges,
            drivers,
            analyst_summary,
            analyst_detail,
            reasons_summary,
            reasons_detail,
            campaign_summary,
            campaign_detail,
            email,
            sms,
            sms_count,
            script,
            download,
            trace_table,
            trace_json,
            last_result,
        ]

        def refused(message: str) -> dict:
            """One clear message in the status line, every panel of an earlier customer cleared."""
            log.warning("analysis refused: %s", message.replace("\n", " "))
            cleared: dict = {component: None for component in outputs}
            return cleared | {
                status: f"⚠️ {views.md(message)}",
                sms_count: "",
                download: gr.DownloadButton(value=None, interactive=False),
            }

        def analyze(customer_id: str | None, lang: str):
            """Run the four-agent analysis of one customer, streaming node by node."""
            if not customer_id:
                yield refused("Pick a customer ID first (or press Random customer).")
                return
            try:
                stream = backend.analyzer.stream(customer_id, language=lang)
                done: list[str] = []
                yield {
                    status: views.progress(
                        backend.nodes, done, running="analyst", customer_id=customer_id
                    )
                }
                for item in stream:
                    if isinstance(item, AnalysisResult):
                        yield _render(backend, item, done)
                        return
                    node, update = item
                    done.append(node)
                    following = {
                        "analyst": "reasoning",
                        "reasoning": "campaign",
                        "campaign": "communication",
                    }.get(node)
                    changes: dict = {
                        status: views.progress(
                            backend.nodes, done, running=following, customer_id=customer_id
                        )
                    }
                    if node == "analyst":
                        changes |= _analyst_view(update["profile"], update["risk"])
                    yield changes
            except CustomerNotFoundError as err:
                yield refused(str(err))

        def _analyst_view(customer_profile, risk) -> dict:
            return {
                profile: views.profile_table(customer_profile),
                gauge: charts.churn_gauge(risk, backend.settings),
                badges: views.badges(risk),
                drivers: charts.driver_chart(risk),
                analyst_summary: views.analyst_summary(risk),
                analyst_detail: views.analyst_detail(risk),
            }

        def _render(backend: Backend, result: AnalysisResult, done: list[str]) -> dict:
            skipped_note = next((s.note for s in result.trace if s.status == "skipped"), None)
            # The whole result again, so an API caller (who sees only the last update) gets it all.
            customer_profile = backend.service.profile(result.customer_id)
            return {
                **_analyst_view(customer_profile, result.risk),
                status: views.progress(
                    backend.nodes, done, skipped=result.skipped, customer_id=result.customer_id
                )
                + views.fallbacks(result.trace),
                reasons_summary: views.reasons_summary(result.reasons),
                reasons_detail: views.reasons_detail(result.reasons),
                campaign_summary: views.campaign_summary(
                    result.campaign, result.skipped, skipped_note
                ),
                campaign_detail: views.campaign_detail(result.campaign, result.language),
                email: views.email_text(result.communications),
                sms: views.sms_text(result.communications),
                sms_count: views.sms_count(result.communications),
                script: views.call_script_text(result.communications),
                download: gr.DownloadButton(
                    value=backend.save(
                        f"analysis-{result.customer_id}.json",
                        result.model_dump_json(indent=2),
                    ),
                    interactive=True,
                ),
                trace_table: views.trace_table(result.trace),
                trace_json: result.model_dump(
                    mode="json", include={"customer_id", "backend", "skipped", "trace"}
                ),
                last_result: result.customer_id,
            }

        analyze_button.click(analyze, [customer, language], outputs, api_name="analyze")
        customer.select(analyze, [customer, language], outputs, api_name=False)

        def random_customer(level: str) -> str:
            """A random customer ID, optionally of one risk level."""
            scores = service.scores()
            if level != ANY:
                scores = scores[scores["risk_level"] == level]
            if scores.empty:
                raise gr.Error(f"No customer is at {html_text(level)} risk.")
            return random.choice(scores["customerID"].tolist())

        random_button.click(
            random_customer, risk_filter, customer, api_name="random_customer"
        ).then(analyze, [customer, language], outputs, api_name=False)

        # ---- Ask -------------------------------------------------------------------------
        def _history(thread_id: str) -> list[dict]:
            state = backend.chat.get_state({"configurable": {"thread_id": thread_id}})
            return views.chat_messages(state.values.get("messages", []))

        def ask(message: str, thread_id: str, lang: str):
            """Answer one chat question in the given conversation thread."""
            if not thread_id:
                thread_id = uuid.uuid4().hex
            if not message.strip():
                return _history(thread_id), "", thread_id
            backend.chat.invoke(
                {"messages": [HumanMessage(message)], "language": lang, "fallback": None},
                {"configurable": {"thread_id": thread_id}},
            )
            return _history(thread_id), "", thread_id

        def load_thread(thread_id: str | None):
            """The stored conversation of a thread (a new thread when there is none)."""
            thread_id = thread_id or uuid.uuid4().hex
            return thread_id, thread_id, _history(thread_id)

        def new_thread():
            thread_id = uuid.uuid4().hex
            return thread_id, thread_id, []

        ask_event = dict(
            fn=ask, inputs=[question, thread, language], outputs=[chatbot, question, thread]
        )
        ask_button.click(**ask_event, api_name="ask")
        question.submit(**ask_event, api_name=False)
        new_button.click(new_thread, None, [thread, thread_store, chatbot], api_name=False)
        demo.load(
            load_thread, thread_store, [thread, thread_store, chatbot], api_name="load_thread"
        )

        # ---- Portfolio -----------------------------------------------------------------------
        def portfolio(level: str, tier: str, n: float):
            """The top at-risk customers, filtered, and a CSV of the same rows."""
            table = at_risk_table(
                service, int(n), None if level == ANY else level, None if tier == ANY else tier
            )
            path = backend.save("at-risk-customers.csv", to_csv_text(table))
            return table, path

        for control in (top_risk, top_tier, top_n):
            control.change(
                portfolio, [top_risk, top_tier, top_n], [top_table, export], api_name=False
            )
        demo.load(portfolio, [top_risk, top_tier, top_n], [top_table, export], api_name="portfolio")

        # ---- after login: everything that comes from the data --------------------------------
        def session_start():
            """The header, the ID picker's choices, an example question and the portfolio."""
            matrix = risk_value_matrix(service)
            example = service.example_id()
            return (
                backend.header(),
                gr.Dropdown(choices=service.customers.index.tolist()),
                gr.Textbox(placeholder=f"e.g. Why will {example} churn? · 列出前 5 名高風險客戶"),
                charts.portfolio_matrix(matrix),
                matrix,
            )

        demo.load(
            session_start,
            None,
            [header, customer, question, matrix_chart, matrix_table],
            api_name="session_start",
        )

    return demo


class PortInUseError(OSError):
    """The port the app should listen on is taken."""


def check_port_free(host: str, port: int) -> None:
    with socket.socket() as probe:
        try:
            probe.bind((host, port))
        except OSError:
            raise PortInUseError(
                f"port {port} on {host} is already in use (another app or an earlier run?). "
                f"Choose another: `make run PORT={port + 1}`, `python app.py --port {port + 1}` "
                f"or CRM_PORT={port + 1}."
            ) from None


def launch(settings: Settings, *, block: bool = True) -> gr.Blocks:
    check_port_free(settings.host, settings.port)
    backend = Backend.start(settings)
    demo = build_app(backend)
    demo.queue(default_concurrency_limit=4)
    demo.launch(
        server_name=settings.host,
        server_port=settings.port,
        auth=settings.auth_pair,
        share=settings.share,
        prevent_thread_lock=not block,
        allowed_paths=[str(backend.files)],
        footer_links=["api"],
        quiet=False,
    )
    return demo


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description="CRM Retention Agents app")
    parser.add_argument("--data", type=Path, help="Telco CSV (default: settings, data/raw, demo)")
    parser.add_argument("--host", help="address to bind (default 127.0.0.1, CRM_HOST)")
    parser.add_argument("--port", type=int, help="port (default 7860, CRM_PORT)")
    parser.add_argument(
        "--lang", choices=["en", "zh-TW"], help="language of generated texts (CRM_LANGUAGE)"
    )
    parser.add_argument(
        "--share", action="store_true", help="also open a public Gradio share link (CRM_SHARE)"
    )
    args = parser.parse_args(argv)
    try:
        _launch_from(args)
    except (
        ModelArtifactError,
        DataValidationError,
        MissingLabelsError,
        SettingsError,
        OSError,
    ) as err:
        print(f"Error: {err}", file=sys.stderr)
        raise SystemExit(2) from None


def _launch_from(args: argparse.Namespace) -> None:
    overrides = {"share": True} if args.share else {}
    overrides |= {
        k: v
        for k, v in {
            "data_path": args.data,
            "host": args.host,
            "port": args.port,
            "language": args.lang,
        }.items()
        if v is not None
    }
    launch(Settings(**overrides))


if __name__ == "__main__":
    main()
