"""The retention service the tools stand on: one customer table, one model, one set of rules."""

from __future__ import annotations

import threading
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
from cachetools import LRUCache
from scipy.special import expit

from core.languages import BASE_LANGUAGE
from core.settings import Settings
from core.types import Language
from data.loading import CustomerData
from data.schema import FEATURE_LABELS, SIGNAL_COLUMNS
from models.churn.model import ChurnModel, Explanation
from models.churn.persistence import ModelCard
from models.segments import clv_estimate, risk_level, tiers_by
from models.survival.card import SurvivalCard
from tools.schemas import (
    ChurnPrediction,
    CustomerProfile,
    Driver,
    ModelSummary,
    ValueBasis,
    ValueSegment,
    WhatIfResult,
)
from tools.service.base_scores import (
    PartitionMap,
    finish_scores,
    in_process,
    score_part,
)
from tools.service.changes import InvalidChangeError, checked_changes
from tools.service.customer_index import (
    CustomerIndex,
    CustomerNotFoundError,
    UnscorableCustomerError,
)
from tools.service.lifetime_desk import LifetimeDesk
from tools.service.model_summary import model_summary
from tools.service.risk_history import RiskHistory, RiskHistorySource, risk_history
from tools.service.similar import SegmentTable, segment_table, similar_customers
from tools.service.time_to_churn import next_step
from tools.service.value_basis import NoLifetimeModelError, value_basis
from tools.timing_schemas import TimeToChurn

__all__ = [
    "CustomerNotFoundError",
    "InvalidChangeError",
    "NoLifetimeModelError",
    "RetentionService",
    "UnscorableCustomerError",
]

#: Months ahead the portfolio weighs revenue and lifetime value at risk over.
#: Per-customer answers kept at most; the least recently used go first (a batch over millions
#: stays bounded).
CACHED_CUSTOMERS = 20_000


#: Explaining the whole base at once is one matrix product for a linear model; for sampled
#: Shapley it is not, so non-linear models explain one customer at a time.
_BASE_EXPLANATION_LIMIT = 2_000_000


def _driver_label(feature: str, value: object, contribution: float) -> str:
    direction = "raises" if contribution > 0 else "lowers"
    return f"{FEATURE_LABELS[feature]}: {value} — {direction} churn risk"


@dataclass
class RetentionService:
    data: CustomerData
    model: ChurnModel
    card: ModelCard
    settings: Settings
    cache_size: int = CACHED_CUSTOMERS
    #: The time-to-churn model; without it the product answers without "when" and CLV.
    survival: SurvivalCard | None = None
    #: Each customer's scores in earlier runs (the results database); None: no history.
    history: RiskHistorySource | None = None
    #: Where the whole base's parts are scored: here, unless a batch engine says otherwise.
    partition_map: PartitionMap = in_process
    _scores: pd.DataFrame | None = field(default=None, repr=False)
    _segments: SegmentTable | None = field(default=None, repr=False)
    _explanation: Explanation | None = field(default=None, repr=False)
    _value_basis: ValueBasis | None = field(default=None, repr=False)
    # Answers are pure functions of immutable data, so each is computed once per customer. The
    # app answers several users from threads: every cache and lazy table is filled under one lock.
    _index: CustomerIndex = field(init=False, repr=False)
    _predictions: LRUCache = field(init=False, repr=False)
    _lifetime: LifetimeDesk | None = field(init=False, repr=False)
    _lock: threading.RLock = field(default_factory=threading.RLock, init=False, repr=False)

    def __post_init__(self) -> None:
        self._index = CustomerIndex(self.customers, self.settings, self.cache_size)
        self._predictions = LRUCache(self.cache_size)
        self._lifetime = (
            LifetimeDesk(self.customers, self.survival, self.settings, self.cache_size)
            if self.survival is not None
            else None
        )

    @property
    def customers(self) -> pd.DataFrame:
        return self.data.customers

    def cached_customers(self) -> int:
        """How many customers' answers are held in memory (the largest of the caches)."""
        with self._lock:
            lifetimes = self._lifetime.cached() if self._lifetime else 0
            return max(self._index.cached(), len(self._predictions), lifetimes)

    def position(self, customer_id: str) -> int | None:
        """The customer's row number in the table (exact stored ID), or None."""
        return self._index.positions().get(customer_id)

    def example_id(self) -> str:
        """An ID from the table in use, for messages and placeholders."""
        return self._index.example_id()

    def canonical_id(self, customer_id: str) -> str:
        """The ID as stored, or an error that says what IDs look like and what is close."""
        return self._index.canonical_id(customer_id)

    def resolve(self, customer_id: str) -> pd.Series:
        """The customer's row (see `canonical_id` for the errors)."""
        return self.customers.loc[self.canonical_id(customer_id)]

    def fields(self, customer_id: str) -> dict[str, str | int | float]:
        """All fields of one customer as plain Python values."""
        return self._index.fields(self.canonical_id(customer_id))

    def profile(self, customer_id: str) -> CustomerProfile:
        wanted = self.canonical_id(customer_id)
        return CustomerProfile(
            customer_id=wanted,
            fields=self.fields(wanted),
            simulated_signals=self.data.origin.simulated_signals,
            data_source=self.data.origin.describe(),
        )

    def _explain(self, customer_id: str) -> tuple[float, np.ndarray]:
        """Base log-odds and per-feature contributions (in model feature order) of one customer."""
        if self.model.is_linear and len(self.customers) <= _BASE_EXPLANATION_LIMIT:
            if self._explanation is None:
                with self._lock:
                    if self._explanation is None:
                        self._explanation = self.model.explain(self.customers)
            i = self._index.positions()[customer_id]
            return (
                float(self._explanation.base_logit[i]),
                self._explanation.contributions.to_numpy()[i],
            )
        explanation = self.model.explain(self.customers.loc[[customer_id]])
        return float(explanation.base_logit[0]), explanation.contributions.to_numpy()[0]

    def predict(self, customer_id: str) -> ChurnPrediction:
        wanted = self.canonical_id(customer_id)
        with self._lock:
            cached = self._predictions.get(wanted)
        if cached is not None:
            return cached
        fields = self.fields(wanted)
        base_logit, contributions = self._explain(wanted)
        probability = float(expit(base_logit + contributions.sum()))
        if not np.isfinite(probability):
            raise UnscorableCustomerError("refusal.no_score", customer_id=wanted)
        simulated = set(self.data.origin.simulated_signals)
        order = np.argsort(-contributions, kind="stable")
        features = self.model.features
        drivers = []
        for k in order:
            feature, contribution = features[k], float(contributions[k])
            drivers.append(
                Driver(
                    feature=feature,
                    value=fields[feature],
                    contribution=contribution,
                    label=_driver_label(feature, fields[feature], contribution),
                    simulated=feature in simulated and feature in SIGNAL_COLUMNS,
                )
            )
        prediction = ChurnPrediction(
            customer_id=wanted,
            probability=probability,
            risk_level=risk_level(probability, self.settings),
            drivers=drivers,
            base_logit=base_logit,
            model=self.model.name,
            explanation_method=self.model.explanation_method,
        )
        with self._lock:
            self._predictions[wanted] = prediction
        return prediction

    def changed_rows(self, customer_id: str, variants: list[dict[str, object]]) -> pd.DataFrame:
        """The customer's row once per variant, each with that variant's changes applied."""
        row = self.resolve(customer_id)
        frame = pd.DataFrame([row] * len(variants)).reset_index(drop=True)
        for i, changes in enumerate(variants):
            for feature, value in checked_changes(
                changes, self.model.features, self.settings.accepted_ranges
            ).items():
                frame.loc[i, feature] = value
        return frame.astype(self.customers.dtypes.to_dict())

    def what_if(self, customer_id: str, changes: dict[str, object]) -> WhatIfResult:
        """The customer re-scored with some features changed (all else equal)."""
        before = self.predict(customer_id)
        changed = self.changed_rows(customer_id, [changes])
        after = float(self.model.predict_proba(changed)[0])
        lifetime = self._lifetime.what_if(before.customer_id, changed) if self._lifetime else {}
        return WhatIfResult(
            customer_id=before.customer_id,
            changes=checked_changes(changes, self.model.features, self.settings.accepted_ranges),  # type: ignore[arg-type]
            probability_before=before.probability,
            probability_after=after,
            risk_before=before.risk_level,
            risk_after=risk_level(after, self.settings),
            **lifetime,
        )

    def segment(self, customer_id: str) -> ValueSegment:
        wanted = self.canonical_id(customer_id)
        monthly = float(self.fields(wanted)["MonthlyCharges"])
        lifetime = self.time_to_churn(wanted).lifetime_value if self.survival else None
        basis = self.value_basis()
        amount = monthly if basis.measure == "monthly_charges" else lifetime
        return ValueSegment(
            customer_id=wanted,
            tier=str(tiers_by(np.array([amount]), basis.high, basis.mid)[0]),  # type: ignore[arg-type]
            basis=basis,
            monthly_charges=monthly,
            clv_estimate=float(clv_estimate(monthly, self.settings)),
            clv_horizon_months=self.settings.clv_horizon_months,
            lifetime_value=lifetime,
            similar=similar_customers(self._segment_table(), self.fields(wanted)),
        )

    def value_basis(self) -> ValueBasis:
        """What value tiers are cut on (CLV terciles need the whole base's lifetime values)."""
        if self._value_basis is None:
            with self._lock:
                if self._value_basis is None:
                    if self.settings.value_basis == "lifetime_value" and self.survival:
                        self.scores()  # CLV tiers are cut over the whole base, there
                    if self._value_basis is None:
                        self._value_basis = value_basis(self.settings, None)
        return self._value_basis

    def time_to_churn(self, customer_id: str) -> TimeToChurn:
        """When the customer is likely to leave and what they are worth (time-to-churn model)."""
        wanted = self.canonical_id(customer_id)
        if self._lifetime is None:
            raise NoLifetimeModelError("refusal.no_time_to_churn")
        answer = self._lifetime.answer(wanted)
        step = next_step(self.predict(wanted).risk_level, answer, self.settings)
        return answer.model_copy(update={"next_step": step})

    def lifetime_values(
        self, frame: pd.DataFrame, monthly_charges: np.ndarray | None = None
    ) -> np.ndarray:
        """CLV of each row of `frame` (e.g. the customer under offers); see
        `models.survival.scoring.lifetime_values` for `monthly_charges`."""
        if self._lifetime is None:
            raise NoLifetimeModelError("refusal.no_time_to_churn")
        return self._lifetime.lifetime_values(frame, monthly_charges)

    def _segment_table(self) -> SegmentTable:
        if self._segments is None:
            with self._lock:
                if self._segments is None:
                    predicted = None
                    if not self.data.has_labels:
                        scores = self.scores()
                        predicted = scores.set_index("customerID")["churn_probability"]
                    self._segments = segment_table(self.customers, predicted)
        return self._segments

    def risk_history(self, customer_id: str) -> RiskHistory:
        """The customer's risk run by run, and why it changed between the last two runs."""
        wanted = self.canonical_id(customer_id)
        return risk_history(
            wanted,
            self.history,
            self.model,
            self.card.version,
            self.settings.risk_change_points,
        )

    def scores(self) -> pd.DataFrame:
        """The whole base scored once and kept, for listings and the portfolio."""
        if self._scores is None:
            with self._lock:
                if self._scores is None:
                    parts = self.partition_map(
                        score_part, self.customers, self.model, self.survival, self.settings
                    )
                    # The basis of CLV tiers is known only now: kept, not cut again.
                    self._scores, basis = finish_scores(
                        parts, self.settings, self.survival is not None
                    )
                    self._value_basis = basis or self._value_basis
        return self._scores

    def use_partition_map(self, partition_map: PartitionMap) -> None:
        """Score the whole base with `partition_map` (a cluster's partitions) from now on;
        the figures are the same wherever the parts are computed."""
        with self._lock:
            self.partition_map = partition_map

    def model_summary(self, language: Language = BASE_LANGUAGE) -> ModelSummary:
        """What the model is, how it was chosen, and how well it did in cross-validation."""
        return model_summary(self.card, self.settings, language, self.survival)
