"""The support behind a time-to-churn figure: counted, pooled where thin, an interval always,
and no thin figure that alone makes a customer urgent."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from models.survival.candidates import HORIZON
from models.survival.card import SurvivalStaleError, load_survival, save_survival
from models.survival.scoring import Timing
from models.survival.support import Pooling, SurvivalSupport, bounds, count_support, spread


def _support(customers: list[int], departures: list[int]) -> SurvivalSupport:
    return SurvivalSupport(
        customers={"*": customers, "Month-to-month": customers},
        departures={"*": departures, "Month-to-month": departures},
    )


def _flat_support(customers: int = 1000, departures: int = 50) -> SurvivalSupport:
    return _support([customers] * HORIZON, [departures] * HORIZON)


def _curve(hazards: np.ndarray) -> np.ndarray:
    return np.exp(-np.cumsum(hazards))[None, :]


def test_support_counts_customers_who_stayed_at_least_each_month_and_who_left_in_it():
    frame = pd.DataFrame({"Contract": ["Month-to-month"] * 4 + ["Two year"]})
    durations = np.array([1, 2, 2, 5, 3])
    events = np.array([1, 0, 1, 1, 0])
    support = count_support(frame, durations, events)
    assert support.customers["Month-to-month"][:6] == [4, 3, 1, 1, 1, 0]
    assert support.departures["Month-to-month"][:6] == [1, 1, 0, 0, 1, 0]
    assert support.customers["*"][:3] == [5, 4, 2]
    assert support.customers["Two year"][:4] == [1, 1, 1, 0]


def test_a_well_supported_month_keeps_the_models_hazard():
    pooling = Pooling(_flat_support(), 100, 20)
    curve = _curve(np.linspace(0.01, 0.08, HORIZON))
    np.testing.assert_allclose(pooling.shrink(curve, np.array([0])), curve, rtol=1e-9)


def test_months_with_too_few_customers_borrow_the_hazard_of_the_nearest_supported_band():
    customers = [1000] * 60 + [50] * 12  # nobody enough past month 60
    pooling = Pooling(_support(customers, [30] * HORIZON), 100, 20)
    hazards = np.full(HORIZON, 0.01)
    hazards[65:] = 0.2  # the tail's jump rests on 50 customers
    shrunk = pooling.shrink(_curve(hazards), np.array([0]))[0]
    monthly = -np.diff(np.log(np.hstack([1.0, shrunk])))
    np.testing.assert_allclose(monthly[60:], 0.01, rtol=1e-9)


def test_months_with_few_departures_are_averaged_with_their_neighbours_keeping_the_total():
    departures = [5] * HORIZON  # 20 departures need four months
    pooling = Pooling(_support([1000] * HORIZON, departures), 100, 20)
    hazards = np.where(np.arange(HORIZON) % 2 == 0, 0.01, 0.03)
    shrunk = pooling.shrink(_curve(hazards), np.array([0]))[0]
    monthly = -np.diff(np.log(np.hstack([1.0, shrunk])))
    assert monthly[10:60].std() < hazards[10:60].std() / 10
    assert monthly.sum() == pytest.approx(hazards.sum(), rel=0.05)


def test_a_customer_past_every_observed_tenure_has_no_support_and_is_thin():
    pooling = Pooling(_flat_support(), 100, 20)
    window = pooling.window(np.array([0, 0]), np.array([10, HORIZON]))
    assert window["customers"].tolist() == [1000, 0]
    assert window["departures"].tolist() == [150, 0]
    assert window["thin"].tolist() == [False, True]


def test_a_contract_the_fit_never_saw_counts_with_everyone():
    pooling = Pooling(_flat_support(), 100, 20)
    codes = pooling.codes(pd.DataFrame({"Contract": ["Ten year", "Month-to-month"]}))
    assert [pooling.levels[c] for c in codes] == ["*", "Month-to-month"]


def test_the_interval_holds_the_figure_and_widens_with_fewer_departures():
    ahead = np.exp(-0.1 * np.arange(13))[None, :].repeat(2, axis=0)
    low, high = bounds(ahead, spread(np.array([400, 20]), np.zeros(2)))
    assert np.all(low[:, 3] >= ahead[:, 3]) and np.all(high[:, 3] <= ahead[:, 3])
    widths = low[:, 3] - high[:, 3]
    assert widths[1] > 2 * widths[0]


def test_no_departure_at_all_still_gives_a_finite_wide_interval():
    assert spread(np.array([0]), np.zeros(1))[0] == pytest.approx(1.0)


def _timing(p90: float, low90: float, thin: bool) -> Timing:
    def curve(p):  # a conditional curve reaching 1 - p at 90 days (about 2.96 months)
        hazard = -np.log(1 - p) / (90 / (365.25 / 12))
        return np.exp(-hazard * np.arange(5))[None, :]

    support = {"thin": np.array([thin])}
    return Timing(curve(p90), curve(low90), curve(min(0.99, p90 + 0.2)), support)


def test_a_thin_figure_counts_as_soon_only_when_its_lower_end_clears_the_threshold():
    assert not _timing(0.7, 0.3, thin=True).soon(0.5)[0]
    assert _timing(0.7, 0.55, thin=True).soon(0.5)[0]
    assert _timing(0.7, 0.3, thin=False).soon(0.5)[0]


def test_a_saved_model_without_support_is_refitted_for_the_data_in_use(tmp_path, demo_service):
    card = demo_service.survival.model_copy(update={"support": None})
    save_survival(card, tmp_path)
    with pytest.raises(SurvivalStaleError, match="earlier version"):
        load_survival(tmp_path, card.dataset)
    assert load_survival(tmp_path) is not None  # still readable for unlabelled data


def test_on_the_real_file_no_thin_figure_alone_puts_a_customer_on_the_call_list(real_service):
    scores = real_service.scores()
    threshold = real_service.settings.urgent_within_90d
    calls = scores[scores["call_this_week"]]
    assert len(calls) > 0 and (calls["risk_level"] == "high").all()
    assert (calls["churn_within_90d"] >= threshold).all()
    thin = calls[calls["thin_support"]]
    assert (thin["churn_within_90d_low"] >= threshold).all()
    assert scores["thin_support"].any(), "the file's long month-to-month tenures are thin"
    tenure = real_service.customers.loc[scores["customerID"], "tenure"].to_numpy()
    tail = scores[tenure >= 66]
    assert tail["churn_within_90d"].max() < 0.5, "the 14-departure jump no longer decides"


def _constant_hazard_snapshot(hazard: float, customers: int, seed: int = 0):
    """Customers who joined up to 72 months ago and leave with the same monthly hazard."""
    rng = np.random.default_rng(seed)
    leaves = rng.geometric(1 - np.exp(-hazard), customers)
    joined = rng.integers(1, HORIZON + 1, customers)
    durations = np.minimum(leaves, joined)
    events = (leaves <= joined).astype(int)
    frame = pd.DataFrame({"Contract": "Month-to-month", "tenure": durations})
    return frame, durations, events


def test_tenure_calibration_matches_observed_departures_when_the_curves_are_true():
    from core.settings import Settings
    from models.survival.evaluation import tenure_calibration

    frame, durations, events = _constant_hazard_snapshot(0.04, 20_000)
    curves = np.repeat(_curve(np.full(HORIZON, 0.04)), len(frame), axis=0)
    support = count_support(frame, durations, events)
    rows = tenure_calibration(frame, curves, [(np.arange(len(frame)), support)], events, Settings())
    assert sum(r["departures"] for r in rows) == events.sum()
    for row in rows:
        assert row["observed"] == pytest.approx(1 - np.exp(-0.04), abs=0.006)
        assert row["predicted"] == pytest.approx(0.04, abs=1e-4)
        expected = row["expected_departures"]
        assert abs(row["departures"] - expected) < 4 * np.sqrt(expected)


def test_tenure_calibration_shows_a_thin_tails_jump_before_and_after_pooling():
    from core.settings import Settings
    from models.survival.evaluation import tenure_calibration

    frame, durations, events = _constant_hazard_snapshot(0.05, 3_000, seed=1)
    hazards = np.full(HORIZON, 0.05)
    hazards[66:] = 0.4  # a fitted tail that jumps where few customers remain
    curves = np.repeat(_curve(hazards), len(frame), axis=0)
    support = count_support(frame, durations, events)
    assert support.customers["Month-to-month"][66] < 100
    rows = tenure_calibration(frame, curves, [(np.arange(len(frame)), support)], events, Settings())
    tail = next(r for r in rows if r["tenure"] == "67–72")
    assert tail["unpooled"] == pytest.approx(0.4, abs=1e-6)
    assert tail["predicted"] < 0.1
    assert abs(tail["predicted"] - tail["observed"]) < abs(tail["unpooled"] - tail["observed"])
