"""The analysis graph: analyst → reasoning → campaign → communication → approval.

Low-risk customers end after reasoning ("monitor, no action"): no offer, no message. A customer
with no eligible offer within budget ends after campaign. A run that asks for review pauses at
`approval` until a person decides (`graph/review.py` resumes it); in one that does not,
`approval` does nothing and the messages stay drafts. `build_analysis_graph` wires the nodes
to the live objects the composition root made; `Analyzer` is what the CLI, the app and the
batch job call.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from functools import partial
from typing import Any, Literal

from langgraph.checkpoint.base import BaseCheckpointSaver
from langgraph.graph import END, START, StateGraph
from langgraph.graph.state import CompiledStateGraph
from langgraph.types import Overwrite
from pydantic import BaseModel

from agents.context import Context
from agents.kit import Kits
from agents.nodes.analyst import analyst
from agents.nodes.approval import approval
from agents.nodes.campaign import campaign
from agents.nodes.communication import communication
from agents.nodes.reasoning import reasoning
from agents.outputs import (
    Approval,
    CampaignPlan,
    ChurnReasons,
    Communications,
    RiskAssessment,
)
from agents.state import AnalysisInput, AnalysisOutput, AnalysisState
from agents.trace import OFFLINE, TraceStep, step_note
from core.types import Language


def route_by_risk(state: AnalysisState) -> Literal["campaign", "__end__"]:
    """Only customers at medium or high risk get a campaign."""
    return END if state["risk"].risk_level == "low" else "campaign"


def route_by_offer(state: AnalysisState) -> Literal["communication", "__end__"]:
    """No message without an offer to deliver."""
    return "communication" if state.get("campaign") is not None else END


def build_analysis_graph(
    kits: Kits, checkpointer: BaseCheckpointSaver | None = None
) -> CompiledStateGraph:
    """The graph; with a checkpointer, a run paused at approval can be resumed later."""
    builder = StateGraph(
        AnalysisState,
        context_schema=Context,
        input_schema=AnalysisInput,
        output_schema=AnalysisOutput,
    )
    builder.add_node("analyst", partial(analyst, kits=kits))
    builder.add_node("reasoning", partial(reasoning, kits=kits))
    builder.add_node("campaign", partial(campaign, kits=kits))
    builder.add_node("communication", partial(communication, kits=kits))
    # The node ends the run, or sends it back to communication when the reviewer changes offer.
    builder.add_node("approval", partial(approval, kits=kits), destinations=("communication", END))
    builder.add_edge(START, "analyst")
    builder.add_edge("analyst", "reasoning")
    builder.add_conditional_edges("reasoning", route_by_risk, ["campaign", END])
    builder.add_conditional_edges("campaign", route_by_offer, ["communication", END])
    builder.add_edge("communication", "approval")
    return builder.compile(checkpointer=checkpointer, name="analysis")


def node_order(graph: CompiledStateGraph) -> tuple[str, ...]:
    """The graph's agent nodes in the order they were wired (for progress and the trace)."""
    return tuple(name for name in graph.nodes if not name.startswith("__"))


class AnalysisResult(BaseModel):
    customer_id: str
    language: Language
    backend: str
    risk: RiskAssessment
    reasons: ChurnReasons
    campaign: CampaignPlan | None
    communications: Communications | None
    #: A person's decision; None: the messages (if any) are drafts, not ready to send.
    approval: Approval | None = None
    skipped: list[str]
    trace: list[TraceStep]

    @property
    def awaiting_approval(self) -> bool:
        """Messages written and not decided on: drafts, waiting for a person."""
        return self.communications is not None and self.approval is None


def who_wrote(configured: str, trace: list[TraceStep]) -> str:
    """Who actually wrote the texts: the configured writer, the offline writer that replaced
    it, or both (the trace says which section each wrote)."""
    writers = {s.written_by for s in trace if s.written_by}
    if configured == OFFLINE or writers <= {configured}:
        return configured
    if writers == {OFFLINE}:
        return f"{OFFLINE} (fallback: {configured} failed)"
    return f"{configured} (some sections by the {OFFLINE})"


def _result(state: dict[str, Any], backend: str, nodes: tuple[str, ...]) -> AnalysisResult:
    backend = who_wrote(backend, state["trace"])
    ran = [step.node for step in state["trace"]]
    # Messages not yet decided on wait for a person: approval is pending, not skipped.
    waiting = {"approval"} if state.get("communications") else set()
    skipped = [n for n in nodes if n not in ran and n not in waiting]
    trace = list(state["trace"])
    if skipped:
        key = "trace.low_risk" if state["risk"].risk_level == "low" else "trace.no_offer"
        trace += [TraceStep(node=n, status="skipped", **step_note(key)) for n in skipped]
    return AnalysisResult(
        customer_id=state["customer_id"],
        language=state["language"],
        backend=backend,
        risk=state["risk"],
        reasons=state["reasons"],
        campaign=state.get("campaign"),
        communications=state.get("communications"),
        approval=state.get("approval"),
        skipped=skipped,
        trace=trace,
    )


class Analyzer:
    """Runs the analysis graph for one customer at a time, with a context per run. Its runs do
    not pause for review: the messages are drafts until a person accepts them in a campaign
    (`graph/review.py`)."""

    def __init__(self, graph: CompiledStateGraph, kits: Kits) -> None:
        self.graph = graph
        self.kits = kits
        self.nodes = node_order(graph)

    def _start(
        self, customer_id: str, context: Context | None, language: Language | None
    ) -> tuple[dict, Context]:
        context = replace(context or Context(), review=False)
        if language is not None:
            context = replace(context, language=language)
        # Resolve first: an unknown ID is the caller's error, reported before any node runs.
        canonical = self.kits.kit_for(context).service.canonical_id(customer_id)
        return {"customer_id": canonical}, context

    def run(
        self, customer_id: str, context: Context | None = None, language: Language | None = None
    ) -> AnalysisResult:
        """`language`, when given, overrides the context's."""
        start, context = self._start(customer_id, context, language)
        state = self.graph.invoke(start, context=context)
        return _result(state, self.kits.kit_for(context).writer.describe(), self.nodes)

    def stream(
        self, customer_id: str, context: Context | None = None, language: Language | None = None
    ) -> Iterator[tuple[str, dict[str, Any]] | AnalysisResult]:
        """Each node's update as it finishes, then the whole result."""
        start, context = self._start(customer_id, context, language)
        state: dict[str, Any] = {}
        for mode, chunk in self.graph.stream(
            start, context=context, stream_mode=["updates", "values"]
        ):
            if mode == "values":
                state = chunk
                continue
            for node, update in chunk.items():
                if update:  # approval, in a run that does not pause for it, does nothing
                    yield node, _plain(update)
        yield _result(state, self.kits.kit_for(context).writer.describe(), self.nodes)


def _plain(update: dict[str, Any]) -> dict[str, Any]:
    """A node's update as its values (the analyst's trace comes wrapped in `Overwrite`)."""
    return {k: v.value if isinstance(v, Overwrite) else v for k, v in update.items()}
