"""The one typed configuration of the product.

Every value can be set from the environment (`CRM_*`) or an optional `.env` file; the CLI's
flags override them. Thresholds live here so that the model, the tools and the UI agree.

Runtime state (processed data, the trained model, the chat and results databases, files made
for download) lives under one state directory, `CRM_STATE_DIR` (default `state/` in the
project); each path can still be set on its own.

A bad value is reported as `SettingsError`, naming the environment variable, what is wrong and
what is accepted. Secrets (`CRM_APP_AUTH`, `OPENAI_API_KEY`) are `SecretStr` and no error,
log or file ever repeats their value.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any, Literal

from pydantic import (
    AliasChoices,
    Field,
    SecretStr,
    ValidationError,
    field_validator,
    model_validator,
)
from pydantic_settings import BaseSettings, SettingsConfigDict
from pydantic_settings import SettingsError as SourceError

from core.api_settings import ApiSettings
from core.batch_settings import BatchSettings
from core.formats import DEFAULT_CURRENCY, currency_problem
from core.health_settings import HealthSettings
from core.languages import BASE_LANGUAGE
from core.quiet_hours import quiet_hours
from core.ranges import DEFAULT_RANGES, merged_ranges
from core.redaction import Redactor, known_secrets
from core.setting_errors import SettingsError as SettingsError
from core.thresholds import THRESHOLDS, threshold_order_problem
from core.types import DEFAULT_ID_PATTERN, ChatPlanner, FeatureSetName, Language, ModelChoice

PROJECT_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_STATE_DIR = PROJECT_ROOT / "state"
_API_KEY = re.compile(r"\b(?:sk|pk|key)-[A-Za-z0-9*_\-.]{4,}")

StructuredOutputMethod = Literal["auto", "json_schema", "json_mode", "function_calling"]


#: Where each piece of runtime state goes inside the state directory.
_STATE_FILES = {
    "processed_dir": "processed",
    "artifacts_dir": "models",
    "chat_db": "chat.db",
    "results_db": "crm.db",
}


class Settings(BaseSettings, ApiSettings, HealthSettings, BatchSettings):
    model_config = SettingsConfigDict(
        env_prefix="CRM_",
        env_file=".env",
        env_file_encoding="utf-8",
        extra="ignore",
        hide_input_in_errors=True,
    )

    def __init__(self, **values: Any) -> None:
        try:
            super().__init__(**values)
        except ValidationError as err:
            raise SettingsError.from_validation(err) from None
        except SourceError as err:
            raise SettingsError.from_source(err) from None

    data_path: Path | None = Field(
        default=None, description="Telco CSV to use; default: first CSV in data/raw/, else demo"
    )
    raw_dir: Path = PROJECT_ROOT / "data" / "raw"
    state_dir: Path = Field(
        default=DEFAULT_STATE_DIR,
        description="Runtime state: processed data, models, databases, downloads",
    )
    processed_dir: Path = Field(description="default: STATE_DIR/processed")
    artifacts_dir: Path = Field(description="default: STATE_DIR/models")
    customer_id_pattern: str = Field(
        default=DEFAULT_ID_PATTERN,
        description="Regular expression a whole customer ID must match",
    )
    accepted_ranges: dict[str, tuple[float, float]] = Field(
        default_factory=lambda: dict(DEFAULT_RANGES),
        description="Smallest and largest value accepted per numeric column (JSON; columns "
        "left out keep their default)",
    )
    auto_retrain: bool = Field(
        default=True,
        description="Retrain at start-up when the saved model was trained on other data",
    )

    seed: int = 42
    synthetic_rows: int = Field(default=7043, ge=100, le=5_000_000)

    risk_high: float = Field(default=0.70, gt=0, lt=1)
    risk_medium: float = Field(default=0.40, gt=0, lt=1)
    value_high: float = Field(default=80.0, gt=0, description="MonthlyCharges for the high tier")
    value_mid: float = Field(default=40.0, gt=0, description="MonthlyCharges for the mid tier")
    clv_horizon_months: int = Field(default=12, ge=1, le=120)
    # Customer lifetime value from the time-to-churn model (`models/survival/lifetime.py`).
    lifetime_months: int = Field(default=60, ge=1, le=240, description="CLV horizon in months")
    margin_rate: float = Field(default=0.30, gt=0, le=1, description="Margin on monthly charges")
    annual_discount_rate: float = Field(default=0.10, ge=0, lt=1)
    value_basis: Literal["monthly_charges", "lifetime_value"] = Field(
        default="monthly_charges",
        description="What value tiers are cut on: MonthlyCharges (the brief's rule) or CLV",
    )
    clv_value_high: float | None = Field(
        default=None, gt=0, description="CLV for the high tier; unset: the base's top third"
    )
    clv_value_mid: float | None = Field(
        default=None, gt=0, description="CLV for the mid tier; unset: the base's middle third"
    )
    # 0.2 within 90 days ≈ a 7 % monthly hazard: on the Telco file about 150 high-risk
    # customers, a week's calls for a small team (`models/urgency.py`).
    urgent_within_90d: float = Field(
        default=0.2,
        gt=0,
        lt=1,
        description="Chance of leaving within 90 days that makes a high-risk customer one to "
        "call this week",
    )
    # Below either, a time-to-churn figure is pooled over neighbouring months and flagged
    # (`models/survival/support.py`).
    support_min_customers: int = Field(default=100, ge=1, description="Customers behind a month")
    support_min_departures: int = Field(default=20, ge=1, description="Departures behind it")

    feature_set: FeatureSetName = "enriched"
    model: ModelChoice = "auto"
    cv_folds: int = Field(default=5, ge=2, le=20)
    cv_repeats: int = Field(default=3, ge=1, le=20)
    n_jobs: int = Field(default=2, ge=1)

    language: Language = BASE_LANGUAGE

    host: str = Field(default="127.0.0.1", description="Address the app binds to")
    port: int = Field(default=7860, ge=1, le=65535)
    share: bool = Field(
        default=False, description="Ask Gradio for a public share link (needs internet)"
    )
    app_auth: SecretStr | None = Field(
        default=None, description="user:password for the app's basic login (off when unset)"
    )
    chat_db: Path = Field(description="default: STATE_DIR/chat.db")
    results_db: Path = Field(description="default: STATE_DIR/crm.db")
    database_url: SecretStr | None = Field(
        default=None,
        description="SQLAlchemy URL of the batch's results database, e.g. "
        "postgresql+psycopg://user:password@host:5432/crm (default: SQLite at RESULTS_DB)",
    )

    currency: str = Field(
        default=DEFAULT_CURRENCY,
        description="ISO 4217 code of the data's amounts (the Telco file is in US dollars); "
        "every amount is written in it, as each language writes money",
    )
    offer_budget_cap: float = Field(
        default=150.0, ge=0, description="Most a retention offer may cost per customer, in total"
    )

    # The LLM backend. With no key and no endpoint the offline writer is used.
    openai_api_key: SecretStr | None = Field(
        default=None, validation_alias=AliasChoices("OPENAI_API_KEY", "CRM_OPENAI_API_KEY")
    )
    openai_base_url: str | None = Field(
        default=None,
        validation_alias=AliasChoices("OPENAI_BASE_URL", "OPENAI_API_BASE", "CRM_OPENAI_BASE_URL"),
    )
    llm_model: str = "gpt-4o-mini"
    llm_temperature: float = Field(default=0.2, ge=0, le=2)
    llm_timeout: float = Field(default=30.0, gt=0, description="Seconds per LLM request")
    llm_budget: float = Field(
        default=20.0,
        gt=0,
        description="Seconds of LLM time one analysis may spend; then the offline writer",
    )
    llm_retries: int = Field(default=1, ge=0, le=5, description="Retries before falling back")
    chat_planner: ChatPlanner = Field(
        default="llm",
        description="Who plans Ask's tool calls with an LLM: llm, or router (the offline router "
        "calls the tools and the LLM only rewrites its answer: for small local models)",
    )
    campaign_holdout: float = Field(
        default=0.10, ge=0.01, le=0.5, description="Share of a campaign's customers held out"
    )
    global_control_share: float = Field(
        default=0.0, ge=0, le=0.2, description="Share of the base no campaign touches (0: none)"
    )
    global_control_salt: str = Field(
        default="1", min_length=1, description="Changing it reshuffles the global control group"
    )
    offer_ranking: Literal["what_if", "uplift"] = Field(
        default="what_if",
        description="what_if: offers ranked by the re-scored churn model; uplift: by uplift × "
        "CLV learned from the newest measured campaign, where it found a persuadable segment",
    )
    contact_cap: int = Field(
        default=3, ge=1, le=50, description="Most contacts a customer gets within the window"
    )
    contact_window_days: int = Field(
        default=30, ge=1, le=365, description="Days the contact cap counts over, across campaigns"
    )
    quiet_hours: dict[Literal["email", "sms", "call"], str] = Field(
        default={"sms": "21:00-08:00", "call": "20:00-09:00"},
        description='Hours a channel is not used, JSON: {"sms": "21:00-08:00"}',
    )
    suppression_file: Path | None = Field(
        default=None, description="CSV of customers not to contact: customer_id[, channel]"
    )
    llm_concurrency: int = Field(
        default=4,
        ge=1,
        le=64,
        description="Analyses the batch runs at once with an LLM: LLM requests in flight",
    )
    llm_structured_method: StructuredOutputMethod = Field(
        default="auto",
        description="auto: json_schema, else json_mode (schema in the prompt), else "
        "function_calling, as the endpoint accepts; found once per endpoint",
    )
    llm_max_tokens: dict[str, int] = Field(
        default_factory=lambda: {
            "analyst": 400,
            "reasoning": 700,
            "campaign": 400,
            "communication": 1000,
            "chat": 800,
        },
        description="Most tokens one answer may take, per node and for the chat (JSON)",
    )

    @property
    def auth_pair(self) -> tuple[str, str] | None:
        if self.app_auth is None:
            return None
        user, _, password = self.app_auth.get_secret_value().partition(":")
        return user, password

    @property
    def llm_configured(self) -> bool:
        return self.openai_api_key is not None or self.openai_base_url is not None

    @property
    def id_pattern(self) -> re.Pattern[str]:
        return re.compile(self.customer_id_pattern)

    @field_validator("app_auth")
    @classmethod
    def _auth_is_user_and_password(cls, value: SecretStr | None) -> SecretStr | None:
        if value is not None:
            user, sep, password = value.get_secret_value().partition(":")
            if not (user and sep and password):
                raise ValueError("must look like user:password (its value is not shown)")
        return value

    @field_validator("currency")
    @classmethod
    def _known_currency(cls, value: str) -> str:
        code = value.strip().upper()
        problem = currency_problem(code)
        if problem is not None:
            raise ValueError(problem)
        return code

    @field_validator("customer_id_pattern")
    @classmethod
    def _pattern_compiles(cls, value: str) -> str:
        try:
            re.compile(value)
        except re.error as err:
            raise ValueError(
                f"is not a regular expression ({err}); e.g. {DEFAULT_ID_PATTERN}"
            ) from None
        return value

    @field_validator("quiet_hours")
    @classmethod
    def _hours_are_times(cls, value: dict[str, str]) -> dict[str, str]:
        for hours in value.values():
            quiet_hours(hours)  # a ValueError names the value and the accepted form
        return value

    @field_validator("accepted_ranges", mode="before")
    @classmethod
    def _ranges_over_defaults(cls, value: Any) -> Any:
        if not isinstance(value, dict):
            raise ValueError('must be a JSON object, e.g. {"MonthlyCharges": [0, 5000]}')
        return merged_ranges(value)

    @model_validator(mode="before")
    @classmethod
    def _state_paths(cls, values: Any) -> Any:
        # Paths not set on their own live in the state directory.
        if isinstance(values, dict):
            state = Path(values.get("state_dir") or DEFAULT_STATE_DIR)
            for name, default in _STATE_FILES.items():
                if values.get(name) in (None, ""):
                    values[name] = state / default
        return values

    @model_validator(mode="after")
    def _thresholds_are_ordered(self) -> Settings:
        values = {name: getattr(self, name) for name in THRESHOLDS}
        problem = threshold_order_problem(values, lambda name: f"CRM_{name.upper()}")
        if problem is not None:
            raise ValueError(problem)
        given = (self.clv_value_mid, self.clv_value_high)
        if (given[0] is None) != (given[1] is None):
            raise ValueError(
                "set both CRM_CLV_VALUE_MID and CRM_CLV_VALUE_HIGH, or neither (then the tiers "
                "are the base's thirds by lifetime value)"
            )
        if given[0] is not None and not given[0] < given[1]:  # type: ignore[operator]
            raise ValueError(
                f"CRM_CLV_VALUE_MID ({given[0]:g}) must be below CRM_CLV_VALUE_HIGH "
                f"({given[1]:g}); both are lifetime values"
            )
        return self

    def redact(self, text: str) -> str:
        """`text` without any secret of these settings, by value: whole, any run of 8 or more
        of its characters, or masked (`a1b2****8f90`), as upstream errors quote them
        (`core/redaction.py`); and any API key of the usual shapes, known or not."""
        return _API_KEY.sub("[secret]", Redactor(self.secret_values())(text))

    def secret_values(self) -> list[str]:
        """Every secret these settings hold (`core/redaction.py:known_secrets`)."""
        return known_secrets(
            *(
                v.get_secret_value() if v is not None else None
                for v in (
                    self.app_auth,
                    self.openai_api_key,
                    self.database_url,
                    self.webhook_signing_key,
                )
            )
        )

    @property
    def downloads_dir(self) -> Path:
        """Files the app makes for the browser to download."""
        return self.state_dir / "downloads"
