"""What the campaign routes take and answer: the campaign loop's objects as an integrator sees
them (the store's rows and the graph's pauses, typed)."""

from __future__ import annotations

from datetime import date
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from agents.outputs import Approval, MessageEdit, ReviewDecision
from crm_agents.api.schemas import Moment
from graph.analysis import AnalysisResult

MOST_ROWS = 100_000


class Campaign(BaseModel):
    id: int
    name: str
    status: Literal["draft", "approval", "ready", "exported", "measuring", "closed"]
    run_id: int = Field(description="The batch run whose analyses it draws on")
    offers: list[str] = Field(description="Offer ids; empty: each customer's best")
    min_risk: str
    budget: float | None
    channels: list[str]
    starts_on: date
    ends_on: date
    owner: str
    holdout_share: float
    treated: int
    control: int
    approvals: dict[str, int] = Field(description="Items per approval status")


class Member(BaseModel):
    customer_id: str
    arm: Literal["treated", "control"]
    offer_id: str | None = Field(description="The offer a treated customer gets; a control would")


class ApprovalItem(BaseModel):
    customer_id: str
    status: Literal["pending", "deciding", "accept", "edit", "respond", "ignore"]
    offer_id: str | None
    decided_by: str | None = None
    decided_at: Moment | None = None
    note: str | None = None


class Draft(BaseModel):
    """The messages waiting for a decision."""

    offer_id: str
    offers: list[str] = Field(description="The offers an edit may choose (the chosen one first)")
    email_subject: str
    email_body: str
    sms: str
    call_script: str


class ApprovalState(BaseModel):
    """One item as the graph holds it: pending with its draft (and why an edit was refused),
    or decided with the decision and the messages as approved."""

    campaign_id: int
    customer_id: str
    status: Literal["pending", "decided"]
    draft: Draft | None = None
    problems: list[str] = Field(default_factory=list, description="Why the last edit was refused")
    approval: Approval | None = None
    result: AnalysisResult | None = Field(None, description="Once decided: the whole analysis")


class Decision(BaseModel):
    """Agent Inbox's answer: accept, edit (the changes), respond (a note) or ignore."""

    model_config = ConfigDict(extra="forbid")

    type: ReviewDecision
    edit: MessageEdit | None = Field(None, description="For edit: the fields changed")
    note: str | None = Field(None, max_length=2000, description="For respond: the note")


class AcceptAll(BaseModel):
    customers: list[str] | None = Field(
        None, max_length=MOST_ROWS, description="Only these; none: every pending item"
    )


class AcceptedAll(BaseModel):
    accepted: list[str]
    left: dict[str, str] = Field(description="Customer → why the item was left pending")


class Suppressed(BaseModel):
    customer_id: str = Field(min_length=1, max_length=64)
    channel: Literal["email", "sms", "call"] | None = Field(None, description="None: every one")


class ExportRequest(BaseModel):
    send_at: str | None = Field(
        None, pattern=r"^\d{2}:\d{2}$", description="When it is sent, HH:MM (quiet hours apply)"
    )
    suppression: list[Suppressed] = Field(default_factory=list, max_length=MOST_ROWS)


class Exclusions(BaseModel):
    reason: str
    channel: str
    customers: int


class Exported(BaseModel):
    campaign_id: int
    contacts: dict[str, int] = Field(description="Customers to contact per channel")
    excluded: list[Exclusions] = Field(description="Customers kept off, per reason and channel")
    files: dict[str, str] = Field(description="Each file's download path (CSV)")


class Outcome(BaseModel):
    customer_id: str = Field(min_length=1, max_length=64)
    outcome: Literal["retained", "churned"]
    date: date


class OutcomesRequest(BaseModel):
    outcomes: list[Outcome] = Field(min_length=1, max_length=MOST_ROWS)


class OutcomesImported(BaseModel):
    campaign_id: int
    stored: int
    status: str
