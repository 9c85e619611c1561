"""Seeded shifts of the demo data, to prove that drift is caught when it happens and not when it
does not: each draws a fresh base from the demo generator (another seed, the same population)
and changes it the way a market does. `none` is the control.

* `fibre_price_rise` — fibre-optic customers pay 10 % more a month;
* `contract_mix` — 40 % of the one- and two-year customers are back on month-to-month (a
  loyalty promotion ended);
* `new_customer_wave` — a campaign brings new customers (at most 3 months' tenure) who make a
  fifth of the base;
* `label_shift` — more customers are about to leave (the share of churners goes from about
  26 % to 45 %) while each group looks as before: the base is redrawn by its Churn label.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Literal

import numpy as np
import pandas as pd

from data.schema import ID_COLUMN, TARGET_COLUMN
from data.signals import attach_signals
from data.synthetic import generate_customers

Shift = Literal["none", "fibre_price_rise", "contract_mix", "new_customer_wave", "label_shift"]
SHIFTS: tuple[Shift, ...] = (
    "none",
    "fibre_price_rise",
    "contract_mix",
    "new_customer_wave",
    "label_shift",
)
PRICE_RISE = 0.10
CONTRACT_MOVE = 0.4
NEW_CUSTOMER_SHARE = 0.20
NEW_TENURE_MONTHS = 3
CHURN_SHARE_AFTER = 0.45


def _fibre_price_rise(base: pd.DataFrame, rng: np.random.Generator) -> pd.DataFrame:
    fibre = base["InternetService"].eq("Fiber optic")
    out = base.copy()
    out.loc[fibre, "MonthlyCharges"] = (out.loc[fibre, "MonthlyCharges"] * (1 + PRICE_RISE)).round(
        2
    )
    return out


def _contract_mix(base: pd.DataFrame, rng: np.random.Generator) -> pd.DataFrame:
    committed = base["Contract"].ne("Month-to-month").to_numpy()
    moved = committed & (rng.random(len(base)) < CONTRACT_MOVE)
    out = base.copy()
    out.loc[moved, "Contract"] = "Month-to-month"
    return out


def _new_customer_wave(base: pd.DataFrame, rng: np.random.Generator) -> pd.DataFrame:
    wanted = round(NEW_CUSTOMER_SHARE * len(base))
    pool = generate_customers(len(base) * 4, int(rng.integers(1 << 31)))
    newcomers = pool[pool["tenure"].le(NEW_TENURE_MONTHS)].head(wanted)
    stayers = base.sample(len(base) - len(newcomers), random_state=rng)
    out = pd.concat([stayers, newcomers], ignore_index=True)
    return out.drop_duplicates(ID_COLUMN, ignore_index=True)


def _label_shift(base: pd.DataFrame, rng: np.random.Generator) -> pd.DataFrame:
    churned = base[base[TARGET_COLUMN].eq("Yes")]
    stayed = base[base[TARGET_COLUMN].eq("No")]
    leaving = round(CHURN_SHARE_AFTER * len(base))
    drawn = pd.concat(
        [
            churned.sample(leaving, replace=True, random_state=rng),
            stayed.sample(len(base) - leaving, replace=True, random_state=rng),
        ],
        ignore_index=True,
    )
    # Drawn with replacement: each copy is a customer of its own.
    drawn[ID_COLUMN] = [f"{i:04d}-LSHFT" for i in range(len(drawn))]
    return drawn


_CHANGES: dict[Shift, Callable[[pd.DataFrame, np.random.Generator], pd.DataFrame]] = {
    "none": lambda base, rng: base,
    "fibre_price_rise": _fibre_price_rise,
    "contract_mix": _contract_mix,
    "new_customer_wave": _new_customer_wave,
    "label_shift": _label_shift,
}


def shifted_base(shift: Shift, seed: int, rows: int = 7043) -> pd.DataFrame:
    """A fresh demo base of `rows` customers drawn with `seed`, changed by `shift`, with the
    behaviour signals simulated on the changed base (as the loader would)."""
    if shift not in _CHANGES:
        raise ValueError(f"unknown shift {shift!r}; known: {', '.join(SHIFTS)}")
    rng = np.random.default_rng(seed)
    base = generate_customers(rows, seed)
    changed = _CHANGES[shift](base, rng)
    customers, _ = attach_signals(changed, seed)
    customers = customers.set_index(ID_COLUMN, drop=False)
    customers.index.name = None
    return customers
