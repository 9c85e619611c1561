"""Planning a campaign from a run's analyses: who is eligible, who is held out, where the budget
cuts the list, and whether the campaign is large enough for its effect to show. Pure functions
of frames; `crm_agents/campaigns.py` reads and writes the store around them.

The eligible customers are the analyses whose chosen offer is worth its cost, at or above the
campaign's risk floor, with one of its offers (any, when it names none), minus the global
control group. They are put in the product's order of urgency and every one is assigned an arm
by hash (`models/uplift/control.py`) before the budget cuts the list: the cut falls at a place
in that order (where the treated customers' cost passes the budget), so both arms lose the same
kind of customers and stay comparable.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import pandas as pd
from pydantic import BaseModel, Field, field_validator, model_validator

from core.i18n import WordedError
from core.settings import Settings
from models.segments import RiskLevel
from models.uplift.control import bucket, in_campaign_holdout, in_global_control
from models.uplift.power import minimum_detectable_effect
from models.urgency import RISK_RANK, urgency_order

CHANNELS = ("email", "sms", "call")


class CampaignError(WordedError, ValueError):
    """A campaign that cannot be made as asked."""


class CampaignSpec(BaseModel):
    name: str = Field(min_length=1, max_length=200)
    offers: list[str] = Field(default_factory=list, description="Offer ids; none: each's best")
    min_risk: RiskLevel = "medium"
    budget: float | None = Field(None, gt=0)
    channels: list[str] = Field(default_factory=lambda: ["email"], min_length=1)
    starts_on: date
    ends_on: date
    owner: str = Field(min_length=1, max_length=200)
    holdout_share: float = Field(ge=0.01, le=0.5)

    @field_validator("name", "owner")
    @classmethod
    def _stripped(cls, value: str) -> str:
        if not value.strip():
            raise ValueError("must not be blank")
        return value.strip()

    @field_validator("channels")
    @classmethod
    def _known_channels(cls, value: list[str]) -> list[str]:
        unknown = [c for c in value if c not in CHANNELS]
        if unknown:
            raise ValueError(f"unknown channel(s) {', '.join(unknown)}; use {', '.join(CHANNELS)}")
        return list(dict.fromkeys(value))

    @model_validator(mode="after")
    def _dates_in_order(self) -> CampaignSpec:
        if self.ends_on < self.starts_on:
            raise ValueError(f"ends on {self.ends_on}, before it starts on {self.starts_on}")
        return self


@dataclass(frozen=True)
class CampaignDraft:
    campaign_id: int
    members: pd.DataFrame
    treated: int
    control: int
    in_global_control: int
    cut_by_budget: int
    expected_effect: float | None  # mean churn-probability reduction the offers expect
    detectable_effect: float | None  # None: no effect this small a campaign could detect

    @property
    def too_small(self) -> bool:
        """Whether the effect the offers expect is below what the campaign can detect."""
        expected = self.expected_effect
        return self.detectable_effect is None or (
            expected is not None and self.detectable_effect > expected
        )


def eligible_members(
    analysed: pd.DataFrame, spec: CampaignSpec, settings: Settings
) -> tuple[pd.DataFrame, int]:
    """The campaign's customers in urgency order, and how many the global control keeps out."""
    chosen = analysed[analysed["risk_level"].map(RISK_RANK) >= RISK_RANK[spec.min_risk]]
    if spec.offers:
        chosen = chosen[chosen["offer_id"].isin(spec.offers)]
    share, salt = settings.global_control_share, settings.global_control_salt
    global_control = chosen["customer_id"].map(lambda c: in_global_control(c, share, salt))
    ordered = urgency_order(chosen[~global_control], then="expected_value", key="customer_id")
    return ordered, int(global_control.sum())


def assign_arms(members: pd.DataFrame, spec: CampaignSpec) -> pd.DataFrame:
    key = f"campaign:{spec.name}"
    held = members["customer_id"].map(
        lambda c: in_campaign_holdout(spec.name, c, spec.holdout_share)
    )
    return members.assign(
        arm=held.map({True: "control", False: "treated"}),
        bucket=members["customer_id"].map(lambda c: bucket(key, c)),
    )


def within_budget(members: pd.DataFrame, budget: float | None) -> pd.DataFrame:
    """The list cut where the treated customers' running cost would pass the budget (controls
    cost nothing, and go or stay with their place in the order)."""
    if budget is None:
        return members
    cost = members["total_cost"].where(members["arm"] == "treated", 0.0).cumsum()
    return members[cost <= budget]


def summarise(
    campaign_id: int, members: pd.DataFrame, in_global: int = 0, cut: int = 0
) -> CampaignDraft:
    treated = members[members["arm"] == "treated"]
    control = members[members["arm"] == "control"]
    expected = treated["risk_reduction"].dropna()
    detectable = None
    leave = float(members["churn_probability"].mean())
    if len(treated) and len(control) and 0 < leave < 1:
        # Staying is the outcome: its rate is 1 − the churn probability, and an offer raises it.
        detectable = minimum_detectable_effect(len(treated), len(control), 1 - leave)
    return CampaignDraft(
        campaign_id=campaign_id,
        members=members,
        treated=len(treated),
        control=len(control),
        in_global_control=in_global,
        cut_by_budget=cut,
        expected_effect=float(expected.mean()) if len(expected) else None,
        detectable_effect=detectable,
    )
