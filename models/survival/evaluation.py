"""Repeated stratified K-fold evaluation of the time-to-churn candidates and the champion rule.

Every figure comes from out-of-fold curves: each fold's candidates are fitted on the other folds
only, and so are the fold's censoring weights. Customers with tenure 0 joined this month: they
are censored at time 0, carry no information about time to churn, and are left out of fitting
and scoring of the folds.
"""

from __future__ import annotations

import warnings
from collections.abc import Callable

import numpy as np
import pandas as pd
from lifelines import CoxPHFitter
from lifelines.statistics import proportional_hazard_test
from pydantic import BaseModel, Field
from sklearn.model_selection import RepeatedStratifiedKFold

from core.settings import Settings
from data.schema import TARGET_COLUMN
from models.churn.training import MissingLabelsError
from models.survival.candidates import (
    KaplanMeierBySegment,
    candidates,
    design_matrix,
    survival_covariates,
)
from models.survival.metrics import Censoring, calibration, fold_metrics

#: A covariate whose Schoenfeld-residual test gives p below this violates proportional hazards.
PH_ALPHA = 0.01


class MetricSummary(BaseModel):
    mean: float
    sd: float


class SurvivalEvaluation(BaseModel):
    champion: str
    c_index: float = Field(description="The champion's mean C-index")
    integrated_brier: float = Field(description="The champion's mean integrated Brier score")
    km_integrated_brier: float = Field(description="The Kaplan–Meier baseline's")
    candidates: dict[str, dict[str, MetricSummary]]
    calibration: list[dict] = Field(description="12-month churn by decile, the champion's")
    ph_violations: list[str] = Field(description="Covariates violating proportional hazards")
    covariates: list[str]
    folds: int
    repeats: int
    customers: int
    selection_rule: str


def known_durations(customers: pd.DataFrame) -> tuple[pd.DataFrame, np.ndarray, np.ndarray]:
    if TARGET_COLUMN not in customers:
        raise MissingLabelsError(
            "the data has no Churn column: the time-to-churn model learns from observed churn "
            "(a Churn column of Yes/No, as in the Telco file)"
        )
    known = customers[customers["tenure"] > 0]
    return (
        known,
        known["tenure"].to_numpy(dtype=float),
        (known[TARGET_COLUMN] == "Yes").to_numpy(dtype=int),
    )


def ph_violations(frame: pd.DataFrame, durations, events, covariates) -> list[str]:
    """Covariates whose effect changes with time (Schoenfeld residuals, rank time)."""
    data = design_matrix(frame, covariates)
    data = data.loc[:, data.std() > 0].assign(_T=durations, _E=events)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        cox = CoxPHFitter(penalizer=0.01).fit(data, "_T", "_E")
        test = proportional_hazard_test(cox, data, time_transform="rank")
    p = test.summary["p"]
    return sorted({str(name).split("=")[0] for name in p[p < PH_ALPHA].index})


def evaluate_survival(
    customers: pd.DataFrame,
    settings: Settings,
    simulated_signals: tuple[str, ...] = (),
    progress: Callable[[str], None] = lambda _: None,
) -> SurvivalEvaluation:
    frame, durations, events = known_durations(customers)
    covariates = tuple(c for c in survival_covariates(simulated_signals) if c in frame)
    splitter = RepeatedStratifiedKFold(
        n_splits=settings.cv_folds, n_repeats=settings.cv_repeats, random_state=settings.seed
    )
    names = [c.name for c in candidates(covariates)]
    per_fold: dict[str, list[dict[str, float]]] = {n: [] for n in names}
    first_repeat: dict[str, np.ndarray] = {n: np.zeros((len(frame), 72)) for n in names}
    for fold, (train, test) in enumerate(splitter.split(frame, events)):
        progress(f"fold {fold + 1}/{settings.cv_folds * settings.cv_repeats}")
        g = Censoring(durations[train], events[train])
        for model in candidates(covariates):
            model.fit(frame.iloc[train], durations[train], events[train])
            curves = model.survival(frame.iloc[test])
            per_fold[model.name].append(fold_metrics(curves, durations[test], events[test], g))
            if fold < settings.cv_folds:
                first_repeat[model.name][test] = curves
    summary = {
        name: {
            metric: MetricSummary(
                mean=round(float(np.nanmean([f[metric] for f in folds])), 4),
                sd=round(float(np.nanstd([f[metric] for f in folds])), 4),
            )
            for metric in folds[0]
        }
        for name, folds in per_fold.items()
    }
    champion = _champion(summary, names, len(per_fold[names[0]]))
    baseline = KaplanMeierBySegment().name
    return SurvivalEvaluation(
        champion=champion,
        c_index=summary[champion]["c_index"].mean,
        integrated_brier=summary[champion]["integrated_brier"].mean,
        km_integrated_brier=summary[baseline]["integrated_brier"].mean,
        candidates=summary,
        calibration=calibration(first_repeat[champion], durations, events).to_dict("records"),
        ph_violations=ph_violations(frame, durations, events, covariates),
        covariates=list(covariates),
        folds=settings.cv_folds,
        repeats=settings.cv_repeats,
        customers=len(frame),
        selection_rule=SELECTION_RULE,
    )


SELECTION_RULE = (
    "the simplest candidate whose mean C-index is within one standard error of the best "
    "(candidates ordered from simplest: Kaplan–Meier by contract, Cox, Weibull AFT, "
    "log-logistic AFT, Cox with interactions, the same stratified by contract)"
)


def _champion(summary: dict, names: list[str], folds: int) -> str:
    best = max(names, key=lambda n: summary[n]["c_index"].mean)
    floor = summary[best]["c_index"].mean - summary[best]["c_index"].sd / np.sqrt(folds)
    return next(n for n in names if summary[n]["c_index"].mean >= floor)
