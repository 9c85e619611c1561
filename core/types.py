"""Names every layer shares: the languages the product speaks, the model choices, the ID rule."""

from __future__ import annotations

from typing import Literal

Language = Literal["en", "zh-TW"]
LANGUAGES: tuple[Language, ...] = ("en", "zh-TW")
FeatureSetName = Literal["telco", "enriched"]
ModelChoice = Literal["auto", "logistic_baseline", "logistic_splines", "gradient_boosting", "blend"]

#: What a customer ID may be unless CRM_CUSTOMER_ID_PATTERN says otherwise: 1–64 letters,
#: digits, dash, underscore and dot — safe in files, URLs and spreadsheets.
DEFAULT_ID_PATTERN = r"[A-Za-z0-9._-]{1,64}"
