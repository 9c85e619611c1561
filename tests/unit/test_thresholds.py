"""The threshold simulator: from out-of-fold predictions, what contacting everyone at or above a
cut-off costs and keeps — counts that add up, money that follows the inputs, and a best cut-off
that moves with the cost."""

from __future__ import annotations

import numpy as np
import pytest

from agents.present.threshold_words import chosen_line, threshold_table
from tools.portfolio.thresholds import CUTOFFS, ThresholdSimulator, best_cutoff, simulate


@pytest.fixture(scope="module")
def simulator(demo_service) -> ThresholdSimulator:
    return ThresholdSimulator(demo_service)


def test_the_predictions_are_out_of_fold_and_near_the_cards_accuracy(simulator, demo_service):
    from sklearn.metrics import roc_auc_score

    y, p, _ = simulator.out_of_fold()
    assert len(y) == len(demo_service.customers)
    # Not the fitted model's in-sample scores: those would be better than cross-validation.
    assert roc_auc_score(y, p) == pytest.approx(demo_service.card.metrics.roc_auc, abs=0.03)


def test_each_cutoffs_counts_add_up(simulator):
    y, _, _ = simulator.out_of_fold()
    for row in simulator.table(20.0, 0.2):
        assert row.true_positives + row.false_positives == row.contacted
        assert row.true_positives + row.missed == int(y.sum())


def test_a_higher_cutoff_contacts_fewer_and_costs_less(simulator):
    rows = simulator.table(20.0, 0.2)
    contacted = [r.contacted for r in rows]
    assert contacted == sorted(contacted, reverse=True)
    assert [r.cost for r in rows] == [r.contacted * 20.0 for r in rows]


def test_net_value_is_value_kept_less_cost():
    y = np.array([1, 0, 1, 0])
    p = np.array([0.9, 0.8, 0.3, 0.1])
    value = np.array([100.0, 50.0, 80.0, 10.0])
    row = simulate(y, p, value, 0.5, 10.0, 0.5)
    assert (row.contacted, row.true_positives, row.missed) == (2, 1, 1)
    assert row.value_saved == 50.0 and row.cost == 20.0 and row.net_value == 30.0


def test_the_best_cutoff_rises_when_contacts_cost_more(simulator):
    cheap = best_cutoff(simulator.table(1.0, 0.3)).cutoff
    dear = best_cutoff(simulator.table(200.0, 0.3)).cutoff
    assert dear > cheap


def test_the_simulator_speaks_both_languages(simulator):
    rows = simulator.table(20.0, 0.2)
    assert "contacted" in chosen_line(rows[0], "en")
    assert "聯繫" in chosen_line(rows[0], "zh-TW")
    assert len(threshold_table(rows, "zh-TW").rows) == len(CUTOFFS)
