"""When a customer is likely to leave and what they are worth: the `predict_time_to_churn`
answer from the saved survival model, beside the curve of similar customers.

Similar customers share the contract type and internet service. Their curve is the observed
Kaplan–Meier curve when the data has labels, else the model's mean curve over the segment; in
both it is read from the customer's own tenure on (S(t + h) / S(t)), so the two curves answer the
same question: of customers who have stayed this long, how many are still here h months later.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

import numpy as np
import pandas as pd

from core.settings import Settings
from data.schema import TARGET_COLUMN
from models.survival.candidates import kaplan_meier
from models.survival.card import SurvivalCard
from models.survival.lifetime import (
    DAYS_PER_MONTH,
    WITHIN_DAYS,
    discounted_value,
    months_to_half,
    remaining,
    within_days,
)
from models.survival.scoring import timing
from models.urgency import action, timing_disagrees
from tools.timing_schemas import Interval, NextStep, TimeToChurn, TimingSupport

#: Months ahead a curve is shown for (two years: what a retention plan looks at).
CURVE_MONTHS = 24
SEGMENT_COLUMNS = ("Contract", "InternetService")
EVERYONE = ("*", "*")
_CHUNK = 100_000


@dataclass(frozen=True)
class SegmentCurves:
    """One curve (months 1…72) and size per contract × internet service."""

    curves: dict[tuple[str, str], np.ndarray]
    sizes: dict[tuple[str, str], int]
    basis: Literal["observed", "predicted"]


def segment_curves(customers: pd.DataFrame, card: SurvivalCard) -> SegmentCurves:
    keys = [tuple(str(v) for v in k) for k in customers[list(SEGMENT_COLUMNS)].to_numpy()]
    sizes = pd.Series(keys).value_counts().to_dict()
    if TARGET_COLUMN in customers:
        known = customers[customers["tenure"] > 0]
        curves = {
            (str(contract), str(internet)): kaplan_meier(
                group["tenure"].to_numpy(dtype=float),
                group[TARGET_COLUMN].eq("Yes").to_numpy(dtype=int),
            )
            for (contract, internet), group in known.groupby(list(SEGMENT_COLUMNS), observed=True)
        }
        curves[EVERYONE] = kaplan_meier(
            known["tenure"].to_numpy(dtype=float),
            known[TARGET_COLUMN].eq("Yes").to_numpy(dtype=int),
        )
        return SegmentCurves(curves, sizes, "observed")
    sums: dict[tuple[str, str], np.ndarray] = {}
    for start in range(0, len(customers), _CHUNK):
        chunk = customers.iloc[start : start + _CHUNK]
        frame = pd.DataFrame(card.curves.curves(chunk))
        frame["key"] = keys[start : start + _CHUNK]
        for key, total in frame.groupby("key").sum().iterrows():
            sums[key] = sums.get(key, 0) + total.to_numpy()
    curves = {k: v / sizes[k] for k, v in sums.items()}
    curves[EVERYONE] = sum(sums.values()) / max(len(customers), 1)
    return SegmentCurves(curves, sizes, "predicted")


def time_to_churn(
    customer_id: str,
    row: pd.DataFrame,
    card: SurvivalCard,
    segments: SegmentCurves,
    settings: Settings,
) -> TimeToChurn:
    """The answer for one customer (`row`: their one-row frame)."""
    tenure = row["tenure"].to_numpy(dtype=int)
    horizon = max(settings.lifetime_months, CURVE_MONTHS, int(np.ceil(365 / DAYS_PER_MONTH)))
    timed = timing(card, row, settings, horizon)
    ahead = timed.ahead
    key = (str(row["Contract"].iloc[0]), str(row["InternetService"].iloc[0]))
    # A segment with no customer of known tenure compares with everyone.
    segment = segments.curves.get(key, segments.curves[EVERYONE])
    segment_ahead = remaining(segment[None, :], tenure, horizon)[0]
    charges = row["MonthlyCharges"].to_numpy(dtype=float)

    def median(curves: np.ndarray) -> int | None:
        months = months_to_half(curves[:, : settings.lifetime_months + 1])[0]
        return None if np.isnan(months) else int(months)

    def value(curves: np.ndarray) -> float:
        return round(
            float(
                discounted_value(
                    curves,
                    charges,
                    settings.margin_rate,
                    settings.annual_discount_rate,
                    settings.lifetime_months,
                )[0]
            ),
            2,
        )

    def chance(curves: np.ndarray, days: int) -> float:
        # Six decimals, as in the scored table: four round twice on the way to a percentage
        # (0.157462 → 0.1575 → "15.8%" here but "15.7%" in the portfolio).
        return round(float(within_days(curves, days)[0]), 6)

    within = {d: chance(ahead, d) for d in WITHIN_DAYS}
    intervals = {
        f"churn_within_{d}d_interval": Interval(
            low=chance(timed.low_risk, d), high=chance(timed.high_risk, d)
        )
        for d in WITHIN_DAYS
    }
    support = {k: v[0] for k, v in timed.support.items()}
    return TimeToChurn(
        customer_id=customer_id,
        tenure_months=int(tenure[0]),
        churn_within_30d=within[30],
        churn_within_90d=within[90],
        churn_within_180d=within[180],
        churn_within_365d=within[365],
        **intervals,
        support=TimingSupport(
            contract=key[0],
            customers=int(support["customers"]),
            departures=int(support["departures"]),
            thin=bool(support["thin"]),
            pooled_from_month=int(support["band_first_month"]),
            pooled_to_month=int(support["band_last_month"]),
            pooled_departures=int(support["band_departures"]),
        ),
        leaving_soon=bool(timed.soon(settings.urgent_within_90d)[0]),
        median_months_left=median(ahead),
        # The low-risk end stays longer: its median is the interval's upper end.
        median_months_left_interval=Interval(
            low=median(timed.high_risk), high=median(timed.low_risk)
        ),
        horizon_months=settings.lifetime_months,
        lifetime_value=value(ahead),
        lifetime_value_interval=Interval(low=value(timed.high_risk), high=value(timed.low_risk)),
        margin_rate=settings.margin_rate,
        annual_discount_rate=settings.annual_discount_rate,
        curve=[round(float(v), 4) for v in ahead[0, : CURVE_MONTHS + 1]],
        segment_curve=[round(float(v), 4) for v in segment_ahead[: CURVE_MONTHS + 1]],
        segment_contract=key[0],
        segment_internet_service=key[1],
        segment_customers=int(segments.sizes.get(key, 0)),
        segment_basis=segments.basis,
        model=card.curves.model,
    )


def next_step(risk_level: str, lifetime: TimeToChurn | None, settings: Settings) -> NextStep:
    """What to do with one customer: without a time-to-churn model, the risk level alone."""
    soon = bool(lifetime and lifetime.leaving_soon)
    calls = soon and risk_level == "high"
    return NextStep(
        risk_level=risk_level,
        action=action(risk_level, calls),
        follows="risk_level_and_timing" if calls else "risk_level",
        timing_disagrees=timing_disagrees(risk_level, soon),
        within_90d=lifetime.churn_within_90d if lifetime else None,
        expected_loss_90d=round(lifetime.churn_within_90d * lifetime.lifetime_value, 2)
        if lifetime
        else None,
        threshold=settings.urgent_within_90d,
    )
