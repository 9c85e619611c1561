"""CRM behaviour signals: taken from the input when present, otherwise simulated.

The simulation is documented so that nobody mistakes it for observed behaviour:

* Each signal is drawn from a distribution whose parameters depend only on the customer's
  profile (services, contract, tenure, charges) — never on the churn label, which would leak
  the answer into the features and inflate every metric.
* The random draw comes from a hash of (seed, signal name, customerID), so a customer always
  gets the same values for the same seed, whichever rows are loaded with it or in what order.
* recent_login_count ~ Poisson(λ), λ = 2 + 1.5·add-on services + 4·(has internet)
  + 2·(tenure > 24 months): logins in the last 30 days.
* complain_count ~ Poisson(μ), μ = 0.25 + 0.6·(fiber optic) + 0.5·(no tech support, with
  internet) + 0.04·max(MonthlyCharges − 70, 0): complaints in the last 90 days.
* usage_drop_rate ~ Beta(a, b) with mean 0.08 + 0.12·(month-to-month) + 0.10·(tenure ≤ 6):
  the share of usage lost against the previous quarter.

Because they carry no information beyond the profile, simulated signals cannot make the
`enriched` model honestly better than the `telco` one; the model card reports both.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from scipy import stats

from data.schema import ADDON_SERVICES, ID_COLUMN, SIGNAL_COLUMNS

_BETA_CONCENTRATION = 12.0


def stable_uniforms(ids: pd.Series, seed: int, stream: str) -> np.ndarray:
    """One uniform number in (0, 1) per ID, fixed by (seed, stream, ID) alone."""
    key = f"{seed:08d}{stream}"[:16].ljust(16, "0")
    hashed = pd.util.hash_pandas_object(ids.astype(str), index=False, hash_key=key)
    # The top 53 bits give an exact double; the half-step keeps the value away from 0 and 1.
    return ((hashed.to_numpy() >> np.uint64(11)).astype(np.float64) + 0.5) / float(1 << 53)


def simulate_signals(customers: pd.DataFrame, seed: int) -> pd.DataFrame:
    """The three signals for every customer, from their profile and a per-ID random draw."""
    ids = customers[ID_COLUMN]
    addons = customers[list(ADDON_SERVICES)].eq("Yes").sum(axis=1).to_numpy()
    has_internet = customers["InternetService"].ne("No").to_numpy()
    fiber = customers["InternetService"].eq("Fiber optic").to_numpy()
    no_support = (customers["TechSupport"].eq("No")).to_numpy()
    tenure = customers["tenure"].to_numpy()
    monthly = customers["MonthlyCharges"].to_numpy()
    month_to_month = customers["Contract"].eq("Month-to-month").to_numpy()

    login_rate = 2.0 + 1.5 * addons + 4.0 * has_internet + 2.0 * (tenure > 24)
    complaint_rate = (
        0.25 + 0.6 * fiber + 0.5 * no_support + 0.04 * np.clip(monthly - 70.0, 0.0, None)
    )
    drop_mean = 0.08 + 0.12 * month_to_month + 0.10 * (tenure <= 6)

    logins = stats.poisson.ppf(stable_uniforms(ids, seed, "logins"), login_rate)
    complaints = stats.poisson.ppf(stable_uniforms(ids, seed, "complain"), complaint_rate)
    drop = stats.beta.ppf(
        stable_uniforms(ids, seed, "usagedrop"),
        drop_mean * _BETA_CONCENTRATION,
        (1.0 - drop_mean) * _BETA_CONCENTRATION,
    )
    return pd.DataFrame(
        {
            "recent_login_count": logins.astype("int64"),
            "complain_count": complaints.astype("int64"),
            "usage_drop_rate": np.round(drop, 4),
        },
        index=customers.index,
    )


def attach_signals(customers: pd.DataFrame, seed: int) -> tuple[pd.DataFrame, list[str]]:
    """Fill in whichever signals the input lacks; return the table and the simulated names."""
    missing = [c for c in SIGNAL_COLUMNS if c not in customers.columns]
    if not missing:
        return customers, []
    simulated = simulate_signals(customers, seed)
    out = customers.copy()
    for column in missing:
        out[column] = simulated[column]
    return out, missing
