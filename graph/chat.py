"""The Ask tab's chat graph: assistant ⇄ tools, with a SQLite checkpointer per conversation.

The assistant is an LLM that chooses tools when one is configured, else the offline intent
router (`agents/chat/assistant.py`); both call the same read-only tools through a `ToolNode`.
"""

from __future__ import annotations

import sqlite3
from dataclasses import replace
from functools import cache, partial
from pathlib import Path
from typing import Annotated, Any

from langchain_core.tools import BaseTool
from langgraph.checkpoint.sqlite import SqliteSaver
from langgraph.graph import START, StateGraph
from langgraph.graph.state import CompiledStateGraph
from langgraph.prebuilt import InjectedState, ToolNode, tools_condition
from langgraph.runtime import get_runtime
from pydantic import Field

from agents.chat.answers.common import Reference
from agents.chat.assistant import make_assistant
from agents.context import Context
from agents.kit import AgentKit, Kits
from agents.llm.endpoint import Endpoint
from agents.state import ChatState
from core.settings import Settings
from core.types import Language
from graph.analysis import AnalysisResult, Analyzer
from tools.registry import structured_tool
from tools.schemas import CustomerIdArgs


class AnalyzeArgs(CustomerIdArgs):
    language: Language | None = Field(default=None, description="the answer's language code")
    #: Why this turn left the LLM (the graph fills it; the model never sees it): an analysis
    #: asked for in such a turn is written offline too, so a hung endpoint costs one budget.
    fallback: Annotated[str | None, InjectedState("fallback")] = None


def run_context() -> Context:
    """The context of the chat run this tool call belongs to (defaults outside a run)."""
    try:
        runtime = get_runtime(Context)
    except RuntimeError:  # called outside a graph run
        return Context()
    return (runtime.context if runtime is not None else None) or Context()


def analysis_payload(result: AnalysisResult) -> dict:
    """The analysis as the chat needs it: words and key figures, without the trace."""
    risk, reasons = result.risk, result.reasons
    campaign = result.campaign
    return {
        "customer_id": result.customer_id,
        "probability": risk.probability,
        "risk_level": risk.risk_level,
        "value_tier": risk.value_tier,
        "summary": risk.summary,
        "reasons": [{"title": r.title, "explanation": r.explanation} for r in reasons.reasons],
        "warning_signs": reasons.warning_signs,
        "skipped": result.skipped,
        "campaign": None
        if campaign is None
        else {
            "offer_title": campaign.offer_title,
            "total_cost": campaign.offer.total_cost,
            "expected_value": campaign.offer.expected_value,
            "worth_its_cost": campaign.worth_its_cost,
            "why_it_fits": campaign.why_it_fits,
        },
        "communications": None
        if result.communications is None
        else result.communications.model_dump(mode="json", exclude={"written_by", "offer_id"}),
    }


def chat_tools(kits: Kits, analyzer: Analyzer) -> list[BaseTool]:
    """The read-only tools and the full analysis, each answering under the run's context."""

    def reader(name: str):
        def call(**args):
            tool = getattr(kits.kit_for(run_context()).tools, name)
            return tool(**args).model_dump(mode="json")

        return call

    readers = [
        structured_tool(tool.name, tool.description, tool.args_schema, reader(tool.name))
        for tool in kits.default.tools.all()
    ]

    def analyze(
        customer_id: str, language: Language | None = None, fallback: str | None = None
    ) -> dict:
        context = run_context()
        if fallback:
            context = replace(context, backend="offline")
        return analysis_payload(analyzer.run(customer_id, context, language))

    analysis = structured_tool(
        "analyze_customer",
        "Run the full four-agent analysis of one customer: risk, reasons, offer, email, SMS "
        "and call script.",
        AnalyzeArgs,
        analyze,
    )
    return [*readers, analysis]


#: Columns the example questions segment and compare by (every Telco file has them).
_EXAMPLE_COLUMNS = ("Contract", "InternetService", "PaymentMethod")


def reference_of(kit: AgentKit) -> Reference:
    """What the help text's examples are built from, taken from the data in use."""
    customers = kit.service.customers
    if customers.empty:
        return Reference(kit.playbook)
    ids = customers.index
    scores = kit.service.scores()
    high = scores.loc[scores.risk_level == "high", "customerID"]
    among = customers.loc[high] if len(high) else customers
    counts = [(n, c, str(v)) for c in _EXAMPLE_COLUMNS for v, n in among[c].value_counts().items()]
    _, column, value = max(counts)
    return Reference(
        kit.playbook,
        (str(ids[0]), str(ids[min(1, len(ids) - 1)])),
        riskiest=str(scores.sort_values("churn_probability").customerID.iloc[-1]),
        segment=(column, value),
        group_by=next(c for c in _EXAMPLE_COLUMNS if c != column),
        has_labels=kit.service.data.has_labels,
    )


def make_chat_model(settings: Settings, endpoint: Endpoint | None = None) -> Any | None:
    """A ChatOpenAI client when an endpoint is configured, else None (offline router)."""
    if not settings.llm_configured:
        return None
    # No client retries: a failure counts towards the shared circuit breaker at once.
    return (endpoint or Endpoint(settings)).client(max_retries=0)


def open_checkpointer(path: Path) -> SqliteSaver:
    """One connection shared by Gradio's worker threads; `SqliteSaver` serialises its use
    with its own lock, so `check_same_thread` may be off."""
    path.parent.mkdir(parents=True, exist_ok=True)
    return SqliteSaver(sqlite3.connect(path, check_same_thread=False))


def build_chat_graph(
    kits: Kits,
    analyzer: Analyzer,
    checkpointer: SqliteSaver | None = None,
    model: Any | None = None,
    endpoint: Endpoint | None = None,
) -> CompiledStateGraph:
    """`endpoint` is the LLM endpoint `model` talks to; by default the analysis writer's, so
    both share one circuit breaker and what the endpoint was found to refuse."""
    tools = chat_tools(kits, analyzer)
    # "auto" said explicitly: some servers (llama.cpp) read a missing tool_choice as "none".
    bound = model.bind_tools(tools, tool_choice="auto") if model is not None else None
    builder = StateGraph(ChatState, context_schema=Context)
    kit = kits.default
    if bound is not None and endpoint is None:
        endpoint = kit.writer.endpoint or Endpoint(kit.settings)
    assistant = make_assistant(
        bound,
        cache(partial(reference_of, kit)),
        endpoint,
        kit.settings.redact,
        default_language=kit.settings.language,
        planner=kit.settings.chat_planner,
        phraser=model,
    )
    builder.add_node("assistant", assistant)
    builder.add_node("tools", ToolNode(tools, handle_tool_errors=True))
    builder.add_edge(START, "assistant")
    builder.add_conditional_edges("assistant", tools_condition)
    builder.add_edge("tools", "assistant")
    return builder.compile(checkpointer=checkpointer, name="chat")
