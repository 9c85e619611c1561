"""Drift: the stability index per monitored quantity, its chance level, and the flags it raises
on seeded shifts of the demo data — and does not raise without one."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from models.health.drift import (
    DriftReference,
    MeasureReference,
    build_reference,
    chance_psi,
    measure_drift,
    psi,
    smoothed_shares,
)
from models.health.shifts import SHIFTS, shifted_base

SEEDS = range(3000, 3005)
ROWS = 7043  # the demo base's size


@pytest.fixture(scope="module")
def reference(demo_service) -> DriftReference:
    s = demo_service
    customers = s.customers
    return build_reference(
        customers,
        s.model.predict_proba(customers),
        s.model.features,
        s.settings,
        s.card.artifact_sha256,
    )


def _measured(demo_service, reference, customers: pd.DataFrame):
    probability = demo_service.model.predict_proba(customers)
    return measure_drift(reference, customers, probability, demo_service.settings)


def test_identical_shares_have_no_drift():
    shares = smoothed_shares(np.array([10, 20, 30]))
    assert psi(shares, shares) == 0.0


def test_the_index_grows_as_a_share_moves():
    before = smoothed_shares(np.array([50, 50]))
    assert psi(before, smoothed_shares(np.array([60, 40]))) < psi(
        before, smoothed_shares(np.array([80, 20]))
    )


def test_an_empty_bin_does_not_make_the_index_infinite():
    assert np.isfinite(psi(smoothed_shares(np.array([0, 100])), smoothed_shares([100, 0])))


def test_the_chance_level_falls_as_runs_grow():
    assert chance_psi(10, 7000, 200) > chance_psi(10, 7000, 7000) > chance_psi(10, 7000, 10**6)


def test_a_value_on_an_edge_falls_in_the_bin_that_edge_closes():
    bins = MeasureReference(name="x", kind="feature", edges=[1.0, 2.0], shares=[], labels=[])
    assert bins.counts(np.array([1.0, 1.5, 2.0, 2.5])).tolist() == [1, 2, 1, 0]


def test_missing_numbers_and_unknown_categories_are_counted_apart():
    numbers = MeasureReference(name="x", kind="feature", edges=[1.0], shares=[], labels=[])
    assert numbers.counts(np.array([0.5, np.nan, 3.0])).tolist() == [1, 1, 1]
    words = MeasureReference(name="y", kind="feature", values=["a", "b"], shares=[], labels=[])
    assert words.counts(pd.Series(["a", "c", None])).tolist() == [1, 0, 2]


def test_every_feature_the_score_and_the_shares_are_monitored(reference, demo_service):
    names = {m.name for m in reference.measures}
    assert set(demo_service.model.features) <= names
    assert {"churn_probability", "risk_level", "value_tier"} <= names


def test_the_training_data_against_itself_is_not_shifted(reference, demo_service):
    report = _measured(demo_service, reference, demo_service.customers)
    assert not report.shifted
    assert max(m.value for m in report.measures if m.statistic == "psi") < 1e-9


@pytest.mark.parametrize("seed", SEEDS)
def test_a_fresh_sample_of_the_same_population_is_not_shifted(reference, demo_service, seed):
    report = _measured(demo_service, reference, shifted_base("none", seed, rows=ROWS))
    assert not report.shifted, [m for m in report.measures if m.shifted]


def test_a_small_run_is_not_flagged_for_its_sampling_noise(reference, demo_service):
    small = demo_service.customers.sample(150, random_state=1)
    report = _measured(demo_service, reference, small)
    noisy = [m for m in report.measures if m.statistic == "psi" and m.value >= m.threshold]
    assert not report.shifted
    # Without the chance level some of these would have been alarms.
    assert all(m.value < m.threshold + m.noise for m in noisy)


EXPECTED = {
    "fibre_price_rise": {"MonthlyCharges"},
    "contract_mix": {"Contract"},
    "new_customer_wave": {"tenure", "expected_churn_rate"},
    "label_shift": {"expected_churn_rate"},
}


@pytest.mark.parametrize("shift", [s for s in SHIFTS if s != "none"])
def test_each_simulated_shift_is_flagged_where_it_happened(reference, demo_service, shift):
    for seed in SEEDS:
        report = _measured(demo_service, reference, shifted_base(shift, seed, rows=ROWS))
        flagged = {m.name for m in report.measures if m.shifted}
        assert report.shifted
        assert flagged & EXPECTED[shift], (shift, seed, flagged)


def test_the_worst_measures_come_shifted_first(reference, demo_service):
    report = _measured(demo_service, reference, shifted_base("fibre_price_rise", 1, rows=ROWS))
    assert report.worst(1)[0].name == "MonthlyCharges"
    assert report.worst(1)[0].shifted


def test_thresholds_come_from_the_settings(reference, demo_service):
    lenient = demo_service.settings.model_copy(
        update={"drift_feature_psi": 5.0, "drift_score_psi": 5.0, "drift_churn_rate_points": 0.5}
    )
    customers = shifted_base("fibre_price_rise", 3, rows=ROWS)
    report = measure_drift(
        reference, customers, demo_service.model.predict_proba(customers), lenient
    )
    assert not report.shifted


def test_an_unknown_shift_is_refused_with_the_known_ones():
    with pytest.raises(ValueError, match="fibre_price_rise"):
        shifted_base("price_cut", 1)  # type: ignore[arg-type]
