"""Drift: how fast it is measured, and whether it catches a shift and stays quiet without one.

    .venv/bin/python benchmarks/bench_drift.py [--rows 1000000] [--seeds 50]

1. Speed. The demo model (trained as the product trains it, on the 7,043-customer demo base)
   describes its training data once (the reference: bins and shares, cached beside the model),
   then measures a base of `--rows` customers drawn from the demo generator: every feature, the
   churn score, the expected churn rate and the shares per risk level and value tier. Reported:
   seconds for the reference, seconds to measure, and seconds per million customers (scoring
   the base is the batch's work and is timed apart).
2. Proof by simulation (`models/health/shifts.py`). For each shift, `--seeds` fresh demo bases
   (7,043 customers, seeds 10,000…) are changed and measured against the reference: the share
   of runs flagged (detection; for the no-shift control, the false-alarm rate) and the measures
   that raised the flag.
"""

from __future__ import annotations

import argparse
import collections
import tempfile
import time
from pathlib import Path

from core.settings import Settings
from data.loading import load_customers
from data.signals import attach_signals
from data.synthetic import generate_customers
from models.churn.persistence import save_model
from models.churn.training import train
from models.health.drift import measure_drift
from models.health.reference import describe_training_data
from models.health.shifts import SHIFTS, shifted_base


def _large_base(rows: int):
    customers, _ = attach_signals(generate_customers(rows, 7), 7)
    return customers


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--seeds", type=int, default=50)
    args = parser.parse_args()
    settings = Settings(artifacts_dir=Path(tempfile.mkdtemp()) / "artifacts")
    data = load_customers(None, settings)
    started = time.perf_counter()
    model, card = train(data, settings)
    card = save_model(model, card, settings.artifacts_dir)
    took = time.perf_counter() - started
    print(f"demo model {card.model}/{card.feature_set} trained in {took:.0f} s")

    started = time.perf_counter()
    reference = describe_training_data(model, data.customers, settings, card.artifact_sha256)
    print(
        f"reference of {reference.rows:,} training customers: {time.perf_counter() - started:.2f} s"
    )

    base = _large_base(args.rows)
    started = time.perf_counter()
    probability = model.predict_proba(base)
    scoring = time.perf_counter() - started
    started = time.perf_counter()
    report = measure_drift(reference, base, probability, settings)
    measuring = time.perf_counter() - started
    print(
        f"{args.rows:,} customers: drift measured in {measuring:.2f} s "
        f"({measuring / args.rows * 1e6:.2f} s per million; target < 60 s), "
        f"{len(report.measures)} measures, shifted: {report.shifted} "
        f"(scoring them, not part of the check: {scoring:.1f} s)"
    )

    print(f"\nshift                flagged in {args.seeds} runs   measures that raised the flag")
    for shift in SHIFTS:
        flagged, raised = 0, collections.Counter()
        for seed in range(10_000, 10_000 + args.seeds):
            customers = shifted_base(shift, seed)
            result = measure_drift(reference, customers, model.predict_proba(customers), settings)
            flagged += result.shifted
            raised.update(m.name for m in result.measures if m.shifted)
        rate = flagged / args.seeds
        what = "false alarms" if shift == "none" else "detected"
        names = ", ".join(f"{name} {count}" for name, count in raised.most_common(4)) or "—"
        print(f"{shift:20s} {flagged:3d} ({rate:6.1%} {what})   {names}")


if __name__ == "__main__":
    main()
