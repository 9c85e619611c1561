"""What a campaign did, from its members and their outcomes (frames; the store is read by
`crm_agents/outcomes.py`), and outcomes drawn from the simulator's known truth.

The effect is the share who stayed among treated customers minus among controls, with
Newcombe's interval (`models/uplift/metrics.py`). It is "too few outcomes to conclude" while
the interval spans zero or the control group is smaller than the power calculation asks for the
effect the offers expect.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from core.i18n import Phrase, WordedError
from models.uplift.metrics import Effect, average_effect
from models.uplift.power import control_size_needed
from models.uplift.simulation import simulate_outcomes, true_effect


class OutcomeError(WordedError, ValueError):
    """Outcomes that cannot be stored or measured as asked."""


@dataclass(frozen=True)
class Interval:
    value: float
    low: float
    high: float

    def times(self, factor: float) -> Interval:
        ends = sorted((self.low * factor, self.high * factor))
        return Interval(self.value * factor, ends[0], ends[1])


@dataclass(frozen=True)
class GroupResults:
    """Treated against control within a group of members (the campaign, or one offer)."""

    effect: Effect | None  # on the share who stayed: treated − control
    needed_per_arm: int | None  # controls the expected effect needs (power 0.8, α 0.05)
    conclusive: bool
    cost: float  # what the treated customers' offers cost
    treated: int  # with an outcome
    control: int
    #: What the effect is worth, with the effect's interval carried through: customers kept
    #: (effect × treated), their monthly revenue and lifetime value (the treated customers'
    #: average, from the batch's analyses) — None where the members carry no value.
    kept: Interval | None = None
    revenue_saved: Interval | None = None  # per month
    clv_saved: Interval | None = None

    @property
    def return_on_cost(self) -> float | None:
        """Lifetime value saved per unit of offer cost, net: (CLV saved − cost) / cost."""
        if self.clv_saved is None or self.cost <= 0:
            return None
        return (self.clv_saved.value - self.cost) / self.cost


@dataclass(frozen=True)
class CampaignResults:
    campaign_id: int
    members: int
    with_outcome: int
    overall: GroupResults
    by_offer: dict[str, GroupResults]  # each offer's treated against the controls it would have had


def _group(members: pd.DataFrame, joined: pd.DataFrame) -> GroupResults:
    treated = (joined["arm"] == "treated").to_numpy(dtype=int)
    stayed = (joined["outcome"] == "retained").to_numpy(dtype=int)
    effect = None
    if treated.any() and (1 - treated).any():
        effect = average_effect(stayed, treated)
    needed = None
    expected = members.loc[members["arm"] == "treated", "risk_reduction"].dropna().mean()
    if effect is not None and np.isfinite(expected) and expected > 0:
        control_rate = min(max(effect.control_rate, 0.01), 0.98)
        treated_rate = min(control_rate + expected, 0.99)
        ratio = max(effect.treated, 1) / max(effect.control, 1)
        needed = control_size_needed(control_rate, treated_rate, ratio=ratio)
    conclusive = bool(
        effect is not None and effect.conclusive and (needed is None or effect.control >= needed)
    )
    treated_rows = joined[joined["arm"] == "treated"]
    cost = float(treated_rows["total_cost"].sum())
    kept = revenue = clv = None
    if effect is not None:
        kept = Interval(effect.difference, effect.low, effect.high).times(len(treated_rows))
        revenue = _worth(kept, treated_rows, "monthly_charges")
        clv = _worth(kept, treated_rows, "clv")
    return GroupResults(
        effect,
        needed,
        conclusive,
        cost,
        int(treated.sum()),
        int(len(treated) - treated.sum()),
        kept,
        revenue,
        clv,
    )


def _worth(kept: Interval, treated: pd.DataFrame, column: str) -> Interval | None:
    """Customers kept times the treated customers' average `column`, when they have it."""
    if column not in treated or treated[column].isna().all():
        return None
    return kept.times(float(treated[column].mean()))


def measure(campaign_id: int, members: pd.DataFrame, outcomes: pd.DataFrame) -> CampaignResults:
    """The campaign's effect on who stays, overall and per offer, from its members (with their
    arms and offers) and their outcomes."""
    if members.empty:
        raise OutcomeError(Phrase("outcomes.no_campaign", {"id": campaign_id}))
    joined = members.merge(outcomes, on="customer_id")
    by_offer = {
        offer: _group(members[members["offer_id"] == offer], rows)
        for offer, rows in joined.groupby("offer_id")
    }
    return CampaignResults(
        campaign_id, len(members), len(joined), _group(members, joined), by_offer
    )


def simulate(
    campaign_id: int, members: pd.DataFrame, contracts: pd.Series, seed: int, observed_on
) -> tuple[pd.DataFrame, float]:
    """Outcomes drawn from the simulator's known truth (`models/uplift/simulation.py`): each
    member would leave with their churn probability; the treated who were contacted (a
    `contacted` column, when the campaign was exported: an ignored message or an excluded
    customer gets no offer) draw with their offer's true effect, everyone else without it.
    `contracts`: each customer's contract, by ID. Also returns the true effect of being in the
    treated arm on the share who stay (what the results measure: treated against control,
    contacted or not), averaged over the members."""
    if members.empty:
        raise OutcomeError(Phrase("outcomes.no_campaign", {"id": campaign_id}))
    contract = members["customer_id"].map(contracts)
    if contract.isna().any():
        raise OutcomeError(Phrase("outcomes.other_data", {"id": campaign_id}))
    stayed, truth = np.zeros(len(members), dtype=int), np.zeros(len(members))
    in_arm = (members["arm"] == "treated").to_numpy(dtype=int)
    reached = members["contacted"].to_numpy(dtype=int) if "contacted" in members else 1
    offered = in_arm * reached
    leave = members["churn_probability"].to_numpy()
    for offer_id, rows in members.groupby("offer_id").indices.items():
        contract_of = contract.iloc[rows].reset_index(drop=True)
        truth[rows] = true_effect(leave[rows], contract_of, offer_id)
        stayed[rows] = simulate_outcomes(
            leave[rows], contract_of, offered[rows], offer_id, seed=seed + int(rows[0])
        )
    if "contacted" in members:  # the arms are random: the treated arm's reach stands for both
        truth = (truth * reached)[in_arm == 1]
    drawn = pd.DataFrame(
        {
            "campaign_id": campaign_id,
            "customer_id": members["customer_id"],
            "outcome": np.where(stayed == 1, "retained", "churned"),
            "observed_on": observed_on,
        }
    )
    return drawn, float(truth.mean())
