"""What each agent hands on: its facts (computed by code) and its words (written by a backend).

`*Draft` models are the words only: what an LLM is asked for, and what the offline writer
produces. The output models join those words to the facts they describe.
"""

from __future__ import annotations

from pydantic import BaseModel, Field, model_validator

from core.languages import spec
from core.types import Language
from models.segments import RiskLevel, ValueTier
from tools.schemas import Driver, OfferOption, SegmentChurn, ValueBasis
from tools.timing_schemas import NextStep, TimeToChurn

# GSM 03.38 basic set, and the extension set whose characters take two places.
_GSM7_BASIC = set(
    "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?¡ABCDEFGHIJKLMNOPQRSTUVWXYZ"
    "ÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà"
)
_GSM7_EXTENDED = set("^{}\\[~]|€")


def sms_limit(language: Language) -> int:
    """Characters one SMS segment holds in the language's alphabet (160 GSM-7, 70 UCS-2)."""
    return spec(language).sms_limit


def sms_length(text: str, language: Language) -> int:
    """Characters as the network counts them: GSM-7 (extension = 2) for a language sent in it,
    else UCS-2."""
    if spec(language).sms_alphabet == "gsm7":
        return sum(2 if c in _GSM7_EXTENDED else 1 for c in text)
    return len(text.encode("utf-16-le")) // 2


def sms_problem(text: str, language: Language) -> str | None:
    if not text.strip():
        return "the SMS is empty"
    if spec(language).sms_alphabet == "gsm7":
        bad = sorted({c for c in text if c not in _GSM7_BASIC and c not in _GSM7_EXTENDED})
        if bad:
            name = spec(language).name
            return f"the {name} SMS has characters outside GSM-7: {''.join(bad)!r}"
    length, limit = sms_length(text, language), sms_limit(language)
    if length > limit:
        return f"the SMS is {length} characters; one {language} segment allows {limit}"
    return None


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


class Communications(BaseModel):
    offer_id: str
    email: Email
    sms: Sms
    call_script: CallScript
    written_by: str
