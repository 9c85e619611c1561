"""A fitted time-to-churn model saved as numbers gives the curves lifelines gives."""

from __future__ import annotations

import json

import numpy as np
import pytest

from models.survival.artifact import SurvivalCurves, from_candidate
from models.survival.candidates import AFTModel, CoxModel, KaplanMeierBySegment, survival_covariates


@pytest.fixture(scope="module")
def cohort(demo_service):
    frame = demo_service.customers[demo_service.customers["tenure"] > 0]
    durations = frame["tenure"].to_numpy(dtype=float)
    events = (frame["Churn"] == "Yes").to_numpy(dtype=int)
    return frame, durations, events


COVARIATES = survival_covariates(("recent_login_count", "complain_count", "usage_drop_rate"))


@pytest.mark.parametrize(
    "candidate",
    [
        KaplanMeierBySegment(),
        CoxModel("cox", COVARIATES),
        CoxModel("cox_interactions", COVARIATES, interactions=True, penalizer=0.001),
        CoxModel("by_contract", COVARIATES, True, penalizer=0.001, strata="Contract"),
        AFTModel("weibull_aft", COVARIATES, "weibull"),
        AFTModel("loglogistic_aft", COVARIATES, "loglogistic"),
    ],
    ids=lambda c: c.name,
)
def test_the_saved_numbers_reproduce_the_fitted_curves(cohort, candidate):
    frame, durations, events = cohort
    candidate.fit(frame, durations, events)
    saved = SurvivalCurves.model_validate(json.loads(from_candidate(candidate).model_dump_json()))
    sample = frame.iloc[:200]
    np.testing.assert_allclose(saved.curves(sample), candidate.survival(sample), atol=1e-6)
