"""Honest evaluation: repeated stratified K-fold, metrics from out-of-fold predictions only.

Each fold fits a fresh clone of the whole pipeline on its training part, so no encoder,
scaler or spline ever sees the fold it is scored on.
"""

from __future__ import annotations

import os

import numpy as np
import pandas as pd
from joblib import Parallel, delayed, parallel_config
from pydantic import BaseModel
from sklearn.base import clone
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import average_precision_score, brier_score_loss, log_loss, roc_auc_score
from sklearn.model_selection import RepeatedStratifiedKFold
from sklearn.pipeline import Pipeline

from core.orphans import die_with_parent

TOP_FRACTION = 0.10


class CVMetrics(BaseModel):
    model: str
    feature_set: str
    folds: int
    repeats: int
    seed: int
    rows: int
    churn_rate: float
    roc_auc: float
    roc_auc_std: float
    pr_auc: float
    brier: float
    log_loss: float
    top_decile_lift: float
    calibration_intercept: float
    calibration_slope: float
    fold_roc_auc: list[float]


def top_decile_lift(y: np.ndarray, p: np.ndarray, fraction: float = TOP_FRACTION) -> float:
    """Churn rate among the top `fraction` by probability, divided by the overall rate."""
    k = max(1, int(np.ceil(len(y) * fraction)))
    top = np.argsort(-p, kind="stable")[:k]
    return float(y[top].mean() / y.mean())


def calibration_line(y: np.ndarray, p: np.ndarray) -> tuple[float, float]:
    """Intercept and slope of y on logit(p): (0, 1) for perfectly calibrated probabilities."""
    p = np.clip(p, 1e-6, 1 - 1e-6)
    logit = np.log(p / (1 - p)).reshape(-1, 1)
    fit = LogisticRegression(C=1e6, max_iter=1000).fit(logit, y)
    return float(fit.intercept_[0]), float(fit.coef_[0, 0])


def _fit_predict(pipeline: Pipeline, X: pd.DataFrame, y: np.ndarray, train, test) -> np.ndarray:
    fitted = clone(pipeline).fit(X.iloc[train], y[train])
    return fitted.predict_proba(X.iloc[test])[:, 1]


def cross_validate(
    pipeline: Pipeline,
    X: pd.DataFrame,
    y: np.ndarray,
    *,
    name: str,
    feature_set: str,
    folds: int = 5,
    repeats: int = 3,
    seed: int = 42,
    n_jobs: int = 1,
) -> tuple[CVMetrics, np.ndarray]:
    """Mean fold metrics over `repeats` × `folds`, and the out-of-fold probabilities per repeat."""
    splitter = RepeatedStratifiedKFold(n_splits=folds, n_repeats=repeats, random_state=seed)
    splits = list(splitter.split(X, y))
    # The fold workers end with this process, even on kill -9 (a batch refitting its model).
    with parallel_config(backend="loky", initializer=die_with_parent, initargs=(os.getpid(),)):
        probabilities = Parallel(n_jobs=n_jobs)(
            delayed(_fit_predict)(pipeline, X, y, train, test) for train, test in splits
        )
    oof = np.zeros((repeats, len(y)))
    per_fold: dict[str, list[float]] = {k: [] for k in ("auc", "pr", "brier", "ll", "lift")}
    for i, ((_, test), p) in enumerate(zip(splits, probabilities, strict=True)):
        oof[i // folds, test] = p
        yt = y[test]
        per_fold["auc"].append(roc_auc_score(yt, p))
        per_fold["pr"].append(average_precision_score(yt, p))
        per_fold["brier"].append(brier_score_loss(yt, p))
        per_fold["ll"].append(log_loss(yt, p, labels=[0, 1]))
        per_fold["lift"].append(top_decile_lift(yt, p))
    lines = [calibration_line(y, oof[r]) for r in range(repeats)]
    metrics = CVMetrics(
        model=name,
        feature_set=feature_set,
        folds=folds,
        repeats=repeats,
        seed=seed,
        rows=len(y),
        churn_rate=float(y.mean()),
        roc_auc=float(np.mean(per_fold["auc"])),
        roc_auc_std=float(np.std(per_fold["auc"], ddof=1)) if len(splits) > 1 else 0.0,
        pr_auc=float(np.mean(per_fold["pr"])),
        brier=float(np.mean(per_fold["brier"])),
        log_loss=float(np.mean(per_fold["ll"])),
        top_decile_lift=float(np.mean(per_fold["lift"])),
        calibration_intercept=float(np.mean([a for a, _ in lines])),
        calibration_slope=float(np.mean([b for _, b in lines])),
        fold_roc_auc=[float(v) for v in per_fold["auc"]],
    )
    return metrics, oof


def select_champion(results: list[CVMetrics]) -> CVMetrics:
    """The simplest candidate within one paired standard error of the best mean ROC-AUC.

    `results` are in order of increasing complexity and share the same folds, so fold-wise
    differences to the best model are paired; a more complex model must beat a simpler one by
    more than their noise to be chosen.
    """
    best = max(results, key=lambda m: m.roc_auc)
    best_folds = np.asarray(best.fold_roc_auc)
    for candidate in results:
        diff = best_folds - np.asarray(candidate.fold_roc_auc)
        se = float(np.std(diff, ddof=1) / np.sqrt(len(diff))) if len(diff) > 1 else 0.0
        if candidate.roc_auc >= best.roc_auc - se:
            return candidate
    return best
