"""The state of one customer analysis as it flows through the graph.

It lives with the agents, not with the wiring in `graph/`, because the nodes are typed by it and
layers point down (graph → agents).
"""

from __future__ import annotations

import operator
from typing import Annotated, NotRequired

from langgraph.graph import MessagesState
from typing_extensions import TypedDict  # pydantic builds schemas from it on Python 3.11

from agents.outputs import (
    Approval,
    CampaignPlan,
    ChurnReasons,
    Communications,
    RiskAssessment,
)
from agents.trace import TraceStep
from core.types import Language
from tools.schemas import CustomerProfile


class AnalysisInput(TypedDict):
    """What a run is asked about. The language is a choice of the run: the context's."""

    customer_id: str


class AnalysisOutput(TypedDict, total=False):
    customer_id: str
    language: Language
    risk: RiskAssessment
    reasons: ChurnReasons
    campaign: CampaignPlan | None
    communications: Communications | None
    approval: Approval | None
    trace: list[TraceStep]


class AnalysisState(TypedDict, total=False):
    customer_id: str
    language: Language
    profile: CustomerProfile
    risk: RiskAssessment
    reasons: ChurnReasons
    campaign: CampaignPlan | None
    communications: Communications | None
    #: A person's decision on the messages (`approval` node); without one nothing is sent.
    approval: Approval | None
    #: One step per node that ran, in order: each node appends its own, and the analyst, first
    #: of a run, starts the list afresh (`Overwrite`), so a thread's second run shows only itself.
    trace: Annotated[list[TraceStep], operator.add]


class ChatState(MessagesState):
    #: The answers' language; without it, the context's, else the settings'.
    language: NotRequired[Language]
    #: Why this turn is answered offline (an LLM failure), shown with the answer.
    fallback: NotRequired[str | None]
    #: The LLM time this turn may spend: `{"question": <its question's message id>, "ends":
    #: <epoch seconds>}`, set by the turn's first model call; a new question starts a new budget.
    llm_budget: NotRequired[dict | None]
