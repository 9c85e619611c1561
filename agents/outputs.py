"""What each agent hands on: its facts (computed by code) and its words (written by a backend).

`*Draft` models are the words only: what an LLM is asked for, and what the offline writer
produces. The output models join those words to the facts they describe.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from core.sms import sms_length, sms_limit, sms_problem
from core.types import Language
from models.segments import RiskLevel, ValueTier
from tools.schemas import Driver, OfferOption, SegmentChurn, ValueBasis
from tools.timing_schemas import NextStep, TimeToChurn

# ---- drafts: the words ------------------------------------------------------------------


class AnalystDraft(BaseModel):
    summary: str = Field(description="One sentence for a manager")
    detail: str = Field(description="A short paragraph: the score, the value and the drivers")


class ReasoningDraft(BaseModel):
    explanations: list[str] = Field(description="One plain-words explanation per given reason")
    warning_signs: list[str] = Field(description="Behaviour warning signs, may be empty")
    background: str = Field(description="Two sentences of context about the customer")


class CampaignDraft(BaseModel):
    why_it_fits: str = Field(description="Why the chosen offer fits this customer")


class ObjectionAnswer(BaseModel):
    objection: str
    answer: str


class CommunicationDraft(BaseModel):
    email_subject: str
    email_body: str
    sms: str
    call_greeting: str
    call_reason: str
    call_offer: str
    objections: list[ObjectionAnswer] = Field(description="The three likeliest objections")
    call_close: str

    def script_text(self) -> str:
        """The call script as the results store and call lists keep it."""
        return CallScript(
            greeting=self.call_greeting,
            reason_for_call=self.call_reason,
            offer=self.call_offer,
            objections=self.objections,
            close=self.call_close,
        ).as_text()


# ---- outputs: facts + words ---------------------------------------------------------------


class RiskAssessment(BaseModel):
    customer_id: str
    probability: float = Field(ge=0, le=1, description="Churn probability")
    risk_level: RiskLevel
    value_tier: ValueTier
    value_basis: ValueBasis | None = Field(None, description="What the value tier is cut on")
    monthly_charges: float
    value_at_risk: float = Field(description="Revenue over the CLV horizon")
    clv_horizon_months: int
    lifetime: TimeToChurn | None = Field(
        None, description="When the customer is likely to leave, and lifetime value"
    )
    next_step: NextStep | None = Field(
        None,
        description="The one thing to do: the risk level gates, the timing orders (None only "
        "in analyses saved before it existed)",
    )
    top_drivers: list[Driver] = Field(description="Strongest pushes towards churn")
    protective_drivers: list[Driver] = Field(description="Strongest pulls away from churn")
    actionable_driver: Driver | None = Field(
        None, description="Strongest push towards churn that an offer can change"
    )
    similar: SegmentChurn | None = Field(None, description="How often similar customers leave")
    model: str
    data_source: str = Field(description="Where the customer data came from, simulated parts named")
    summary: str
    detail: str
    written_by: str


class Reason(BaseModel):
    feature: str
    title: str
    evidence: str = Field(description="The customer's own values behind the reason")
    explanation: str
    contribution: float
    simulated: bool = False


class ChurnReasons(BaseModel):
    reasons: list[Reason] = Field(max_length=4)
    warning_signs: list[str]
    background: str
    simulated_signals: list[str] = Field(description="Behaviour signals that were simulated")
    written_by: str


class CampaignPlan(BaseModel):
    offer: OfferOption
    offer_title: str = Field(description="The chosen offer's title in the output language")
    runners_up: list[OfferOption]
    worth_its_cost: bool = Field(description="True when the chosen offer's expected value > 0")
    why_it_fits: str
    value_at_risk: float
    budget_cap: float
    ineligible: dict[str, str]
    caveat: str
    written_by: str
    #: How the offer was chosen: the what-if re-score (expected value), or uplift × lifetime
    #: value learned from a measured campaign (`CRM_OFFER_RANKING=uplift`).
    estimate: Literal["what_if", "uplift"] = "what_if"
    uplift: float | None = Field(None, description="Learned effect on staying (uplift ranking)")
    uplift_value: float | None = Field(None, description="uplift × lifetime value − cost")


class Email(BaseModel):
    subject: str = Field(min_length=1)
    body: str = Field(min_length=1)


class Sms(BaseModel):
    text: str
    language: Language
    length: int = 0
    limit: int = 0

    @model_validator(mode="after")
    def _fits_one_segment(self) -> Sms:
        problem = sms_problem(self.text, self.language)
        if problem:
            raise ValueError(problem)
        self.length = sms_length(self.text, self.language)
        self.limit = sms_limit(self.language)
        return self


class CallScript(BaseModel):
    greeting: str
    reason_for_call: str
    offer: str
    objections: list[ObjectionAnswer] = Field(min_length=3, max_length=3)
    close: str

    def as_text(self) -> str:
        """One line per part, as the results store and call lists keep it."""
        return "\n".join(
            [self.greeting, self.reason_for_call, self.offer]
            + [f"{o.objection} — {o.answer}" for o in self.objections]
            + [self.close]
        )


class Communications(BaseModel):
    offer_id: str
    email: Email
    sms: Sms
    call_script: CallScript
    written_by: str


# ---- approval: a person's decision on the messages ----------------------------------------

#: The decisions of LangChain's Agent Inbox: send as written, send as edited, send back with
#: a note, or drop.
ReviewDecision = Literal["accept", "edit", "respond", "ignore"]


class MessageEdit(BaseModel):
    """What a reviewer may change; a field left out keeps the draft's words. A new `offer_id`
    (one of the customer's eligible offers) has the messages written again for it."""

    model_config = ConfigDict(extra="forbid")

    offer_id: str | None = None
    email_subject: str | None = None
    email_body: str | None = None
    sms: str | None = None
    call_greeting: str | None = None
    call_reason: str | None = None
    call_offer: str | None = None
    objections: list[ObjectionAnswer] | None = None
    call_close: str | None = None

    def changed(self) -> list[str]:
        return [name for name, value in self if value is not None]


class ReviewResponse(BaseModel):
    """A reviewer's answer to the approval step: Agent Inbox's `type` and `args` (for an
    edit the changes, also as its `{"action": ..., "args": {...}}`; for a respond the note),
    and who answered when."""

    model_config = ConfigDict(extra="forbid")

    type: ReviewDecision
    args: MessageEdit | str | None = None
    by: str = Field(min_length=1, max_length=200, description="Who decided")
    at: datetime = Field(description="When they decided")

    @model_validator(mode="before")
    @classmethod
    def _unwrap_action(cls, data: Any) -> Any:
        args = data.get("args") if isinstance(data, dict) else None
        if isinstance(args, dict) and set(args) == {"action", "args"}:
            data = {**data, "args": args["args"]}
        return data

    @model_validator(mode="after")
    def _args_fit_the_type(self) -> ReviewResponse:
        if self.type == "edit" and not (isinstance(self.args, MessageEdit) and self.args.changed()):
            raise ValueError("an edit gives at least one changed field in args")
        if self.type == "respond" and not (isinstance(self.args, str) and self.args.strip()):
            raise ValueError("a respond gives its note as args (text)")
        if self.type in ("accept", "ignore") and self.args not in (None, ""):
            raise ValueError(f"{self.type} takes no args")
        return self


class RefusedEdit(BaseModel):
    by: str
    at: datetime
    problems: list[str]


class Approval(BaseModel):
    """What a person decided on the messages; only accept and edit make them ready to send."""

    decision: ReviewDecision
    by: str
    at: datetime
    note: str | None = None
    edited: list[str] = Field(default_factory=list, description="The fields the reviewer changed")
    refused: list[RefusedEdit] = Field(
        default_factory=list, description="Earlier edits refused by the checks, with why"
    )

    @property
    def ready_to_send(self) -> bool:
        return self.decision in ("accept", "edit")
