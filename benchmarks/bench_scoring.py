"""Time whole-base scoring (probability, risk, value, top driver) on the real file and 1M customers.

    .venv/bin/python benchmarks/bench_scoring.py [--rows 1000000] [--model logistic_splines]

Prints customers/second and memory for each pass. The model is fitted on the real file when it
is present (else on synthetic data); scoring never refits. Peak memory is reported two ways:
the Python-tracked peak during the scoring call (tracemalloc, includes NumPy buffers) and the
process's peak resident set size (ru_maxrss, includes the generated input table).
"""

from __future__ import annotations

import argparse
import resource
import time
import tracemalloc
from pathlib import Path

from core.settings import Settings
from data.loading import load_customers
from data.schema import FEATURE_SETS
from data.signals import attach_signals
from data.synthetic import generate_customers
from models.churn.candidates import CANDIDATES, build_candidate
from models.churn.model import ChurnModel
from models.churn.scoring import score_customers

REAL = (
    Path(__file__).resolve().parents[2] / "shared" / "data" / "WA_Fn-UseC_-Telco-Customer-Churn.csv"
)


def _peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _time_scoring(model: ChurnModel, customers, settings: Settings, label: str) -> None:
    tracemalloc.start()
    started = time.perf_counter()
    scored = score_customers(model, customers, settings)
    elapsed = time.perf_counter() - started
    _, traced_peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    print(
        f"{label:<28} {len(scored):>10,} customers  {elapsed:7.2f} s  "
        f"{len(scored) / elapsed:>12,.0f} customers/s  "
        f"scoring peak {traced_peak / 2**20:7.0f} MiB  process peak RSS {_peak_rss_mb():7.0f} MiB"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--model", choices=CANDIDATES, default="logistic_splines")
    parser.add_argument("--features", choices=sorted(FEATURE_SETS), default="enriched")
    args = parser.parse_args()
    settings = Settings()

    data = load_customers(REAL if REAL.exists() else None, settings)
    print(f"data: {data.origin.describe()}")
    X = data.customers
    y = X["Churn"].eq("Yes").to_numpy(int)
    model = ChurnModel.fit(
        args.model, args.features, build_candidate(args.model, args.features), X, y
    )
    print(f"model: {args.model} on {args.features} features ({model.explanation_method})")

    _time_scoring(model, X, settings, "whole base")
    big, _ = attach_signals(generate_customers(args.rows, seed=settings.seed), settings.seed)
    _time_scoring(model, big, settings, f"{args.rows:,} synthetic")


if __name__ == "__main__":
    main()
