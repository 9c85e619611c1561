"""Who to act on first, before and after `models/urgency.py`, measured out of fold — the
README's figures for issue 25:

    .venv/bin/python scripts/urgency_before_after.py --data ../shared/data/<file>.csv
    .venv/bin/python scripts/urgency_before_after.py            # the synthetic demo data

Every customer is scored by models fitted on the other folds (5-fold, stratified on the label):
the churn model (`--model`, the Telco file's champion by default) and the time-to-churn
champion (chosen once on all customers by `evaluate_survival`, then refitted per fold), whose
figures are taken both unpooled (the old product) and pooled with their training folds'
support (the new one).

- before: "call this week" was a raw 90-day chance ≥ 0.5 whatever the risk level; lists and
  the campaign queue were ordered by the raw 90-day chance.
- after: a call this week needs high risk and a pooled 90-day chance ≥ `urgent_within_90d`
  (the interval's low end too where support is thin); lists and the queue go by risk level,
  then 90-day chance × lifetime value.

The queue is taken as the batch's eligible customers (medium and high risk) in queue order,
before the offer's value filter and budget cut, which do not depend on the order.
"""

from __future__ import annotations

import argparse
import warnings
from pathlib import Path

import numpy as np
import pandas as pd
from sklearn.model_selection import StratifiedKFold

from core.settings import Settings
from data.loading import load_customers
from data.schema import FEATURE_SETS, TARGET_COLUMN
from models.churn.candidates import build_candidate
from models.segments import risk_levels
from models.survival.card import fit_champion
from models.survival.evaluation import evaluate_survival
from models.survival.scoring import lifetime_columns
from models.urgency import RISK_RANK, call_this_week, expected_loss_90d

OLD_THRESHOLD = 0.5
QUEUE_HEAD = 50


def out_of_fold(frame: pd.DataFrame, settings: Settings, model: str, origin) -> pd.DataFrame:
    """Per customer: label, churn probability, risk level, pooled and unpooled 90-day chance
    (with the pooled interval's low end and its support), lifetime value — all out of fold."""
    y = frame[TARGET_COLUMN].eq("Yes").to_numpy(int)
    X = frame[list(FEATURE_SETS[settings.feature_set])]
    champion = evaluate_survival(
        frame, settings.model_copy(update={"cv_repeats": 1}), tuple(origin.simulated_signals)
    )
    parts = []
    folds = StratifiedKFold(5, shuffle=True, random_state=settings.seed)
    for train, test in folds.split(X, y):
        pipeline = build_candidate(model, settings.feature_set).fit(X.iloc[train], y[train])
        card = fit_champion(frame.iloc[train], champion, origin)
        pooled = lifetime_columns(card, frame.iloc[test], settings)
        raw = lifetime_columns(
            card.model_copy(update={"support": None}), frame.iloc[test], settings
        )
        parts.append(
            pd.DataFrame(
                {
                    "label": y[test],
                    "probability": pipeline.predict_proba(X.iloc[test])[:, 1],
                    "within_90d": pooled["churn_within_90d"].to_numpy(),
                    "within_90d_low": pooled["churn_within_90d_low"].to_numpy(),
                    "thin": pooled["thin_support"].to_numpy(),
                    "within_90d_raw": raw["churn_within_90d"].to_numpy(),
                    "clv": pooled["clv"].to_numpy(),
                },
                index=frame.index[test],
            )
        )
    scored = pd.concat(parts).loc[frame.index]
    scored["risk_level"] = risk_levels(scored["probability"].to_numpy(), settings)
    return scored


def figures(scored: pd.DataFrame, settings: Settings) -> pd.DataFrame:
    rank = scored["risk_level"].map(RISK_RANK)
    loss = pd.Series(expected_loss_90d(scored["within_90d"], scored["clv"]), scored.index)
    old_order = scored.sort_values("within_90d_raw", ascending=False, kind="stable")
    new_order = scored.assign(_rank=rank, _loss=loss).sort_values(
        ["_rank", "_loss", "probability"], ascending=False, kind="stable"
    )
    old_calls = scored[scored["within_90d_raw"] >= OLD_THRESHOLD]
    new_calls = scored[
        call_this_week(
            scored["risk_level"],
            scored["within_90d"],
            scored["within_90d_low"],
            scored["thin"],
            settings.urgent_within_90d,
        )
    ]
    decile = len(scored) // 10

    def eligible(order: pd.DataFrame) -> pd.DataFrame:
        return order[order["risk_level"].isin(["high", "medium"])].head(QUEUE_HEAD)

    def high(rows: pd.DataFrame) -> str:
        return f"{(rows['risk_level'] == 'high').mean():.0%} of {len(rows)}" if len(rows) else "—"

    rows = [
        ("'call this week' customers that are high risk", high(old_calls), high(new_calls)),
        (
            f"queue priority 1–{QUEUE_HEAD} that are high risk",
            high(eligible(old_order)),
            high(eligible(new_order)),
        ),
        (
            "observed churn rate of the top decile by urgency (out of fold)",
            f"{old_order.head(decile)['label'].mean():.1%}",
            f"{new_order.head(decile)['label'].mean():.1%}",
        ),
        (
            "90-day CLV at stake in the top decile (pooled chance × CLV)",
            f"{loss[old_order.index[:decile]].sum():,.0f}",
            f"{loss[new_order.index[:decile]].sum():,.0f}",
        ),
    ]
    return pd.DataFrame(rows, columns=["figure", "before", "after"])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, help="a customer CSV with Churn; default: demo data")
    parser.add_argument("--model", default="logistic_splines", help="churn model candidate")
    args = parser.parse_args()
    settings = Settings()
    data = load_customers(args.data, settings)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        scored = out_of_fold(data.customers, settings, args.model, data.origin)
    print(f"{data.origin.describe()}: {len(scored):,} customers, 5 folds")
    print(figures(scored, settings).to_string(index=False))


if __name__ == "__main__":
    np.seterr(all="ignore")
    main()
