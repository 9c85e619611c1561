"""Typed arguments and results of the tools. Every number here was computed by code."""

from typing import Literal

from pydantic import BaseModel, Field, field_validator

from core.languages import BASE_LANGUAGE
from core.types import Language
from data.schema import ACTIONABLE_FEATURES
from models.segments import RiskLevel, ValueTier
from tools.timing_schemas import Interval, TimeToChurn


def _normalise_id(value: str) -> str:
    # Only spacing: the service matches IDs without regard to case and keeps them as stored.
    return value.strip()


class CustomerIdArgs(BaseModel):
    customer_id: str = Field(
        # A shape, not an example ID: a small model copied the example into every call.
        description="Customer ID as the user or a tool result wrote it, like NNNN-XXXXX",
        min_length=1,
        max_length=64,
    )

    @field_validator("customer_id")
    @classmethod
    def _normalise(cls, value: str) -> str:
        return _normalise_id(value)


class OfferArgs(CustomerIdArgs):
    language: Language = Field(default=BASE_LANGUAGE, description="Language of the refusal reasons")


class WhatIfArgs(CustomerIdArgs):
    changes: dict[str, str | float] = Field(
        description=(
            'Features to change and their new values, e.g. {"Contract": "One year"} or '
            '{"TechSupport": "Yes", "PaymentMethod": "Credit card (automatic)"}'
        ),
        min_length=1,
    )


class AtRiskArgs(BaseModel):
    limit: int = Field(default=10, ge=1, le=500, description="How many customers to list")
    risk_level: RiskLevel | None = Field(default=None, description="Only this risk level")
    value_tier: ValueTier | None = Field(default=None, description="Only this value tier")
    order: Literal["probability", "urgency"] = Field(
        default="probability",
        description="probability: most likely to churn first; urgency: high risk before medium "
        "before low, then the lifetime value expected to leave within 90 days (needs the "
        "time-to-churn model)",
    )
    call_this_week_only: bool = Field(
        default=False,
        description="Only the customers to call this week: high risk and likely to leave "
        "within 90 days (needs the time-to-churn model)",
    )


class CustomerProfile(BaseModel):
    customer_id: str
    fields: dict[str, str | int | float] = Field(description="All Telco fields and the signals")
    simulated_signals: list[str] = Field(description="Signals simulated, not observed")
    data_source: str


class Driver(BaseModel):
    feature: str
    value: str | int | float = Field(description="The customer's own value of the feature")
    contribution: float = Field(description="Signed contribution to the churn log-odds")
    label: str = Field(description="Plain words for a manager")
    simulated: bool = Field(default=False, description="True for a simulated behaviour signal")


class ChurnPrediction(BaseModel):
    customer_id: str
    probability: float = Field(ge=0, le=1)
    risk_level: RiskLevel
    drivers: list[Driver] = Field(description="All features, strongest push towards churn first")
    base_logit: float = Field(description="Log-odds of the reference customer")
    model: str
    explanation_method: str

    def top_actionable_driver(self) -> Driver | None:
        """The strongest push towards churn that an offer can change, if any pushes."""
        return next(
            (d for d in self.drivers if d.contribution > 0 and d.feature in ACTIONABLE_FEATURES),
            None,
        )

    def top_drivers(self, n: int = 5, *, raising: bool = True) -> list[Driver]:
        picked = [d for d in self.drivers if (d.contribution > 0) == raising]
        return picked[:n] if raising else sorted(picked, key=lambda d: d.contribution)[:n]


class SegmentChurn(BaseModel):
    """How often customers like this one leave: same contract, internet service, tenure band."""

    contract: str
    internet_service: str
    tenure_from: int = Field(description="Tenure band's first month")
    tenure_to: int | None = Field(description="Tenure band's last month; None: no upper end")
    customers: int = Field(description="How many customers share the segment")
    churn_rate: float = Field(description="Share who left (observed) or mean churn probability")
    basis: Literal["observed", "predicted"]


class ValueBasis(BaseModel):
    """What value tiers are cut on, and where: shown wherever a tier is shown."""

    measure: Literal["monthly_charges", "lifetime_value"]
    high: float = Field(description="Lowest amount of the high tier")
    mid: float = Field(description="Lowest amount of the mid tier")
    source: Literal["settings", "terciles"] = Field(
        description="Thresholds from the settings, or the base's thirds by lifetime value"
    )


class ValueSegment(BaseModel):
    customer_id: str
    tier: ValueTier
    basis: ValueBasis
    monthly_charges: float
    clv_estimate: float = Field(description="MonthlyCharges × horizon months")
    clv_horizon_months: int
    lifetime_value: float | None = Field(
        None, description="Expected discounted margin (time-to-churn model); None without it"
    )
    similar: SegmentChurn | None = Field(
        None, description="Churn of similar customers (contract, internet service, tenure band)"
    )


class AtRiskCustomer(BaseModel):
    customer_id: str
    probability: float
    risk_level: RiskLevel
    value_tier: ValueTier
    monthly_charges: float
    top_driver: str
    top_actionable_driver: str = Field(
        "",
        description="The strongest churn driver an offer can change (contract, payment method, "
        "paperless billing, an add-on service); empty when none pushes towards churn",
    )
    churn_within_90d: float | None = Field(None, description="None without time-to-churn")
    churn_within_90d_interval: Interval | None = None
    thin_support: bool | None = Field(None, description="Few comparable customers: pooled")
    lifetime_value: float | None = Field(None, description="None without time-to-churn")
    lifetime_value_interval: Interval | None = None
    expected_loss_90d: float | None = Field(
        None, description="Within-90-day chance × lifetime value: the urgency order within a level"
    )
    call_this_week: bool | None = Field(None, description="High risk and leaving soon")


class AtRiskList(BaseModel):
    customers: list[AtRiskCustomer]
    matching: int = Field(description="How many customers match the filters in all")
    call_this_week: int | None = Field(
        None, description="How many of them to call this week; None without time-to-churn"
    )
    urgent_within_90d: float | None = Field(None, description="The 90-day chance that is soon")
    filters: dict[str, str | None]
    value_basis: ValueBasis | None = Field(None, description="What the value tiers are cut on")


class WhatIfResult(BaseModel):
    customer_id: str
    changes: dict[str, str | float]
    probability_before: float
    probability_after: float
    risk_before: RiskLevel
    risk_after: RiskLevel
    lifetime_value_before: float | None = Field(None, description="CLV today (time to churn)")
    lifetime_value_after: float | None = Field(
        None, description="CLV with the changes, margin on today's bill; None without the model"
    )
    churn_within_90d_before: float | None = None
    churn_within_90d_after: float | None = None
    caveat: str = "Correlational model: the change in score is an estimate, not a promise."


class OfferOption(BaseModel):
    offer_id: str
    type: str
    title: str
    duration_months: int
    monthly_cost: float = Field(description="What the offer costs us per month")
    total_cost: float
    price_during_offer: float = Field(description="The customer's monthly bill during the offer")
    probability_after: float = Field(description="Churn probability re-scored under the offer")
    risk_reduction: float = Field(description="p_before − p_after")
    expected_value: float = Field(
        description="lifetime_value_saved − total_cost, or risk_reduction × value_at_risk − "
        "total_cost without the time-to-churn model"
    )
    lifetime_value_after: float | None = Field(None, description="CLV re-scored under the offer")
    lifetime_value_saved: float | None = Field(None, description="CLV under the offer − today's")
    addresses: list[str] = Field(description="The customer's churn drivers the offer targets")


class OfferEvaluation(BaseModel):
    customer_id: str
    probability: float
    risk_level: RiskLevel
    value_tier: ValueTier
    value_at_risk: float = Field(description="CLV today, or revenue over the planning horizon")
    pricing: Literal["lifetime_value", "revenue_horizon"] = Field(
        description="lifetime_value: offers priced on CLV saved (time-to-churn model); "
        "revenue_horizon: on churn reduction × MonthlyCharges × horizon"
    )
    budget_cap: float
    options: list[OfferOption] = Field(description="Eligible offers, best expected value first")
    ineligible: dict[str, str] = Field(description="Offer id → why this customer may not get it")


class LanguageArgs(BaseModel):
    language: Language = Field(default=BASE_LANGUAGE, description="Language of the descriptions")


class ModelMetrics(BaseModel):
    roc_auc: float
    pr_auc: float
    brier: float
    top_decile_lift: float
    folds: int
    repeats: int


class TenureCalibration(BaseModel):
    """One tenure band of one contract type, out of fold: departures observed in its months
    against those the time-to-churn model expected over the same customer-months."""

    contract: str
    tenure: str = Field(description="Months, e.g. '61–66'")
    customers: int = Field(description="Customers who reached the band")
    departures: int = Field(description="Of them, who left within it (the churn label)")
    expected_departures: float = Field(description="Predicted, pooled as the product shows")
    observed: float = Field(description="Monthly leaving rate: departures / months at risk")
    predicted: float = Field(description="The model's, pooled where support is thin")
    unpooled: float = Field(description="The model's before pooling")


class SurvivalSummary(BaseModel):
    """The time-to-churn model's card: how it was chosen and how well it did out of fold."""

    champion: str
    c_index: float
    c_index_sd: float
    auc_3m: float = Field(description="Time-dependent AUC at 3 months")
    auc_6m: float
    auc_12m: float
    integrated_brier: float
    km_integrated_brier: float = Field(description="The Kaplan–Meier-by-contract baseline's")
    brier_reduction: float = Field(description="1 − integrated_brier / km_integrated_brier")
    calibration_max_gap: float = Field(
        description="Largest |predicted − observed| 12-month churn over deciles of ≥ 100"
    )
    tenure_calibration: list[TenureCalibration] = Field(
        default_factory=list, description="By tenure band × contract; empty for older cards"
    )
    candidates: dict[str, dict[str, float]] = Field(description="Name → mean metrics")
    ph_violations: list[str] = Field(description="Covariates breaking proportional hazards")
    ph_handling: str = Field(description="What was done about them")
    folds: int
    repeats: int
    trained_on: str


class ModelSummary(BaseModel):
    model: str
    description: str
    feature_set: str
    explanation_method: str
    selection_rule: str
    metrics: ModelMetrics = Field(description="Repeated stratified CV, out-of-fold predictions")
    feature_set_comparison: dict[str, ModelMetrics]
    trained_on: str
    trained_at: str
    risk_thresholds: dict[str, float]
    time_to_churn: SurvivalSummary | None = Field(
        None, description="The time-to-churn model's card; None without it"
    )


#: Whatever a tool returns (the trace records it, typed, so checkpoints can restore it).
ToolResult = (
    CustomerProfile
    | ChurnPrediction
    | ValueSegment
    | TimeToChurn
    | AtRiskList
    | WhatIfResult
    | OfferEvaluation
    | ModelSummary
)
