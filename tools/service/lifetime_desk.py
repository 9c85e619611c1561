"""Time to churn and lifetime value for the service: one answer per customer, computed once and
kept (least recently used go first), the similar customers' curves built once per base, and
the re-scoring of changed rows for a what-if or an offer."""

from __future__ import annotations

import threading
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
from cachetools import LRUCache

from core.settings import Settings
from models.survival.card import SurvivalCard
from models.survival.lifetime import within_days
from models.survival.scoring import lifetime_values, timing
from tools.service.time_to_churn import SegmentCurves, segment_curves, time_to_churn
from tools.timing_schemas import TimeToChurn


@dataclass
class LifetimeDesk:
    customers: pd.DataFrame
    survival: SurvivalCard
    settings: Settings
    cache_size: int
    _answers: LRUCache = field(init=False, repr=False)
    _segment_curves: SegmentCurves | None = field(default=None, init=False, repr=False)
    # The app answers several users from threads: the cache and the curves fill under one lock.
    _lock: threading.RLock = field(default_factory=threading.RLock, init=False, repr=False)

    def __post_init__(self) -> None:
        self._answers = LRUCache(self.cache_size)

    def cached(self) -> int:
        with self._lock:
            return len(self._answers)

    def answer(self, customer_id: str) -> TimeToChurn:
        """When the customer (an ID as stored) is likely to leave and what they are worth."""
        with self._lock:
            cached = self._answers.get(customer_id)
        if cached is not None:
            return cached
        if self._segment_curves is None:
            with self._lock:
                if self._segment_curves is None:
                    self._segment_curves = segment_curves(self.customers, self.survival)
        row = self.customers.loc[[customer_id]]
        answer = time_to_churn(customer_id, row, self.survival, self._segment_curves, self.settings)
        with self._lock:
            self._answers[customer_id] = answer
        return answer

    def lifetime_values(
        self, frame: pd.DataFrame, monthly_charges: np.ndarray | None = None
    ) -> np.ndarray:
        """CLV of each row of `frame`; see `models.survival.scoring.lifetime_values` for
        `monthly_charges`."""
        return lifetime_values(self.survival, frame, self.settings, monthly_charges)

    def what_if(self, customer_id: str, changed: pd.DataFrame) -> dict[str, float]:
        """The 90-day chance and CLV of the customer today and with the one changed row.
        CLV after takes margin on today's bill: a lower price is the offer's cost, counted
        once there."""
        today = self.answer(customer_id)
        ahead = timing(self.survival, changed, self.settings, 3).ahead
        within = within_days(ahead, 90)
        bill = self.customers.loc[[customer_id], "MonthlyCharges"].to_numpy()
        return {
            "lifetime_value_before": today.lifetime_value,
            "lifetime_value_after": float(self.lifetime_values(changed, bill)[0]),
            "churn_within_90d_before": today.churn_within_90d,
            "churn_within_90d_after": round(float(within[0]), 6),
        }
