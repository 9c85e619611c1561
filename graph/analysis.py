"""The analysis graph: analyst → reasoning → campaign → communication.

Low-risk customers end after reasoning ("monitor, no action"): no offer, no message. A customer
with no eligible offer within budget ends after campaign. `graph` is what `langgraph.json`
serves; `run_analysis` and `stream_analysis` are what the CLI, the app and the batch job call.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any, Literal

from langgraph.graph import END, START, StateGraph
from langgraph.graph.state import CompiledStateGraph
from pydantic import BaseModel

from agents.analyst import analyst
from agents.campaign import campaign
from agents.communication import communication
from agents.context import AnalysisContext
from agents.outputs import CampaignPlan, ChurnReasons, Communications, RiskAssessment
from agents.reasoning import reasoning
from agents.trace import TraceStep
from core.types import Language
from graph.state import AnalysisInput, AnalysisState

NODES = ("analyst", "reasoning", "campaign", "communication")
LOW_RISK_NOTE = "low risk: monitor, no action"


def route_by_risk(state: AnalysisState) -> Literal["campaign", "__end__"]:
    """Only customers at medium or high risk get a campaign."""
    return END if state["risk"].risk_level == "low" else "campaign"


def route_by_offer(state: AnalysisState) -> Literal["communication", "__end__"]:
    """No message without an offer to deliver."""
    return "communication" if state.get("campaign") is not None else END


def build_graph() -> CompiledStateGraph:
    builder = StateGraph(AnalysisState, context_schema=AnalysisContext, input_schema=AnalysisInput)
    builder.add_node("analyst", analyst)
    builder.add_node("reasoning", reasoning)
    builder.add_node("campaign", campaign)
    builder.add_node("communication", communication)
    builder.add_edge(START, "analyst")
    builder.add_edge("analyst", "reasoning")
    builder.add_conditional_edges("reasoning", route_by_risk, ["campaign", END])
    builder.add_conditional_edges("campaign", route_by_offer, ["communication", END])
    builder.add_edge("communication", END)
    return builder.compile(name="analysis")


graph = build_graph()


class AnalysisResult(BaseModel):
    customer_id: str
    language: Language
    backend: str
    risk: RiskAssessment
    reasons: ChurnReasons
    campaign: CampaignPlan | None
    communications: Communications | None
    skipped: list[str]
    trace: list[TraceStep]


def _result(state: dict[str, Any], context: AnalysisContext) -> AnalysisResult:
    ran = [step.node for step in state["trace"]]
    skipped = [n for n in NODES if n not in ran]
    trace = list(state["trace"])
    if skipped:
        note = LOW_RISK_NOTE if state["risk"].risk_level == "low" else "no eligible offer"
        trace += [TraceStep(node=n, status="skipped", note=note) for n in skipped]
    return AnalysisResult(
        customer_id=state["customer_id"],
        language=state["language"],
        backend=context.writer.describe(),
        risk=state["risk"],
        reasons=state["reasons"],
        campaign=state.get("campaign"),
        communications=state.get("communications"),
        skipped=skipped,
        trace=trace,
    )


def _start(customer_id: str, context: AnalysisContext, language: Language | None) -> dict:
    # Resolve first: an unknown ID is the caller's error, reported before any node runs.
    canonical = context.service.canonical_id(customer_id)
    return {"customer_id": canonical, "language": language or context.settings.language}


def run_analysis(
    customer_id: str, context: AnalysisContext, language: Language | None = None
) -> AnalysisResult:
    state = graph.invoke(_start(customer_id, context, language), context=context)
    return _result(state, context)


def stream_analysis(
    customer_id: str, context: AnalysisContext, language: Language | None = None
) -> Iterator[tuple[str, dict[str, Any]] | AnalysisResult]:
    """Each node's update as it finishes, then the whole result."""
    state: dict[str, Any] = {**_start(customer_id, context, language), "trace": []}
    for chunk in graph.stream(state, context=context, stream_mode="updates"):
        for node, update in chunk.items():
            for key, value in update.items():
                state[key] = state["trace"] + value if key == "trace" else value
            yield node, update
    yield _result(state, context)
