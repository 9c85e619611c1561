"""What each Analyze panel shows for a result, a refusal or a step in progress, by panel name;
`OUTPUTS` is the panels' order in the `/analyze` API. The API's `trace_*` outputs are the Trace
tab's panels (`trace.*`), worded by that tab's own `render`."""

from __future__ import annotations

import logging
from typing import Any

import gradio as gr
from sqlalchemy.exc import SQLAlchemyError

from agents.present.health_words import history_lines
from core.i18n import t
from core.types import Language
from crm_agents.store.database import StoreError
from graph.analysis import AnalysisResult
from ui import charts, views
from ui.backend import Backend
from ui.tabs import trace

log = logging.getLogger("crm_agents.app")

#: The `/analyze` endpoint's outputs, in order (an API client reads them by this position).
OUTPUTS = (
    "status",
    "profile",
    "gauge",
    "badges",
    "drivers",
    "analyst_summary",
    "analyst_detail",
    "reasons_summary",
    "reasons_detail",
    "campaign_summary",
    "campaign_detail",
    "email",
    "sms",
    "sms_count",
    "script",
    "download",
    "trace_table",
    "trace_json",
    "no_action",
    "email_file",
    "sms_file",
    "script_file",
    "trace_diagram",
    "trace_timeline",
    "trace_fallbacks",
    "trace_tools",
    "trace_llm",
    "survival",
    "risk_history",
    "last_result",  # a State (the result itself): the API does not show it
)
_TRACE = "trace_"


def element(output: str) -> str:
    """The component an `/analyze` output lands in, by its name in the page's manager."""
    if output.startswith(_TRACE):
        return f"{trace.NAME}.{output.removeprefix(_TRACE)}"
    return f"analyze.{output}"


def _trace_outputs(values: dict[str, Any]) -> dict[str, Any]:
    """The Trace tab's panels, its diagram included, from here."""
    return {f"{_TRACE}{name}": value for name, value in values.items()}


class AnalyzePanels:
    """What each panel shows for a result, by panel name."""

    def __init__(self, backend: Backend) -> None:
        self.backend = backend

    def refused(self, message: str, lang: Language) -> dict[str, Any]:
        """One clear message in the status line, every panel of an earlier customer cleared."""
        log.warning("analysis refused: %s", message.replace("\n", " "))
        return {name: None for name in OUTPUTS} | {
            **_trace_outputs(trace.render(self.backend, None, lang)),
            "status": f"⚠️ {views.md(message)}",
            "gauge": gr.Plot(value=None, visible=False),
            "drivers": gr.Plot(value=None, visible=False),
            "survival": gr.Plot(value=None, visible=False),
            "sms_count": "",
            "download": gr.DownloadButton(value=None, interactive=False),
            **{
                name: gr.DownloadButton(value=None, interactive=False)
                for name in ("email_file", "sms_file", "script_file")
            },
            "messages": gr.Column(visible=False),
            "no_action": gr.Markdown(value="", visible=False),
        }

    def analyst(self, profile, risk, lang: Language) -> dict[str, Any]:
        return {
            "profile": views.profile_table(profile, lang),
            "gauge": gr.Plot(charts.churn_gauge(risk, self.backend.settings, lang), visible=True),
            "badges": views.badges(risk, lang),
            "drivers": gr.Plot(charts.driver_chart(risk, lang), visible=True),
            "survival": gr.Plot(
                charts.survival_curves(risk.lifetime, lang) if risk.lifetime else None,
                visible=risk.lifetime is not None,
            ),
            "analyst_summary": views.analyst_summary(risk, lang),
            "analyst_detail": views.analyst_detail(risk, lang),
            "risk_history": self.history(profile.customer_id, lang),
        }

    def history(self, customer_id: str, lang: Language) -> str:
        """The customer's risk run by run and why it changed; nothing when the results database
        cannot be read (the analysis does not depend on it)."""
        try:
            history = self.backend.service.risk_history(customer_id)
        except (StoreError, SQLAlchemyError) as err:
            log.warning("risk history unavailable: %s", type(err).__name__)
            return ""
        if not history.points:
            return ""  # no batch run yet: nothing to show, nothing to explain
        lines = history_lines(history, lang)
        return f"#### {t('ui.analyze.history', lang)}\n\n" + "\n\n".join(views.md(x) for x in lines)

    def progress(
        self, done: list[str], customer_id: str, lang: Language, running: str | None = None
    ) -> str:
        return views.progress(
            self.backend.nodes, done, lang, running=running, customer_id=customer_id
        )

    def result(self, result: AnalysisResult, done: list[str]) -> dict[str, Any]:
        """The whole result again, so an API caller (who sees only the last update) gets it all."""
        backend, lang = self.backend, result.language
        # Messages not decided on wait for a person (in a campaign): not a step still to come.
        waiting = ["approval"] if result.awaiting_approval else []
        status = views.progress(
            backend.nodes,
            done,
            lang,
            skipped=result.skipped,
            customer_id=result.customer_id,
            waiting=waiting,
        )
        saved = backend.save(
            f"analysis-{result.customer_id}.json", result.model_dump_json(indent=2)
        )
        texts = {
            "email": views.email_text(result.communications, lang),
            "sms": views.sms_text(result.communications),
            "script": views.call_script_text(result.communications, lang),
        }
        files = {
            f"{name}_file": gr.DownloadButton(
                value=backend.save(f"{name}-{result.customer_id}.txt", text) if text else None,
                interactive=bool(text),
            )
            for name, text in texts.items()
        }
        return {
            **files,
            **texts,
            **self.analyst(backend.service.profile(result.customer_id), result.risk, lang),
            "status": status + views.drafts(result, lang) + views.fallbacks(result.trace, lang),
            "reasons_summary": views.reasons_summary(result.reasons, lang),
            "reasons_detail": views.reasons_detail(result.reasons, lang),
            "campaign_summary": views.campaign_summary(
                result.campaign, result.risk.risk_level, lang
            ),
            "campaign_detail": views.campaign_detail(
                result.campaign, backend.assembly.playbook, lang
            ),
            "sms_count": views.sms_count(result.communications, lang),
            "download": gr.DownloadButton(value=saved, interactive=True),
            **_trace_outputs(trace.render(backend, result, lang)),
            "last_result": result,
            # Nothing to send: one card that says so and when to look again, not empty boxes.
            "messages": gr.Column(visible=result.communications is not None),
            "no_action": gr.Markdown(
                value=views.no_action(result.risk, lang) if result.communications is None else "",
                visible=result.communications is None,
            ),
        }
