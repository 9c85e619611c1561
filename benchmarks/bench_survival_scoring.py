"""Scoring a base with both models against the churn model alone, measured in one run.

    .venv/bin/python benchmarks/bench_survival_scoring.py [--rows 1000000]

Fits the churn model and the time-to-churn champion (Cox with interactions, the champion on the
Telco file) on the real file when present, else on synthetic data, then times on `--rows`
synthetic customers: the churn scores, the time-to-churn columns (churn within 30/90/180/365
days, months left, CLV), and their ratio (target: both together under 2× the churn model alone).
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

from core.settings import Settings
from data.loading import load_customers
from data.signals import attach_signals
from data.synthetic import generate_customers
from models.churn.candidates import build_candidate
from models.churn.model import ChurnModel
from models.churn.scoring import score_customers
from models.survival.artifact import from_candidate
from models.survival.candidates import CoxModel, survival_covariates
from models.survival.card import SurvivalCard
from models.survival.evaluation import SurvivalEvaluation, known_durations
from models.survival.scoring import lifetime_columns

REAL = (
    Path(__file__).resolve().parents[2] / "shared" / "data" / "WA_Fn-UseC_-Telco-Customer-Churn.csv"
)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    args = parser.parse_args()
    settings = Settings()
    data = load_customers(REAL if REAL.exists() else None, settings)
    print(f"data: {data.origin.describe()}")
    X = data.customers
    churn = ChurnModel.fit(
        "logistic_splines",
        "enriched",
        build_candidate("logistic_splines", "enriched"),
        X,
        X["Churn"].eq("Yes").to_numpy(int),
    )
    frame, durations, events = known_durations(X)
    covariates = survival_covariates(tuple(data.origin.simulated_signals))
    cox = CoxModel("cox_interactions", covariates, interactions=True, penalizer=0.001)
    cox.fit(frame, durations, events)
    card = SurvivalCard.model_construct(
        evaluation=SurvivalEvaluation.model_construct(),
        curves=from_candidate(cox),
        dataset=data.origin,
        created_at=None,
    )
    big, _ = attach_signals(generate_customers(args.rows, seed=settings.seed), settings.seed)

    started = time.perf_counter()
    score_customers(churn, big, settings)
    churn_s = time.perf_counter() - started
    started = time.perf_counter()
    lifetime_columns(card, big, settings)
    survival_s = time.perf_counter() - started
    print(f"{args.rows:,} customers")
    print(f"churn model alone          {churn_s:7.2f} s")
    print(f"time-to-churn columns      {survival_s:7.2f} s")
    print(f"both / churn alone         {(churn_s + survival_s) / churn_s:7.2f}×  (target < 2×)")


if __name__ == "__main__":
    main()
