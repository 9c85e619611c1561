"""Model health's settings (`CRM_DRIFT_*`), a part of the one `Settings` class kept in a module
of its own: when a run's data or scores count as shifted from the model's training data."""

from __future__ import annotations

from pydantic import BaseModel, Field


class HealthSettings(BaseModel):
    """Mixed into `core.settings.Settings`; every field is read from `CRM_<NAME>`."""

    # PSI 0.1–0.25 is the usual "moderate" band and above 0.25 "major": a feature is flagged
    # from the start of "moderate" (plus the chance level for its sample sizes,
    # `models/health/drift.py`), since a moderate move of an input is already worth a look.
    drift_feature_psi: float = Field(
        default=0.1,
        gt=0,
        le=10,
        description="Population stability index from which a feature counts as shifted",
    )
    drift_score_psi: float = Field(
        default=0.1,
        gt=0,
        le=10,
        description="Population stability index from which the churn score, or the shares per "
        "risk level or value tier, count as shifted",
    )
    # Two points of expected leavers (26 % → 28 %) is a change a retention team plans for.
    drift_churn_rate_points: float = Field(
        default=0.02,
        gt=0,
        lt=1,
        description="Change of the expected churn rate (mean score, as a share: 0.02 = 2 "
        "points) from which a run counts as shifted",
    )
    drift_reference_rows: int = Field(
        default=100_000,
        ge=1000,
        le=10_000_000,
        description="Training customers sampled for the drift reference (bins and shares)",
    )
    # A change below this is reported as a trend only, without a driver-by-driver reading.
    risk_change_points: float = Field(
        default=0.05,
        gt=0,
        lt=1,
        description="Change of a customer's churn probability between two runs (as a share: "
        "0.05 = 5 points) from which the app, the chat and the API explain why it changed",
    )
    alert_rise_points: float = Field(
        default=0.15,
        gt=0,
        lt=1,
        description="Rise of a customer's churn probability between two runs (as a share: 0.15 "
        "= 15 points) that creates a task for its owner, besides crossing into high risk",
    )
    # A rule, since the Telco file has no owner column: by value tier, with a default.
    alert_owners: dict[str, str] = Field(
        default={"high": "key accounts", "default": "retention team"},
        description='Who gets a risk alert, by value tier (JSON: {"high": "…", "mid": "…", '
        '"low": "…", "default": "…"})',
    )
    accuracy_drop: float = Field(
        default=0.05,
        gt=0,
        lt=1,
        description="Fall of the realised ROC-AUC below the model card's cross-validated one "
        "that flags a month's accuracy as dropped",
    )
    # The threshold simulator's starting assumptions, until a campaign measured the real ones.
    assumed_contact_cost: float = Field(
        default=20.0,
        ge=0,
        description="Cost of contacting one customer with an offer (data currency)",
    )
    assumed_save_rate: float = Field(
        default=0.2,
        ge=0,
        le=1,
        description="Share of would-be leavers an offer keeps, until a campaign has measured it",
    )
