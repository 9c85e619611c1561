"""The retention service the tools stand on: one customer table, one model, one set of rules."""

from __future__ import annotations

import difflib
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
from scipy.special import expit

from crm_agents.settings import Settings
from data.loading import CustomerData
from data.schema import (
    CATEGORICAL_VALUES,
    CUSTOMER_ID_EXAMPLE,
    CUSTOMER_ID_PATTERN,
    FEATURE_LABELS,
    SIGNAL_COLUMNS,
)
from models.churn_model import ChurnModel, Explanation
from models.persistence import ModelCard
from models.scoring import score_customers
from models.segments import clv_estimate, risk_level, value_tier
from tools.schemas import (
    AtRiskCustomer,
    AtRiskList,
    ChurnPrediction,
    CustomerProfile,
    Driver,
    ValueSegment,
    WhatIfResult,
)

#: Explaining the whole base at once is one matrix product for a linear model; for sampled
#: Shapley it is not, so non-linear models explain one customer at a time.
_BASE_EXPLANATION_LIMIT = 2_000_000


class CustomerNotFoundError(LookupError):
    """The customer ID is malformed or not in the loaded data."""


class InvalidChangeError(ValueError):
    """A what-if change names an unknown feature or a value the feature cannot take."""


def _plain(value: object) -> str | int | float:
    if isinstance(value, np.integer):
        return int(value)
    if isinstance(value, np.floating):
        return float(value)
    return value  # type: ignore[return-value]


def _driver_label(feature: str, value: object, contribution: float) -> str:
    direction = "raises" if contribution > 0 else "lowers"
    return f"{FEATURE_LABELS[feature]}: {value} — {direction} churn risk"


@dataclass
class RetentionService:
    data: CustomerData
    model: ChurnModel
    card: ModelCard
    settings: Settings
    _scores: pd.DataFrame | None = field(default=None, repr=False)
    _explanation: Explanation | None = field(default=None, repr=False)
    _positions: dict[str, int] | None = field(default=None, repr=False)

    @property
    def customers(self) -> pd.DataFrame:
        return self.data.customers

    def resolve(self, customer_id: str) -> pd.Series:
        """The customer's row, or an error that says what IDs look like and what is close."""
        wanted = customer_id.strip().upper()
        if wanted in self.customers.index:
            return self.customers.loc[wanted]
        close = difflib.get_close_matches(wanted, self.customers.index.tolist(), n=3, cutoff=0.6)
        hint = f" Did you mean {', '.join(close)}?" if close else ""
        if not CUSTOMER_ID_PATTERN.match(wanted):
            raise CustomerNotFoundError(
                f"{customer_id!r} is not a customer ID: IDs are four digits, a dash and five "
                f"letters, e.g. {CUSTOMER_ID_EXAMPLE}.{hint}"
            )
        raise CustomerNotFoundError(
            f"No customer with ID {wanted} among the {len(self.customers):,} loaded "
            f"customers.{hint}"
        )

    def profile(self, customer_id: str) -> CustomerProfile:
        row = self.resolve(customer_id)
        return CustomerProfile(
            customer_id=row.name,
            fields={k: _plain(v) for k, v in row.items() if k != "customerID"},
            simulated_signals=self.data.origin.simulated_signals,
            data_source=self.data.origin.describe(),
        )

    def _explain(self, row: pd.Series) -> tuple[float, pd.Series]:
        """Base log-odds and per-feature contributions of one customer."""
        if self.model.is_linear and len(self.customers) <= _BASE_EXPLANATION_LIMIT:
            if self._explanation is None:
                self._explanation = self.model.explain(self.customers)
                self._positions = {c: i for i, c in enumerate(self.customers.index)}
            i = self._positions[row.name]  # type: ignore[index]
            return float(self._explanation.base_logit[i]), self._explanation.contributions.iloc[i]
        explanation = self.model.explain(self.customers.loc[[row.name]])
        return float(explanation.base_logit[0]), explanation.contributions.iloc[0]

    def predict(self, customer_id: str) -> ChurnPrediction:
        row = self.resolve(customer_id)
        base_logit, contributions = self._explain(row)
        probability = float(expit(base_logit + contributions.sum()))
        contributions = contributions.sort_values(ascending=False)
        simulated = set(self.data.origin.simulated_signals)
        drivers = [
            Driver(
                feature=feature,
                value=_plain(row[feature]),
                contribution=float(contribution),
                label=_driver_label(feature, row[feature], contribution),
                simulated=feature in simulated and feature in SIGNAL_COLUMNS,
            )
            for feature, contribution in contributions.items()
        ]
        return ChurnPrediction(
            customer_id=row.name,
            probability=probability,
            risk_level=risk_level(probability, self.settings),
            drivers=drivers,
            base_logit=base_logit,
            model=self.model.name,
            explanation_method=self.model.explanation_method,
        )

    def changed_rows(self, customer_id: str, variants: list[dict[str, object]]) -> pd.DataFrame:
        """The customer's row once per variant, each with that variant's changes applied."""
        row = self.resolve(customer_id)
        frame = pd.DataFrame([row] * len(variants)).reset_index(drop=True)
        for i, changes in enumerate(variants):
            for feature, value in self._checked(changes).items():
                frame.loc[i, feature] = value
        return frame.astype(self.customers.dtypes.to_dict())

    def _checked(self, changes: dict[str, object]) -> dict[str, object]:
        checked: dict[str, object] = {}
        for feature, value in changes.items():
            if feature not in self.model.features:
                raise InvalidChangeError(
                    f"cannot change {feature!r}: the model uses {', '.join(self.model.features)}"
                )
            if feature in CATEGORICAL_VALUES:
                allowed = CATEGORICAL_VALUES[feature]
                if value not in allowed:
                    raise InvalidChangeError(
                        f"{feature} cannot be {value!r}; allowed: {', '.join(map(str, allowed))}"
                    )
                checked[feature] = value
                continue
            try:
                number = float(value)  # type: ignore[arg-type]
            except (TypeError, ValueError):
                raise InvalidChangeError(f"{feature} needs a number, got {value!r}") from None
            if not np.isfinite(number) or number < 0:
                raise InvalidChangeError(f"{feature} needs a number ≥ 0, got {value!r}")
            checked[feature] = number
        return checked

    def what_if(self, customer_id: str, changes: dict[str, object]) -> WhatIfResult:
        """The customer re-scored with some features changed (all else equal)."""
        before = self.predict(customer_id)
        after = float(self.model.predict_proba(self.changed_rows(customer_id, [changes]))[0])
        return WhatIfResult(
            customer_id=before.customer_id,
            changes=self._checked(changes),  # type: ignore[arg-type]
            probability_before=before.probability,
            probability_after=after,
            risk_before=before.risk_level,
            risk_after=risk_level(after, self.settings),
        )

    def segment(self, customer_id: str) -> ValueSegment:
        row = self.resolve(customer_id)
        monthly = float(row["MonthlyCharges"])
        s = self.settings
        return ValueSegment(
            customer_id=row.name,
            tier=value_tier(monthly, s),
            basis=(
                f"MonthlyCharges {monthly:.2f}: high ≥ {s.value_high:g}, "
                f"mid ≥ {s.value_mid:g}, low below"
            ),
            monthly_charges=monthly,
            clv_estimate=float(clv_estimate(monthly, s)),
            clv_horizon_months=s.clv_horizon_months,
        )

    def scores(self) -> pd.DataFrame:
        """The whole base scored once and kept, for listings and the portfolio."""
        if self._scores is None:
            scored = score_customers(self.model, self.customers, self.settings)
            scored["monthly_charges"] = self.customers["MonthlyCharges"].to_numpy()
            self._scores = scored.sort_values(
                ["churn_probability", "customerID"], ascending=[False, True], ignore_index=True
            )
        return self._scores

    def at_risk(
        self, limit: int = 10, risk_level: str | None = None, value_tier: str | None = None
    ) -> AtRiskList:
        scored = self.scores()
        mask = np.ones(len(scored), dtype=bool)
        if risk_level:
            mask &= scored["risk_level"].eq(risk_level).to_numpy()
        if value_tier:
            mask &= scored["value_tier"].eq(value_tier).to_numpy()
        matching = scored[mask]
        return AtRiskList(
            customers=[
                AtRiskCustomer(
                    customer_id=r.customerID,
                    probability=float(r.churn_probability),
                    risk_level=r.risk_level,
                    value_tier=r.value_tier,
                    monthly_charges=float(r.monthly_charges),
                    top_driver=r.top_driver,
                )
                for r in matching.head(limit).itertuples(index=False)
            ],
            matching=int(mask.sum()),
            filters={"risk_level": risk_level, "value_tier": value_tier},
        )
