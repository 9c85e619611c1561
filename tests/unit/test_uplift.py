"""Uplift: the effect of a campaign with an honest interval, a Qini coefficient that means what
scikit-uplift's means, and a persuadable segment only where one exists."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from models.uplift.assessment import cross_fitted_uplift, persuadability
from models.uplift.learners import LEARNERS
from models.uplift.metrics import average_effect, qini_coefficient, wilson


def _scikit_uplift_example(seed: int):
    rng = np.random.default_rng(seed)
    treated = rng.integers(0, 2, 300)
    outcome = (rng.random(300) < 0.2 + 0.1 * treated * (rng.random(300) < 0.5)).astype(int)
    return outcome, np.round(rng.normal(size=300), 1), treated  # ties on purpose


@pytest.mark.parametrize(
    ("seed", "reference"),
    # scikit-uplift 0.5.1, sklift.metrics.qini_auc_score on the same arrays.
    [(1, 0.06903383780247543), (2, 0.04112076133129107), (3, -0.02768865189278242)],
)
def test_the_qini_coefficient_matches_scikit_uplifts_definition_ties_included(seed, reference):
    assert qini_coefficient(*_scikit_uplift_example(seed)) == pytest.approx(reference, abs=1e-12)


def test_the_perfect_ranking_scores_one_and_random_rankings_score_about_zero():
    outcome, _, treated = _scikit_uplift_example(4)
    perfect = outcome * treated - outcome * (1 - treated)
    assert qini_coefficient(outcome, perfect, treated) == pytest.approx(1.0)
    rng = np.random.default_rng(0)
    noise = [qini_coefficient(outcome, rng.random(300), treated) for _ in range(200)]
    assert abs(np.mean(noise)) < 0.05


def test_the_effect_interval_is_newcombes_method_10_on_his_worked_example():
    # Newcombe (1998), Statistics in Medicine 17:873, example (a): 56/70 vs 48/80.
    outcome = np.r_[np.ones(56), np.zeros(14), np.ones(48), np.zeros(32)].astype(int)
    treated = np.r_[np.ones(70), np.zeros(80)].astype(int)
    effect = average_effect(outcome, treated)
    assert effect.difference == pytest.approx(0.2)
    assert (round(effect.low, 4), round(effect.high, 4)) == (0.0524, 0.3339)
    assert effect.conclusive


def test_wilsons_interval_stays_inside_zero_and_one_with_no_successes():
    low, high = wilson(0, 20)
    assert low == 0.0 and 0.1 < high < 0.2


def test_an_effect_needs_both_arms_and_binary_outcomes():
    with pytest.raises(ValueError, match="treated and control"):
        average_effect([1, 0, 1], [1, 1, 1])
    with pytest.raises(ValueError, match="0 and 1"):
        average_effect([2, 0, 1], [1, 0, 1])


def _campaign(effect_in_segment: float, effect_elsewhere: float, n: int = 8000, seed: int = 0):
    """A randomized campaign where customers on month-to-month contracts respond by
    `effect_in_segment` and the others by `effect_elsewhere`."""
    rng = np.random.default_rng(seed)
    features = pd.DataFrame(
        {
            "contract": rng.choice(["Month-to-month", "One year", "Two year"], n),
            "tenure": rng.integers(0, 72, n),
            "monthly_charges": rng.uniform(20, 110, n),
        }
    )
    treated = rng.integers(0, 2, n)
    segment = (features["contract"] == "Month-to-month").to_numpy()
    base = 0.6 + 0.003 * features["tenure"].to_numpy()
    effect = np.where(segment, effect_in_segment, effect_elsewhere)
    retained = (rng.random(n) < np.clip(base + treated * effect, 0, 1)).astype(int)
    return features, treated, retained, segment


@pytest.mark.parametrize("learner", sorted(LEARNERS))
def test_every_learner_ranks_a_persuadable_segment_first(learner):
    features, treated, retained, segment = _campaign(0.25, 0.0)
    model = LEARNERS[learner]().fit(features, treated, retained)
    uplift = model.uplift(features)
    assert uplift[segment].mean() > uplift[~segment].mean() + 0.1


def test_a_segment_that_responds_is_found_on_customers_the_model_never_saw():
    features, treated, retained, segment = _campaign(0.25, 0.0)
    verdict = persuadability(cross_fitted_uplift(features, treated, retained), treated, retained)
    assert verdict.persuadable
    assert verdict.most_affected.difference > verdict.least_affected.difference
    # Near what knowing the true segment would score (the Qini's known optimum here).
    assert verdict.qini > 0.8 * qini_coefficient(retained, segment.astype(float), treated)


def test_an_offer_that_moves_everyone_alike_has_no_persuadable_segment():
    found = []
    for seed in range(5):
        features, treated, retained, _ = _campaign(0.1, 0.1, seed=seed)
        uplift = cross_fitted_uplift(features, treated, retained, seed=seed)
        found.append(persuadability(uplift, treated, retained).persuadable)
    assert sum(found) <= 1  # a 5 % test: one false find in five would already be unlucky


@pytest.mark.slow
def test_on_hillstrom_women_are_persuadable_and_men_are_not(hillstrom_csv):
    from sklearn.model_selection import train_test_split

    from data.hillstrom import arm_versus_control, load_hillstrom

    frame = load_hillstrom(hillstrom_csv)
    found = {}
    for arm in ("Womens E-Mail", "Mens E-Mail"):
        features, treated, visit = arm_versus_control(frame, arm)
        train, test = train_test_split(
            np.arange(len(visit)), test_size=0.3, random_state=0, stratify=treated * 2 + visit
        )
        model = LEARNERS["two_model"]().fit(features.iloc[train], treated[train], visit[train])
        uplift = model.uplift(features.iloc[test])
        found[arm] = persuadability(uplift, treated[test], visit[test])
    assert found["Womens E-Mail"].persuadable and found["Womens E-Mail"].qini > 0.05
    assert not found["Mens E-Mail"].persuadable
