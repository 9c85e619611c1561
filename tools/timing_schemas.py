"""Typed results of the time-to-churn tool: when a customer is likely to leave, how sure that is
(a 95 % interval and the customers and departures behind it) and the one thing to do about it.
Every number here was computed by code."""

from typing import Literal

from pydantic import BaseModel, Field

from models.urgency import Action


class Interval(BaseModel):
    """A 95 % interval: `low` is the low-risk end (for a value, the lower amount)."""

    low: float | None
    high: float | None


class TimingSupport(BaseModel):
    """The customers and departures behind a customer's time-to-churn figures."""

    contract: str = Field(description="The contract type the support is counted in")
    customers: int = Field(description="Customers of that contract who stayed longer")
    departures: int = Field(description="Of them, those who left in the next three months")
    thin: bool = Field(description="Fewer customers or departures than the settings ask")
    pooled_from_month: int = Field(description="First tenure month the 90-day hazard rests on")
    pooled_to_month: int
    pooled_departures: int = Field(description="Departures in those months")


INTERVAL_METHOD = (
    "95 % interval: the cumulative hazard scaled by exp(±1.96 sd), sd² = 1 / departures "
    "behind the next three months + the variance of the customer's linear predictor from the "
    "Cox coefficients' covariance (sampling error only)"
)


class NextStep(BaseModel):
    """The one thing to do with a customer (`models/urgency.py`): the churn risk level gates,
    the 90-day timing orders within it."""

    risk_level: str = Field(description="The gate: high, medium, low (or unscored)")
    action: Action = Field(
        description="call_this_week: high risk and leaving soon; offer_this_month: high risk; "
        "next_campaign: medium risk; monitor: low risk"
    )
    follows: Literal["risk_level", "risk_level_and_timing"] = Field(
        description="What the action rests on: the timing counts only with high risk"
    )
    timing_disagrees: bool = Field(
        description="The 90-day figure says soon while the risk level is not high"
    )
    within_90d: float | None = Field(None, description="Chance of leaving within 90 days")
    expected_loss_90d: float | None = Field(
        None, description="Within-90-day chance × lifetime value: what acting now can save"
    )
    threshold: float = Field(description="The 90-day chance that counts as soon (setting)")


class TimeToChurn(BaseModel):
    """When a customer is likely to leave, from today's tenure, and what they are worth."""

    customer_id: str
    tenure_months: int
    churn_within_30d: float
    churn_within_90d: float
    churn_within_180d: float
    churn_within_365d: float
    churn_within_30d_interval: Interval
    churn_within_90d_interval: Interval
    churn_within_180d_interval: Interval
    churn_within_365d_interval: Interval
    support: TimingSupport
    interval_method: str = INTERVAL_METHOD
    leaving_soon: bool = Field(
        description="Chance of leaving within 90 days at or above the setting; where the "
        "support is thin, the interval's lower end too (a call this week needs high risk too)"
    )
    next_step: NextStep | None = Field(
        None, description="What to do, with the churn risk level as the gate (service-filled)"
    )
    median_months_left: int | None = Field(
        description="Months until the chance of still being a customer falls to 50% or below; "
        "None when it stays above 50% for the whole horizon"
    )
    horizon_months: int = Field(description="Horizon of the median and of lifetime value")
    lifetime_value: float = Field(description="Σ S(t+h | t) × MonthlyCharges × margin, discounted")
    median_months_left_interval: Interval = Field(description="None ends: beyond the horizon")
    lifetime_value_interval: Interval
    margin_rate: float
    annual_discount_rate: float
    curve: list[float] = Field(description="Chance of still being a customer 0, 1, … months ahead")
    segment_curve: list[float] = Field(description="The same for similar customers")
    segment_contract: str
    segment_internet_service: str
    segment_customers: int
    segment_basis: Literal["observed", "predicted"] = Field(
        description="Observed (Kaplan–Meier) or the model's mean curve when the data has no labels"
    )
    model: str
    caveat: str = "Correlational model: the timing is an estimate from similar customers."
