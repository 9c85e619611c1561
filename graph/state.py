"""The state of one customer analysis as it flows through the graph."""

from __future__ import annotations

import operator
from typing import Annotated

from typing_extensions import TypedDict  # pydantic builds schemas from it on Python 3.11

from agents.outputs import CampaignPlan, ChurnReasons, Communications, RiskAssessment
from agents.trace import TraceStep
from core.types import Language
from tools.schemas import CustomerProfile


class AnalysisInput(TypedDict):
    customer_id: str
    language: Language


class AnalysisState(TypedDict, total=False):
    customer_id: str
    language: Language
    profile: CustomerProfile
    risk: RiskAssessment
    reasons: ChurnReasons
    campaign: CampaignPlan | None
    communications: Communications
    #: One step per node that ran, in order; each node appends its own.
    trace: Annotated[list[TraceStep], operator.add]
