"""The retention playbook: offers as data (`offers.toml`), their eligibility and their costs.

An offer's money figures come from the customer's own MonthlyCharges and the offer's terms, so
every number a text may quote about an offer is computed here, once.
"""

from __future__ import annotations

import tomllib
from functools import lru_cache
from pathlib import Path
from typing import Literal

import numpy as np
from pydantic import BaseModel, Field, model_validator

from core.formats import currency
from core.i18n import has, t
from core.languages import BASE_LANGUAGE
from core.types import Language
from data.schema import CATEGORICAL_VALUES, FEATURE_LABELS, feature_label
from models.segments import RiskLevel, ValueTier

PLAYBOOK_PATH = Path(__file__).with_name("offers.toml")
#: The terms that are amounts of money (worded in the data's currency).
_MONEY = ("bill_credit",)
OfferType = Literal["discount", "upgrade", "plan_change", "free_trial", "loyalty"]


@lru_cache(maxsize=4096)
def _offer_words(offer_id: str, part: str, language: str, terms: tuple) -> str:
    """An offer's title or pitch with its terms: worded once (every analysis names each offer
    in every language, to check a message quotes no other offer)."""
    return t(f"offer.{offer_id}.{part}", language, **dict(terms))


class Offer(BaseModel):
    id: str = Field(pattern=r"^[a-z0-9_]+$")
    type: OfferType
    discount_percent: float = Field(default=0, ge=0, le=100)
    bill_credit: float = Field(default=0, ge=0)
    service_cost: float = Field(default=0, ge=0)
    duration_months: int = Field(ge=1, le=36)
    min_tenure: int = Field(default=0, ge=0)
    changes: dict[str, str] = Field(default_factory=dict)
    requires: dict[str, list[str]] = Field(default_factory=dict)
    risk_levels: list[RiskLevel]
    value_tiers: list[ValueTier]
    addresses: list[str] = Field(description="Features whose churn push the offer targets")

    @model_validator(mode="after")
    def _known_features_and_values(self) -> Offer:
        problems = []
        for feature, value in self.changes.items():
            if value not in CATEGORICAL_VALUES.get(feature, ()):
                problems.append(f"changes.{feature}={value!r}")
        for feature, values in self.requires.items():
            allowed = CATEGORICAL_VALUES.get(feature, ())
            problems += [f"requires.{feature}={v!r}" for v in values if v not in allowed]
        problems += [f"addresses {f!r}" for f in self.addresses if f not in FEATURE_LABELS]
        problems += [
            f"words ([offer.{self.id}] {part} in core/locales)"
            for part in ("title", "pitch")
            if not has(f"offer.{self.id}.{part}")
        ]
        if problems:
            raise ValueError(f"offer {self.id}: unknown or missing {', '.join(problems)}")
        return self

    def figures(self) -> dict[str, float]:
        """The offer's own terms, as they may be quoted."""
        return {
            "discount_percent": self.discount_percent,
            "bill_credit": self.bill_credit,
            "duration_months": self.duration_months,
        }

    def _words(self, part: str, language: Language) -> str:
        # Money is written as money; whole amounts without cents ("$10 off").
        terms = tuple(
            (
                k,
                currency(v, language, 0 if float(v).is_integer() else 2)
                if k in _MONEY
                else f"{v:g}",
            )
            for k, v in self.figures().items()
        )
        return _offer_words(self.id, part, language, terms)

    def title_in(self, language: Language) -> str:
        return self._words("title", language)

    def pitch_in(self, language: Language) -> str:
        return self._words("pitch", language)

    def monthly_cost(self, monthly_charges: float) -> float:
        return round(
            monthly_charges * self.discount_percent / 100 + self.bill_credit + self.service_cost, 2
        )

    def total_cost(self, monthly_charges: float) -> float:
        return round(self.monthly_cost(monthly_charges) * self.duration_months, 2)

    def _reduced(self, monthly_charges):  # a float or an array of them
        return monthly_charges * (1 - self.discount_percent / 100) - self.bill_credit

    def bills_during_offer(self, monthly_charges: np.ndarray) -> np.ndarray:
        """What each monthly bill becomes while the offer runs: the price the desk re-scores
        customers at and the price they are told (`price_during_offer`, the same rule)."""
        return np.round(np.maximum(self._reduced(monthly_charges), 0.0), 2)

    def price_during_offer(self, monthly_charges: float) -> float:
        """What one customer's monthly bill becomes while the offer runs."""
        return float(np.round(max(self._reduced(monthly_charges), 0.0), 2))

    def ineligibility(
        self,
        fields: dict,
        risk: RiskLevel,
        tier: ValueTier,
        budget_cap: float,
        lang: Language = BASE_LANGUAGE,
    ) -> str | None:
        """Why this customer may not get the offer, in words, or None when they may."""
        if risk not in self.risk_levels:
            return t("ineligible.risk", lang, risk=t(f"risk_level.{risk}", lang))
        if tier not in self.value_tiers:
            return t("ineligible.tier", lang, tier=t(f"value_tier.{tier}", lang))
        for feature, allowed in self.requires.items():
            if fields[feature] not in allowed:
                return t(
                    "ineligible.requires",
                    lang,
                    feature=feature_label(feature, lang),
                    allowed=t("list.or", lang).join(t(f"value.{v}", lang) for v in allowed),
                    actual=t(f"value.{fields[feature]}", lang),
                )
        if int(fields["tenure"]) < self.min_tenure:
            return t("ineligible.tenure", lang, months=self.min_tenure)
        cost = self.total_cost(float(fields["MonthlyCharges"]))
        if cost > budget_cap:
            return t(
                "ineligible.budget",
                lang,
                cost=currency(cost, lang),
                budget=currency(budget_cap, lang),
            )
        return None


class Playbook(BaseModel):
    offers: list[Offer] = Field(min_length=1)

    @model_validator(mode="after")
    def _unique_ids(self) -> Playbook:
        ids = [o.id for o in self.offers]
        if len(set(ids)) != len(ids):
            raise ValueError(f"offer ids must be unique, got {ids}")
        return self

    def get(self, offer_id: str) -> Offer:
        for offer in self.offers:
            if offer.id == offer_id:
                return offer
        known = ", ".join(o.id for o in self.offers)
        raise KeyError(f"no offer {offer_id!r}; the playbook has {known}")


def load_playbook(path: Path = PLAYBOOK_PATH) -> Playbook:
    with path.open("rb") as handle:
        return Playbook.model_validate(tomllib.load(handle))
