"""Which offers a customer may get, and what each is worth: re-scored what-if, expected value.

With the time-to-churn model, offers are priced on lifetime value:
    expected value = (CLV under the offer's changes − CLV today) − total cost,
where both CLVs count margin on today's bill; the offer's changes, its lower price included, move
only the survival curve, because what the offer gives away is its cost, counted once.
Without it: expected value = (p_before − p_after) × revenue over the planning horizon − cost.
Both models are correlational: the figures estimate how customers like this one behave with the
offer's features, not a causal promise.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from core.languages import BASE_LANGUAGE
from core.types import Language
from models.segments import clv_estimate
from tools.offers.playbook import Offer, Playbook
from tools.schemas import OfferEvaluation, OfferOption
from tools.service.retention import RetentionService


def _apply(offer: Offer, customers: pd.DataFrame) -> pd.DataFrame:
    changed = customers.copy()
    for feature, value in offer.changes.items():
        changed[feature] = value
    changed["MonthlyCharges"] = offer.bills_during_offer(
        customers["MonthlyCharges"].to_numpy(dtype=float)
    )
    return changed


@dataclass
class OfferDesk:
    service: RetentionService
    playbook: Playbook
    #: offer id → churn probability of every customer under that offer (filled by `precompute`).
    _base: dict[str, np.ndarray] = field(default_factory=dict, repr=False)
    #: offer id → lifetime value of every customer under that offer (with the survival model).
    _base_lifetime: dict[str, np.ndarray] = field(default_factory=dict, repr=False)

    def precompute(self) -> None:
        """Score the whole base under every offer at once: one vectorised pass per offer.

        Worth it when many customers will be evaluated (batch runs, benchmarks); a single
        analysis scores only its own customer.
        """
        customers = self.service.customers
        today = customers["MonthlyCharges"].to_numpy(dtype=float)
        for offer in self.playbook.offers:
            changed = _apply(offer, customers)
            self._base[offer.id] = self.service.model.predict_proba(changed)
            if self.service.survival is not None:
                self._base_lifetime[offer.id] = self.service.lifetime_values(changed, today)

    def _after(self, customer_id: str, offers: list[Offer]) -> tuple[list[float], list[float]]:
        """Churn probability and (with the survival model) CLV under each offer."""
        if not offers:
            return [], []
        lifetime = self.service.survival is not None
        if all(o.id in self._base for o in offers):
            i = self.service.position(customer_id)
            return (
                [float(self._base[o.id][i]) for o in offers],
                [float(self._base_lifetime[o.id][i]) for o in offers] if lifetime else [],
            )
        row = self.service.customers.loc[[customer_id]]
        frame = pd.concat([_apply(o, row) for o in offers])
        probabilities = self.service.model.predict_proba(frame).tolist()
        if not lifetime:
            return probabilities, []
        today = np.repeat(row["MonthlyCharges"].to_numpy(dtype=float), len(offers))
        return probabilities, self.service.lifetime_values(frame, today).tolist()

    def evaluate(self, customer_id: str, language: Language = BASE_LANGUAGE) -> OfferEvaluation:
        """Every offer this customer may get, re-scored; why not, for the others, in
        `language`."""
        prediction = self.service.predict(customer_id)
        segment = self.service.segment(customer_id)
        fields = self.service.profile(prediction.customer_id).fields
        settings = self.service.settings
        eligible: list[Offer] = []
        ineligible: dict[str, str] = {}
        for offer in self.playbook.offers:
            reason = offer.ineligibility(
                fields, prediction.risk_level, segment.tier, settings.offer_budget_cap, language
            )
            if reason is None:
                eligible.append(offer)
            else:
                ineligible[offer.id] = reason
        lifetime_today = segment.lifetime_value
        value_at_risk = (
            lifetime_today
            if lifetime_today is not None
            else float(clv_estimate(segment.monthly_charges, settings))
        )
        raising = {d.feature for d in prediction.drivers if d.contribution > 0}
        after, lifetime_after = self._after(prediction.customer_id, eligible)
        options = []
        for k, (offer, p_after) in enumerate(zip(eligible, after, strict=True)):
            reduction = prediction.probability - p_after
            cost = offer.total_cost(segment.monthly_charges)
            if lifetime_today is not None:
                saved = round(lifetime_after[k] - lifetime_today, 2)
                clv_after: float | None = lifetime_after[k]
                expected = round(saved - cost, 2)
            else:
                saved = clv_after = None
                expected = round(reduction * value_at_risk - cost, 2)
            options.append(
                OfferOption(
                    offer_id=offer.id,
                    type=offer.type,
                    title=offer.title_in(BASE_LANGUAGE),
                    duration_months=offer.duration_months,
                    monthly_cost=offer.monthly_cost(segment.monthly_charges),
                    total_cost=cost,
                    price_during_offer=offer.price_during_offer(segment.monthly_charges),
                    probability_after=p_after,
                    risk_reduction=reduction,
                    expected_value=expected,
                    lifetime_value_after=clv_after,
                    lifetime_value_saved=saved,
                    addresses=[f for f in offer.addresses if f in raising],
                )
            )
        options.sort(key=lambda o: (-o.expected_value, o.offer_id))
        return OfferEvaluation(
            customer_id=prediction.customer_id,
            probability=prediction.probability,
            risk_level=prediction.risk_level,
            value_tier=segment.tier,
            value_at_risk=value_at_risk,
            pricing="lifetime_value" if lifetime_today is not None else "revenue_horizon",
            budget_cap=settings.offer_budget_cap,
            options=options,
            ineligible=ineligible,
        )
