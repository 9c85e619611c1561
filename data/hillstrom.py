"""Kevin Hillstrom's e-mail experiment (2008): 64,000 customers randomized to a men's e-mail, a
women's e-mail or none, with the visits of the next two weeks. The public benchmark the uplift
models are measured on (`benchmarks/bench_uplift.py`); never part of the product's data."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

#: Known before the e-mails went out: what an uplift model may learn from.
FEATURES = (
    "recency",
    "history_segment",
    "history",
    "mens",
    "womens",
    "zip_code",
    "newbie",
    "channel",
)
CONTROL = "No E-Mail"
ARMS = ("Womens E-Mail", "Mens E-Mail")
OUTCOMES = ("visit", "conversion")


def load_hillstrom(path: Path) -> pd.DataFrame:
    """The experiment as published; refused, naming what is missing, when it is not that file."""
    frame = pd.read_csv(path)
    missing = [c for c in (*FEATURES, "segment", *OUTCOMES) if c not in frame]
    if missing:
        raise ValueError(
            f"{path} is not the Hillstrom file: missing column(s) {', '.join(missing)}"
        )
    unknown = set(frame["segment"]) - {CONTROL, *ARMS}
    if unknown:
        raise ValueError(
            f"{path}: unknown segment value(s) {', '.join(map(repr, sorted(unknown)))}"
        )
    return frame


def arm_versus_control(frame: pd.DataFrame, arm: str, outcome: str = "visit"):
    """Features, treatment flags (1 = got `arm`'s e-mail) and outcomes of one arm and the
    controls."""
    pair = frame[frame["segment"].isin([arm, CONTROL])].reset_index(drop=True)
    treated = (pair["segment"] == arm).astype(int).to_numpy()
    return pair[list(FEATURES)], treated, pair[outcome].astype(int).to_numpy()
