"""The nightly run measures drift: each run stores every measure and its flag, a shifted base is
flagged in the run's summary, and a run without a reference says why nothing was measured."""

from __future__ import annotations

import pandas as pd
import pytest

from crm_agents.batch.run import run_batch
from crm_agents.composition import assemble
from crm_agents.model_check import drift_reference
from crm_agents.store import database
from crm_agents.store.health import drift_history, drift_of
from data.loading import CustomerData, DataOrigin
from models.health.reference import REFERENCE_FILE
from models.health.shifts import shifted_base
from tools.service.retention import RetentionService


def _db(tmp_path) -> str:
    return f"sqlite:///{tmp_path / 'crm.db'}"


def _origin(seed: int, rows: int) -> DataOrigin:
    simulated = ["recent_login_count", "complain_count", "usage_drop_rate"]
    return DataOrigin(kind="synthetic", seed=seed, rows=rows, simulated_signals=simulated)


def _over(demo, customers: pd.DataFrame, seed: int):
    """The product assembled over another base, scored by the demo's model."""
    s = demo.service
    data = CustomerData(customers, _origin(seed, len(customers)))
    service = RetentionService(data, s.model, s.card, s.settings, survival=s.survival)
    return assemble(s.settings, service=service)


@pytest.fixture(scope="module")
def reference(demo):
    s = demo.service
    made, why_not = drift_reference(s.model, s.card, s.data, s.settings)
    assert why_not is None
    return made


def test_a_run_on_the_training_data_stores_every_measure_unshifted(demo, reference, tmp_path):
    url = _db(tmp_path)
    summary = run_batch(demo.analyzer, url, min_risk="high", limit=1, workers=1)
    assert summary.drift_shifted is False and summary.shifted_measures == []
    report = drift_of(database.open_store(url), summary.run_id)
    assert {m.name for m in report.measures} >= set(demo.service.model.features) | {
        "churn_probability",
        "expected_churn_rate",
        "risk_level",
        "value_tier",
    }
    assert report.rows == len(demo.service.customers)
    assert report.reference_rows == reference.rows


def test_a_shifted_base_is_flagged_in_the_summary_and_the_store(demo, reference, tmp_path):
    url = _db(tmp_path)
    shifted = _over(demo, shifted_base("fibre_price_rise", 11, rows=7043), seed=11)
    summary = run_batch(shifted.analyzer, url, min_risk="high", limit=1, workers=1)
    assert summary.drift_shifted is True
    assert "MonthlyCharges" in summary.shifted_measures
    history = drift_history(database.open_store(url))
    assert history[0]["drift_shifted"] is True
    assert "MonthlyCharges" in history[0]["shifted_measures"]


def test_a_resumed_run_keeps_one_drift_record(demo, reference, tmp_path):
    url = _db(tmp_path)
    summary = run_batch(demo.analyzer, url, min_risk="high", limit=1, workers=1)
    engine = database.open_store(url)
    database.update_run(engine, summary.run_id, status="interrupted")
    again = run_batch(demo.analyzer, url, resume=True, workers=1)
    assert again.run_id == summary.run_id
    rows = database.read_table(engine, "drift", summary.run_id)
    assert rows["name"].is_unique and len(rows) == len(reference.measures) + 1


def test_without_a_reference_a_run_says_why_drift_was_not_measured(demo, tmp_path):
    s = demo.service
    settings = s.settings.model_copy(update={"artifacts_dir": tmp_path / "elsewhere"})
    other = CustomerData(shifted_base("none", 5, rows=1500), _origin(5, 1500))
    service = RetentionService(other, s.model, s.card, settings, survival=s.survival)
    summary = run_batch(
        assemble(settings, service=service).analyzer,
        _db(tmp_path),
        min_risk="high",
        limit=1,
        workers=1,
    )
    assert summary.drift_shifted is None
    assert summary.drift_note["phrase"] == "drift.no_reference"
    assert not (tmp_path / "elsewhere" / REFERENCE_FILE).exists()
