"""Embedded synthetic demo customers with the Telco schema, so the product runs without the file.

The generator is seeded and vectorised (a million rows take a few seconds). Its churn label
comes from a logistic model with the dependencies the real data shows — month-to-month
contracts, short tenure, fiber optic, electronic check, no tech support or online security
raise churn — and an intercept solved so that about 26.5 % of customers churn, as in the file.
"""

from __future__ import annotations

import string

import numpy as np
import pandas as pd
from scipy.optimize import brentq
from scipy.special import expit

from data.schema import ADDON_SERVICES, ID_COLUMN, TARGET_COLUMN, TELCO_COLUMNS

TARGET_CHURN_RATE = 0.265
_ADDON_PRICE = {
    "OnlineSecurity": 5.0,
    "OnlineBackup": 5.0,
    "DeviceProtection": 5.0,
    "TechSupport": 5.0,
    "StreamingTV": 10.0,
    "StreamingMovies": 10.0,
}


def _customer_ids(rng: np.random.Generator, n: int) -> np.ndarray:
    letters = np.array(list(string.ascii_uppercase))
    ids = np.empty(0, dtype=object)
    while ids.size < n:
        need = n - ids.size
        digits = rng.integers(0, 10_000, size=need)
        codes = letters[rng.integers(0, 26, size=(need, 5))]
        fresh = np.char.add(np.char.zfill(digits.astype(str), 4), "-")
        for k in range(5):
            fresh = np.char.add(fresh, codes[:, k])
        ids = pd.unique(np.concatenate([ids, fresh.astype(object)]))
    return ids[:n]


def _choice(rng: np.random.Generator, options: tuple[str, ...], probs: np.ndarray) -> np.ndarray:
    """Vectorised categorical draw with per-row probabilities (rows × options)."""
    cumulative = np.cumsum(probs, axis=1)
    u = rng.random(len(probs))[:, None]
    index = (u > cumulative).sum(axis=1).clip(max=len(options) - 1)
    return np.asarray(options, dtype=object)[index]


def generate_customers(n: int = 7043, seed: int = 42) -> pd.DataFrame:
    """`n` typed customers with the 21 Telco columns (the same types `validate_customers` gives)."""
    rng = np.random.default_rng(seed)
    yes_no = np.array(["No", "Yes"], dtype=object)

    senior = (rng.random(n) < 0.16).astype("int64")
    partner = rng.random(n) < 0.48
    dependents = rng.random(n) < np.where(partner, 0.5, 0.1)
    # Telco tenure is U-shaped: many new customers and many at the 72-month cap.
    tenure = np.rint(rng.beta(0.65, 0.6, n) * 72).astype("int64")

    short = np.clip(1.0 - tenure / 72.0, 0.0, 1.0)
    contract = _choice(
        rng,
        ("Month-to-month", "One year", "Two year"),
        np.column_stack([0.15 + 0.7 * short, 0.25 + 0.0 * short, 0.6 - 0.7 * short]),
    )
    phone = rng.random(n) < 0.9
    multiple = np.where(
        phone, yes_no[(rng.random(n) < 0.3 + 0.4 * (1 - short)).astype(int)], "No phone service"
    )
    internet = _choice(rng, ("DSL", "Fiber optic", "No"), np.tile([0.34, 0.44, 0.22], (n, 1)))
    has_internet = internet != "No"
    fiber = internet == "Fiber optic"

    addons = {}
    for name in ADDON_SERVICES:
        streaming = name.startswith("Streaming")
        p_yes = 0.25 + 0.3 * (1 - short) + (0.15 if streaming else 0.0) * fiber
        taken = rng.random(n) < p_yes
        addons[name] = np.where(has_internet, yes_no[taken.astype(int)], "No internet service")

    paperless = yes_no[(rng.random(n) < 0.5 + 0.15 * fiber).astype(int)]
    automatic = contract != "Month-to-month"
    payment = _choice(
        rng,
        (
            "Bank transfer (automatic)",
            "Credit card (automatic)",
            "Electronic check",
            "Mailed check",
        ),
        np.where(
            automatic[:, None],
            np.array([[0.32, 0.32, 0.14, 0.22]]),
            np.array([[0.15, 0.14, 0.48, 0.23]]),
        ),
    )

    monthly = (
        19.0 * phone
        + 5.0 * (multiple == "Yes")
        + np.where(fiber, 50.0, np.where(has_internet, 25.0, 0.0))
        + sum(_ADDON_PRICE[a] * (addons[a] == "Yes") for a in ADDON_SERVICES)
        + rng.normal(0.0, 2.0, n)
    )
    monthly = np.round(np.clip(monthly, 18.25, 118.75), 2)
    total = np.round(monthly * tenure * rng.normal(1.0, 0.03, n).clip(0.85, 1.15), 2)
    total = np.where(tenure == 0, 0.0, np.maximum(total, monthly))

    logit = (
        1.5 * (contract == "Month-to-month")
        + 0.5 * (contract == "One year")
        - 0.55 * np.log1p(tenure)
        + 0.8 * fiber
        - 0.7 * ~has_internet
        + 0.5 * (payment == "Electronic check")
        + 0.45 * (addons["TechSupport"] == "No")
        + 0.45 * (addons["OnlineSecurity"] == "No")
        + 0.3 * (paperless == "Yes")
        + 0.3 * senior
        - 0.2 * dependents
        + 0.012 * (monthly - 65.0)
    )
    intercept = brentq(lambda b: expit(logit + b).mean() - TARGET_CHURN_RATE, -20.0, 20.0)
    churn = yes_no[(rng.random(n) < expit(logit + intercept)).astype(int)]

    frame = pd.DataFrame(
        {
            ID_COLUMN: _customer_ids(rng, n),
            "gender": np.array(["Female", "Male"], dtype=object)[rng.integers(0, 2, n)],
            "SeniorCitizen": senior,
            "Partner": yes_no[partner.astype(int)],
            "Dependents": yes_no[dependents.astype(int)],
            "tenure": tenure,
            "PhoneService": yes_no[phone.astype(int)],
            "MultipleLines": multiple,
            "InternetService": internet,
            **addons,
            "Contract": contract,
            "PaperlessBilling": paperless,
            "PaymentMethod": payment,
            "MonthlyCharges": monthly,
            "TotalCharges": total.astype("float64"),
            TARGET_COLUMN: churn,
        }
    )
    return frame[list(TELCO_COLUMNS)]
