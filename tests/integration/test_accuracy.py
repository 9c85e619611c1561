"""Accuracy over time: each run stores the accuracy its scores should have if the model is
calibrated (the estimate), a labelled file's outcomes are kept, and a month's scores are judged
against outcomes observed after them — flagged when the realised ROC-AUC falls below the model
card's by the margin."""

from __future__ import annotations

from datetime import date

import numpy as np
import pandas as pd
import pytest

from crm_agents.batch.run import run_batch
from crm_agents.store.accuracy import accuracy_by_month, record_labels
from crm_agents.store.database import open_store, read_table
from models.health.accuracy import calibration_gap, estimate, expected_roc_auc, realised


def test_the_estimate_matches_what_calibrated_scores_achieve():
    rng = np.random.default_rng(1)
    p = rng.beta(1, 3, 100_000)
    y = (rng.random(len(p)) < p).astype(float)
    assert expected_roc_auc(p) == pytest.approx(realised(y, p).roc_auc, abs=0.01)
    assert estimate(p, True).brier == pytest.approx(realised(y, p).brier, abs=0.005)


def test_miscalibrated_scores_show_a_calibration_gap():
    rng = np.random.default_rng(2)
    p = rng.beta(1, 3, 50_000)
    y = (rng.random(len(p)) < p).astype(float)
    assert calibration_gap(y, p) < 0.01
    assert calibration_gap(y, np.clip(p * 1.8, 0, 1)) > 0.1


@pytest.fixture
def run_on_demo(demo, tmp_path):
    url = f"sqlite:///{tmp_path / 'crm.db'}"
    run = run_batch(demo.analyzer, url, min_risk="high", limit=1, workers=1).run_id
    return open_store(url), run


def test_a_run_stores_its_estimate_and_the_labels_its_file_brings(run_on_demo, demo):
    engine, run = run_on_demo
    stored = read_table(engine, "runs").set_index("id").loc[run]
    assert 0.5 < stored["estimated_roc_auc"] < 1 and bool(stored["estimate_reliable"])
    kept = read_table(engine, "labels")
    assert len(kept) == len(demo.service.customers)
    assert kept["churned"].mean() == pytest.approx(demo.service.customers["Churn"].eq("Yes").mean())


def test_a_run_is_not_judged_by_its_own_files_outcomes(run_on_demo, demo):
    engine, _ = run_on_demo
    (month,) = accuracy_by_month(engine, demo.service.card.metrics.roc_auc, 0.05)
    assert month.realised is None and month.estimated_roc_auc is not None


def test_later_outcomes_judge_the_runs_scores(run_on_demo, demo):
    engine, run = run_on_demo
    churned = demo.service.customers["Churn"].eq("Yes")
    record_labels(engine, None, churned, date.today(), "later file")  # type: ignore[arg-type]
    (month,) = accuracy_by_month(engine, demo.service.card.metrics.roc_auc, 0.05)
    assert month.run_id == run and month.realised.rows == len(churned)
    assert not month.dropped


def test_a_drop_beyond_the_margin_is_flagged(run_on_demo, demo):
    engine, _ = run_on_demo
    customers = demo.service.customers.index
    noise = pd.Series(np.random.default_rng(3).random(len(customers)) < 0.3, index=customers)
    record_labels(engine, None, noise, date.today(), "outcomes the model no longer foresees")  # type: ignore[arg-type]
    (month,) = accuracy_by_month(engine, demo.service.card.metrics.roc_auc, 0.05)
    assert month.realised.roc_auc < 0.6 and month.dropped
