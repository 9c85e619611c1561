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
from pydantic import BaseModel, Field
from sklearn.model_selection import RepeatedStratifiedKFold

from core.i18n import Phrase, t
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
from models.survival.support import Pooling, SurvivalSupport, count_support

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
    tenure_calibration: list[dict] = Field(
        default_factory=list,
        description="Out of fold, by tenure band × contract: the observed churn label against "
        "the predicted chance of leaving in the customer's own tenure month, pooled as shown",
    )
    ph_violations: list[str] = Field(description="Covariates violating proportional hazards")
    covariates: list[str]
    folds: int
    repeats: int
    customers: int
    selection_rule: str


def known_durations(customers: pd.DataFrame) -> tuple[pd.DataFrame, np.ndarray, np.ndarray]:
    if TARGET_COLUMN not in customers:
        raise MissingLabelsError(Phrase("artifact.survival_no_labels"))
    known = customers[customers["tenure"] > 0]
    return (
        known,
        known["tenure"].to_numpy(dtype=float),
        (known[TARGET_COLUMN] == "Yes").to_numpy(dtype=int),
    )


def ph_violations(frame: pd.DataFrame, durations, events, covariates) -> list[str]:
    """Covariates whose effect changes with time (Schoenfeld residuals, rank time)."""
    # lifelines only where a model is evaluated: loading a saved card to score does not need it.
    from lifelines import CoxPHFitter
    from lifelines.statistics import proportional_hazard_test

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
    fold_support: list[tuple[np.ndarray, SurvivalSupport]] = []
    for fold, (train, test) in enumerate(splitter.split(frame, events)):
        folds = settings.cv_folds * settings.cv_repeats
        progress(t("progress.fold", settings.language, fold=fold + 1, folds=folds))
        g = Censoring(durations[train], events[train])
        for model in candidates(covariates):
            model.fit(frame.iloc[train], durations[train], events[train])
            curves = model.survival(frame.iloc[test])
            per_fold[model.name].append(fold_metrics(curves, durations[test], events[test], g))
            if fold < settings.cv_folds:
                first_repeat[model.name][test] = curves
        if fold < settings.cv_folds:
            fold_support.append(
                (test, count_support(frame.iloc[train], durations[train], events[train]))
            )
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
        tenure_calibration=tenure_calibration(
            frame, first_repeat[champion], fold_support, events, settings
        ),
        ph_violations=ph_violations(frame, durations, events, covariates),
        covariates=list(covariates),
        folds=settings.cv_folds,
        repeats=settings.cv_repeats,
        customers=len(frame),
        selection_rule=SELECTION_RULE,
    )


#: Tenure bands of the calibration table (months, inclusive).
TENURE_BANDS = ((1, 6), (7, 12), (13, 24), (25, 48), (49, 60), (61, 66), (67, 72))


def tenure_calibration(
    frame: pd.DataFrame,
    curves: np.ndarray,
    fold_support: list[tuple[np.ndarray, SurvivalSupport]],
    events: np.ndarray,
    settings: Settings,
) -> list[dict]:
    """What a snapshot can check, band by band: a customer of tenure T was at risk in months
    1…T and, if they churned, left in month T. Departures observed in a band's months, over the
    customer-months at risk there, is the observed monthly leaving rate; the predicted one sums
    each customer's predicted chance of leaving in each of those months (cumulative hazard) —
    out of fold, each fold's curves pooled with its training folds' support as the product
    pools them, and unpooled for comparison. Observed and expected departures over the same
    customer-months is the O/E check of a censored model; the plain share of churners among the
    customers of tenure T would be d/(d + censored), not the monthly hazard d/at-risk."""
    pooled = np.array(curves, copy=True)
    for test, support in fold_support:
        pooling = Pooling(support, settings.support_min_customers, settings.support_min_departures)
        pooled[test] = pooling.shrink(curves[test], pooling.codes(frame.iloc[test]))
    tenure = frame["tenure"].to_numpy(dtype=int)

    def cumulative(table: np.ndarray) -> np.ndarray:
        return np.hstack([np.zeros((len(table), 1)), -np.log(np.clip(table, 1e-300, 1))])

    shown, unpooled = cumulative(pooled), cumulative(np.asarray(curves))
    rows = []
    everyone = np.arange(len(frame))
    for contract in sorted(frame["Contract"].astype(str).unique()):
        in_contract = (frame["Contract"].astype(str) == contract).to_numpy()
        for first, last in TENURE_BANDS:
            reached = in_contract & (tenure >= first)
            if not reached.any():
                continue
            end = np.minimum(tenure, last)
            exposure = float(np.clip(end - first + 1, 0, None)[reached].sum())
            left = int((events.astype(bool) & reached & (tenure <= last)).sum())

            who, ends = everyone[reached], end[reached]

            def expected(table: np.ndarray, who=who, ends=ends, start=first - 1) -> float:
                return float((table[who, ends] - table[who, start]).sum())

            predicted = expected(shown)
            rows.append(
                {
                    "contract": contract,
                    "tenure": f"{first}–{last}",
                    "customers": int(reached.sum()),
                    "departures": left,
                    "expected_departures": round(predicted, 1),
                    "observed": round(left / exposure, 4),
                    "predicted": round(predicted / exposure, 4),
                    "unpooled": round(expected(unpooled) / exposure, 4),
                }
            )
    return rows


SELECTION_RULE = (
    "the simplest candidate whose mean C-index is within one standard error of the best "
    "(candidates ordered from simplest: Kaplan–Meier by contract, Cox, Weibull AFT, "
    "log-logistic AFT, Cox with interactions, the same stratified by contract)"
)


def _champion(summary: dict, names: list[str], folds: int) -> str:
    best = max(names, key=lambda n: summary[n]["c_index"].mean)
    floor = summary[best]["c_index"].mean - summary[best]["c_index"].sd / np.sqrt(folds)
    return next(n for n in names if summary[n]["c_index"].mean >= floor)
