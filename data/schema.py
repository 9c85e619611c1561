"""The Telco schema: every column list and allowed value set lives here and only here."""

from __future__ import annotations

import re

from core.i18n import t
from core.languages import BASE_LANGUAGE
from core.types import Language

ID_COLUMN = "customerID"
TARGET_COLUMN = "Churn"

YES_NO = ("No", "Yes")
INTERNET_ADDON = ("No", "No internet service", "Yes")
#: The six add-on services that need an internet subscription, in the file's order.
ADDON_SERVICES: tuple[str, ...] = (
    "OnlineSecurity",
    "OnlineBackup",
    "DeviceProtection",
    "TechSupport",
    "StreamingTV",
    "StreamingMovies",
)

CATEGORICAL_VALUES: dict[str, tuple[str, ...]] = {
    "gender": ("Female", "Male"),
    "Partner": YES_NO,
    "Dependents": YES_NO,
    "PhoneService": YES_NO,
    "MultipleLines": ("No", "No phone service", "Yes"),
    "InternetService": ("DSL", "Fiber optic", "No"),
    **dict.fromkeys(ADDON_SERVICES, INTERNET_ADDON),
    "Contract": ("Month-to-month", "One year", "Two year"),
    "PaperlessBilling": YES_NO,
    "PaymentMethod": (
        "Bank transfer (automatic)",
        "Credit card (automatic)",
        "Electronic check",
        "Mailed check",
    ),
}
BINARY_INT_COLUMNS = ("SeniorCitizen",)
NUMERIC_COLUMNS = ("tenure", "MonthlyCharges", "TotalCharges")
#: The columns that are amounts of money (in the data's currency, `CRM_CURRENCY`).
MONEY_COLUMNS = ("MonthlyCharges", "TotalCharges")

#: The 19 Telco predictors, in the file's order.
TELCO_FEATURES: tuple[str, ...] = (
    "gender",
    "SeniorCitizen",
    "Partner",
    "Dependents",
    "tenure",
    "PhoneService",
    "MultipleLines",
    "InternetService",
    *ADDON_SERVICES,
    "Contract",
    "PaperlessBilling",
    "PaymentMethod",
    "MonthlyCharges",
    "TotalCharges",
)
#: The 21 columns of the public file, in its order.
TELCO_COLUMNS: tuple[str, ...] = (ID_COLUMN, *TELCO_FEATURES, TARGET_COLUMN)

SIGNAL_COLUMNS: tuple[str, ...] = ("recent_login_count", "complain_count", "usage_drop_rate")
#: Optional consent per channel (Yes/No): a customer with No is not contacted by that channel.
#: Never a feature of any model.
CONSENT_COLUMNS: dict[str, str] = {
    "email": "consent_email",
    "sms": "consent_sms",
    "call": "consent_call",
}
#: The signals that count events (whole numbers); `usage_drop_rate` is a share.
COUNT_SIGNALS: tuple[str, ...] = ("recent_login_count", "complain_count")
#: The window each count signal covers, part of the signal's definition.
SIGNAL_WINDOW_DAYS: dict[str, int] = {"recent_login_count": 30, "complain_count": 90}
ENRICHED_FEATURES: tuple[str, ...] = (*TELCO_FEATURES, *SIGNAL_COLUMNS)

#: The features a retention offer can change (a contract, a payment method, paperless billing, an
#: add-on service). Tenure or age explain churn too, but no offer moves them.
ACTIONABLE_FEATURES: tuple[str, ...] = (
    "Contract",
    "PaymentMethod",
    "PaperlessBilling",
    *ADDON_SERVICES,
)

FEATURE_SETS: dict[str, tuple[str, ...]] = {
    "telco": TELCO_FEATURES,
    "enriched": ENRICHED_FEATURES,
}


def feature_label(feature: str, lang: Language = BASE_LANGUAGE) -> str:
    """Plain words for a feature, from the phrase catalogue (`feature.<name>`)."""
    return t(f"feature.{feature}", lang, days=SIGNAL_WINDOW_DAYS.get(feature))


#: Every feature in English words: the tools' driver labels (the language an LLM reads).
FEATURE_LABELS: dict[str, str] = {f: feature_label(f) for f in ENRICHED_FEATURES}

#: Telco IDs are four digits, a dash and five capital letters, e.g. 7590-VHVEG.
CUSTOMER_ID_PATTERN = re.compile(r"^\d{4}-[A-Z]{5}$")
CUSTOMER_ID_EXAMPLE = "7590-VHVEG"
