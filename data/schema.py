"""The Telco schema: every column list and allowed value set lives here and only here."""

from __future__ import annotations

import re

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
#: The window each count signal covers, part of the signal's definition.
SIGNAL_WINDOW_DAYS: dict[str, int] = {"recent_login_count": 30, "complain_count": 90}
ENRICHED_FEATURES: tuple[str, ...] = (*TELCO_FEATURES, *SIGNAL_COLUMNS)

FEATURE_SETS: dict[str, tuple[str, ...]] = {
    "telco": TELCO_FEATURES,
    "enriched": ENRICHED_FEATURES,
}

#: Plain words for each feature, used in driver labels and reports.
FEATURE_LABELS: dict[str, str] = {
    "gender": "gender",
    "SeniorCitizen": "senior citizen",
    "Partner": "has a partner",
    "Dependents": "has dependents",
    "tenure": "months as a customer",
    "PhoneService": "phone service",
    "MultipleLines": "multiple lines",
    "InternetService": "internet service",
    "OnlineSecurity": "online security add-on",
    "OnlineBackup": "online backup add-on",
    "DeviceProtection": "device protection add-on",
    "TechSupport": "tech support add-on",
    "StreamingTV": "streaming TV",
    "StreamingMovies": "streaming movies",
    "Contract": "contract type",
    "PaperlessBilling": "paperless billing",
    "PaymentMethod": "payment method",
    "MonthlyCharges": "monthly charges",
    "TotalCharges": "total charges to date",
    "recent_login_count": f"logins in the last {SIGNAL_WINDOW_DAYS['recent_login_count']} days",
    "complain_count": f"complaints in the last {SIGNAL_WINDOW_DAYS['complain_count']} days",
    "usage_drop_rate": "drop in usage vs. previous quarter",
}

#: Telco IDs are four digits, a dash and five capital letters, e.g. 7590-VHVEG.
CUSTOMER_ID_PATTERN = re.compile(r"^\d{4}-[A-Z]{5}$")
CUSTOMER_ID_EXAMPLE = "7590-VHVEG"
