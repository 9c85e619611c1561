"""The next campaign's targets from the last one's outcomes: who the offer moves (uplift), and
who is worth most to move (uplift × lifetime value) — or, plainly, that no segment is
persuadable, when the cross-fitted test finds none (`models/uplift/assessment.py`); then no
ranking is offered and the campaign keeps ranking by risk.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from core.i18n import Phrase
from models.uplift.assessment import (
    DEFAULT_LEARNER,
    Persuadability,
    cross_fitted_uplift,
    persuadability,
)
from models.uplift.learners import LEARNERS
from tools.campaigns.results import OutcomeError

#: What the uplift model learns from: the profile columns an offer's effect plausibly depends on,
#: and the churn model's probability (the effect is largest where there is most to save).
FEATURES = ("Contract", "tenure", "MonthlyCharges", "InternetService", "PaymentMethod")
RISK = "churn_probability"
#: Outcomes needed in each arm before an uplift model is fitted at all.
MIN_PER_ARM = 50


@dataclass(frozen=True)
class Targets:
    verdict: Persuadability
    ranking: pd.DataFrame | None  # customer_id, uplift, clv, value_moved; None: none persuadable
    learner: str = DEFAULT_LEARNER


def next_targets(
    measured: pd.DataFrame, base: pd.DataFrame, clv: pd.Series | None, top: int = 20
) -> Targets:
    """`measured`: the campaign's members with `arm`, `outcome`, the profile and their churn
    probability; `base`: every customer (profile, churn probability) to rank for the next
    campaign; `clv`: lifetime value by customer ID (None: monthly charges stand in)."""
    treated = (measured["arm"] == "treated").to_numpy(dtype=int)
    stayed = (measured["outcome"] == "retained").to_numpy(dtype=int)
    if min(treated.sum(), (1 - treated).sum()) < MIN_PER_ARM:
        raise OutcomeError(Phrase("targets.too_few", {"needed": MIN_PER_ARM}))
    columns = [*FEATURES, RISK]
    features = measured[columns].reset_index(drop=True)
    verdict = persuadability(cross_fitted_uplift(features, treated, stayed), treated, stayed)
    if not verdict.persuadable:
        return Targets(verdict, None)
    model = LEARNERS[DEFAULT_LEARNER]().fit(features, treated, stayed)
    uplift = model.uplift(base[columns])
    value = clv.reindex(base["customer_id"]).to_numpy() if clv is not None else None
    if value is None or np.isnan(value).all():
        value = base["MonthlyCharges"].to_numpy()
    ranking = pd.DataFrame(
        {
            "customer_id": base["customer_id"].to_numpy(),
            "uplift": uplift,
            "value": value,
            "value_moved": uplift * value,
        }
    )
    ranking = ranking[ranking["uplift"] > 0].sort_values("value_moved", ascending=False)
    return Targets(verdict, ranking.head(top).reset_index(drop=True))


@dataclass(frozen=True)
class LearnedUplift:
    """What one measured campaign taught about each of its offers: the persuadability verdict
    of every offer with enough outcomes, and a fitted model for those whose segment is real.
    The campaign agent ranks by it when `CRM_OFFER_RANKING=uplift`."""

    campaign_id: int
    verdicts: dict[str, Persuadability]
    models: dict[str, Any]

    def uplift(self, offer_id: str, customer: dict[str, Any]) -> float | None:
        """The offer's effect on this customer staying, or None when this campaign found no
        persuadable segment for it (or never tried it)."""
        model = self.models.get(offer_id)
        if model is None:
            return None
        row = pd.DataFrame([{name: customer[name] for name in (*FEATURES, RISK)}])
        return float(model.uplift(row)[0])


def learn_uplift(campaign_id: int, measured: pd.DataFrame) -> LearnedUplift:
    """Per offer, its treated customers against the controls who would have had it: tested for
    a persuadable segment (cross-fitted), and fitted where one is found."""
    verdicts: dict[str, Persuadability] = {}
    models: dict[str, Any] = {}
    for offer_id, rows in measured.groupby("offer_id"):
        treated = (rows["arm"] == "treated").to_numpy(dtype=int)
        if min(treated.sum(), (1 - treated).sum()) < MIN_PER_ARM:
            continue
        stayed = (rows["outcome"] == "retained").to_numpy(dtype=int)
        features = rows[[*FEATURES, RISK]].reset_index(drop=True)
        verdict = persuadability(cross_fitted_uplift(features, treated, stayed), treated, stayed)
        verdicts[str(offer_id)] = verdict
        if verdict.persuadable:
            models[str(offer_id)] = LEARNERS[DEFAULT_LEARNER]().fit(features, treated, stayed)
    return LearnedUplift(campaign_id, verdicts, models)
