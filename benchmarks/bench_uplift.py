"""Uplift on real randomized data: the Hillstrom e-mail experiment (64,000 customers).

    .venv/bin/python benchmarks/bench_uplift.py [--data ../shared/data/hillstrom.csv] [--splits 5]

For Womens vs No e-mail and Mens vs No e-mail (outcome `visit`): the average effect with its
95 % interval (Newcombe), then over seeded 70/30 splits (stratified by arm × outcome) each
learner's Qini coefficient on the 30 % it did not learn from — scikit-uplift's `qini_auc_score`
definition, mean ± SD — beside a random ranking's, and how often the product's persuadability
test (`models/uplift/assessment.py`, on the same held-out 30 %) finds a persuadable segment.
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

import numpy as np
from sklearn.model_selection import train_test_split

from data.hillstrom import ARMS, arm_versus_control, load_hillstrom
from models.uplift.assessment import DEFAULT_LEARNER, persuadability
from models.uplift.learners import LEARNERS
from models.uplift.metrics import average_effect, qini_coefficient

HILLSTROM = Path(__file__).resolve().parents[2] / "shared" / "data" / "hillstrom.csv"


def _pct(value: float) -> str:
    return f"{value * 100:+.2f} pt" if value < 0 or value > 0 else "0 pt"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=HILLSTROM)
    parser.add_argument("--splits", type=int, default=5)
    args = parser.parse_args()
    if not args.data.exists():
        raise SystemExit(f"{args.data} not found: the Hillstrom file is needed (see its README)")
    frame = load_hillstrom(args.data)
    for arm in ARMS:
        features, treated, outcome = arm_versus_control(frame, arm)
        effect = average_effect(outcome, treated)
        print(
            f"\n{arm} vs No E-Mail: {effect.treated:,} treated, {effect.control:,} controls; "
            f"visit rate {effect.treated_rate:.1%} vs {effect.control_rate:.1%}; average effect "
            f"{_pct(effect.difference)} (95 % {_pct(effect.low)} to {_pct(effect.high)}, "
            f"{effect.method})"
        )
        qini: dict[str, list[float]] = {name: [] for name in (*LEARNERS, "random ranking")}
        verdicts, z_values, started = [], [], time.perf_counter()
        for seed in range(args.splits):
            train, test = train_test_split(
                np.arange(len(features)),
                test_size=0.3,
                random_state=seed,
                stratify=treated * 2 + outcome,
            )
            for name, make in LEARNERS.items():
                model = make().fit(features.iloc[train], treated[train], outcome[train])
                uplift = model.uplift(features.iloc[test])
                qini[name].append(qini_coefficient(outcome[test], uplift, treated[test]))
                if name == DEFAULT_LEARNER:
                    verdict = persuadability(uplift, treated[test], outcome[test])
                    verdicts.append(verdict.persuadable)
                    z_values.append(verdict.z)
            noise = np.random.default_rng(seed).random(len(test))
            qini["random ranking"].append(qini_coefficient(outcome[test], noise, treated[test]))
        print(f"  Qini coefficient on the held-out 30 %, {args.splits} seeded splits:")
        for name, values in qini.items():
            mark = "  ← the product's learner" if name == DEFAULT_LEARNER else ""
            print(f"    {name:22s} {np.mean(values):+.4f} ± {np.std(values, ddof=1):.4f}{mark}")
        found = sum(verdicts)
        print(
            f"  persuadable segment found in {found} of {len(verdicts)} splits "
            f"(most- vs least-affected fifth, z = {', '.join(f'{z:.2f}' for z in z_values)}; "
            f"{'persuadable segment' if found > len(verdicts) / 2 else 'no persuadable segment'})"
        )
        print(f"  {time.perf_counter() - started:.0f} s")


if __name__ == "__main__":
    main()
