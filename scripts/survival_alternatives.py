"""Models tried for the time-to-churn C-index beside the product's candidates, on the same
folds and metrics (`models/survival/metrics.py`), so the README's "tried" figures can be re-run.

    .venv/bin/pip install "scikit-survival>=0.24,<0.29"   # tree models only; not a product need
    .venv/bin/python scripts/survival_alternatives.py --data ../shared/data/<file>.csv --trees

Prints, per model, the mean C-index and integrated Brier score over the folds so far. The
trees see the same covariates as the Cox models (no tenure, no TotalCharges, no tenure-drawn
simulated signal).
"""

from __future__ import annotations

import argparse
import time
import warnings
from pathlib import Path

import numpy as np
import pandas as pd
from lifelines import CoxPHFitter
from sklearn.model_selection import StratifiedKFold

from core.settings import Settings
from data.loading import load_customers
from data.schema import ADDON_SERVICES
from models.survival.candidates import (
    MONTHS,
    CoxModel,
    candidates,
    design_matrix,
    survival_covariates,
)
from models.survival.evaluation import known_durations
from models.survival.metrics import Censoring, fold_metrics


class _Extra(CoxModel):
    """`cox_interactions` with engineered counts of add-on services."""

    def _data(self, frame: pd.DataFrame) -> pd.DataFrame:
        data = super()._data(frame)
        addons = frame[list(ADDON_SERVICES)].eq("Yes").sum(axis=1).to_numpy() / 3.0
        month_to_month = frame["Contract"].eq("Month-to-month").to_numpy()
        return data.assign(addons_squared=addons**2, addons_x_monthly=addons * month_to_month)


def _cox_per_contract(frame, durations, events, train, test, covariates) -> np.ndarray:
    """One penalised Cox model per contract type: every coefficient may differ by contract."""
    design = design_matrix(frame, covariates)
    contract = frame["Contract"].to_numpy()
    curves = np.zeros((len(test), len(MONTHS)))
    for level in np.unique(contract):
        fit_rows, score_at = train[contract[train] == level], np.where(contract[test] == level)[0]
        part = design.iloc[fit_rows]
        keep = [c for c in part if part[c].std() > 0 and not c.startswith("Contract=")]
        model = CoxPHFitter(penalizer=0.05).fit(
            part[keep].assign(_T=durations[fit_rows], _E=events[fit_rows]), "_T", "_E"
        )
        scored = design.iloc[test[score_at]][keep]
        curves[score_at] = model.predict_survival_function(scored, times=MONTHS).to_numpy().T
    return curves


def _tree_curves(kind: str, x_train, durations, events, x_test) -> np.ndarray:
    from sksurv.ensemble import (
        ExtraSurvivalTrees,
        GradientBoostingSurvivalAnalysis,
        RandomSurvivalForest,
    )
    from sksurv.util import Surv

    target = Surv.from_arrays(events.astype(bool), durations.astype(float))
    if kind == "gradient_boosted_cox":
        model = GradientBoostingSurvivalAnalysis(
            n_estimators=200, max_depth=2, learning_rate=0.1, subsample=0.8, random_state=0
        )
    else:
        forest = RandomSurvivalForest if kind == "random_survival_forest" else ExtraSurvivalTrees
        model = forest(n_estimators=300, min_samples_leaf=20, n_jobs=2, random_state=0)
    model.fit(x_train, target)
    return np.vstack(
        [f(np.clip(MONTHS, *f.domain)) for f in model.predict_survival_function(x_test)]
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, help="a Telco CSV (default: the demo data)")
    parser.add_argument("--folds", type=int, default=5)
    parser.add_argument("--trees", action="store_true", help="also the scikit-survival models")
    args = parser.parse_args()
    warnings.simplefilter("ignore")

    data = load_customers(args.data, Settings())
    frame, durations, events = known_durations(data.customers)
    covariates = tuple(c for c in survival_covariates(data.origin.simulated_signals) if c in frame)
    x = design_matrix(frame, covariates).drop(columns=["MonthlyCharges²"]).to_numpy()
    split = StratifiedKFold(args.folds, shuffle=True, random_state=42)
    results: dict[str, list[tuple[float, float]]] = {}
    started = time.time()
    for fold, (train, test) in enumerate(split.split(frame, events)):
        censoring = Censoring(durations[train], events[train])
        fit = (frame.iloc[train], durations[train], events[train])
        named = {c.name: c for c in candidates(covariates)}
        curves = {
            name: named[name].fit(*fit).survival(frame.iloc[test])
            for name in ("cox_interactions", "loglogistic_aft", "cox_interactions_by_contract")
        }
        extra = _Extra("cox_interactions_addons", covariates, True, penalizer=0.001)
        curves[extra.name] = extra.fit(*fit).survival(frame.iloc[test])
        cox = curves["cox_interactions"]
        per_contract = _cox_per_contract(frame, durations, events, train, test, covariates)
        curves["cox_per_contract"] = per_contract
        curves["mean_with_cox_per_contract"] = (cox + per_contract) / 2
        curves["mean_with_loglogistic"] = (cox + curves["loglogistic_aft"]) / 2
        curves["mean_with_stratified"] = (cox + curves["cox_interactions_by_contract"]) / 2
        if args.trees:
            for kind in ("random_survival_forest", "extra_survival_trees", "gradient_boosted_cox"):
                trees = _tree_curves(kind, x[train], durations[train], events[train], x[test])
                curves[kind] = trees
                curves[f"{kind}_30_cox_70"] = 0.3 * trees + 0.7 * cox
        for name, curve in curves.items():
            metrics = fold_metrics(curve, durations[test], events[test], censoring)
            results.setdefault(name, []).append((metrics["c_index"], metrics["integrated_brier"]))
        print(f"fold {fold + 1}/{args.folds}, {time.time() - started:.0f} s", flush=True)
        for name, values in results.items():
            c, brier = np.mean(values, axis=0)
            print(f"  {name:<40} C-index {c:.4f}  integrated Brier {brier:.4f}")


if __name__ == "__main__":
    main()
