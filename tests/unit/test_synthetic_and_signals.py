"""Demo data has the Telco schema and realistic churn; simulated signals are stable and honest."""

from __future__ import annotations

import numpy as np
import pandas as pd

from core.settings import Settings
from data.loading import load_customers
from data.schema import CATEGORICAL_VALUES, SIGNAL_COLUMNS, TELCO_COLUMNS
from data.signals import simulate_signals
from data.synthetic import generate_customers
from data.validation import validate_customers


def test_synthetic_data_has_the_21_telco_columns_and_passes_validation():
    frame = generate_customers(2000, seed=3)
    assert tuple(frame.columns) == TELCO_COLUMNS
    as_text = frame.astype(str)
    validated = validate_customers(as_text, "synthetic")
    assert len(validated) == 2000
    for column, allowed in CATEGORICAL_VALUES.items():
        assert set(frame[column]) <= set(allowed)


def test_synthetic_data_is_reproducible_by_seed():
    pd.testing.assert_frame_equal(generate_customers(500, 11), generate_customers(500, 11))
    assert not generate_customers(500, 11).equals(generate_customers(500, 12))


def test_synthetic_churn_follows_the_known_dependencies():
    frame = generate_customers(20000, seed=5)
    churn = frame["Churn"].eq("Yes")
    assert 0.24 < churn.mean() < 0.29
    by_contract = churn.groupby(frame["Contract"]).mean()
    assert by_contract["Month-to-month"] > by_contract["One year"] > by_contract["Two year"]
    assert churn[frame["tenure"] <= 6].mean() > churn[frame["tenure"] >= 48].mean()
    by_internet = churn.groupby(frame["InternetService"]).mean()
    assert by_internet["Fiber optic"] > by_internet["DSL"]
    echeck = frame["PaymentMethod"].eq("Electronic check")
    assert churn[echeck].mean() > churn[~echeck].mean()


def test_demo_data_is_used_and_labelled_when_no_file_is_given(tmp_path):
    data = load_customers(None, Settings(raw_dir=tmp_path / "raw", synthetic_rows=300))
    assert data.origin.is_synthetic
    assert "synthetic demo data" in data.origin.describe()
    assert data.origin.simulated_signals == list(SIGNAL_COLUMNS)


def test_simulated_signals_are_stable_per_customer_whatever_the_order():
    frame = generate_customers(400, seed=2)
    whole = simulate_signals(frame, seed=42)
    shuffled = frame.sample(frac=1.0, random_state=0).head(100)
    part = simulate_signals(shuffled, seed=42)
    pd.testing.assert_frame_equal(part, whole.loc[shuffled.index])


def test_simulated_signals_ignore_the_churn_label():
    frame = generate_customers(400, seed=2)
    flipped = frame.assign(Churn=np.where(frame["Churn"].eq("Yes"), "No", "Yes"))
    pd.testing.assert_frame_equal(simulate_signals(frame, 42), simulate_signals(flipped, 42))


def test_simulated_signals_stay_in_their_ranges():
    signals = simulate_signals(generate_customers(5000, seed=9), seed=1)
    assert (signals["recent_login_count"] >= 0).all()
    assert (signals["complain_count"] >= 0).all()
    assert signals["usage_drop_rate"].between(0, 1).all()
    assert (signals[["recent_login_count", "complain_count"]] % 1 == 0).all().all()


def test_tabulated_quantiles_equal_scipys_inversion_row_by_row():
    from scipy import stats

    from data.signals import beta_quantiles_4dp, poisson_quantiles

    rng = np.random.default_rng(4)
    u = rng.random(200_000)
    rate = rng.choice(np.round(rng.uniform(0.25, 12.0, 3_000), 2), size=u.size)
    assert (poisson_quantiles(u, rate) == stats.poisson.ppf(u, rate)).all()
    mean = rng.choice([0.08, 0.18, 0.2, 0.3], size=u.size)
    expected = np.round(stats.beta.ppf(u, mean * 12.0, (1 - mean) * 12.0), 4)
    assert (beta_quantiles_4dp(u, mean) == expected).all()
