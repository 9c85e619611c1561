"""The one typed configuration of the product.

Every value can be set from the environment (`CRM_*`) or an optional `.env` file; the CLI's
flags override them. Thresholds live here so that the model, the tools and the UI agree.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Literal

from pydantic import AliasChoices, Field, SecretStr, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

PROJECT_ROOT = Path(__file__).resolve().parent.parent

FeatureSetName = Literal["telco", "enriched"]
ModelChoice = Literal["auto", "logistic_baseline", "logistic_splines", "gradient_boosting", "blend"]
Language = Literal["en", "zh-TW"]
StructuredOutputMethod = Literal["json_schema", "function_calling"]


class Settings(BaseSettings):
    model_config = SettingsConfigDict(
        env_prefix="CRM_", env_file=".env", env_file_encoding="utf-8", extra="ignore"
    )

    data_path: Path | None = Field(
        default=None, description="Telco CSV to use; default: first CSV in data/raw/, else demo"
    )
    raw_dir: Path = PROJECT_ROOT / "data" / "raw"
    processed_dir: Path = PROJECT_ROOT / "data" / "processed"
    artifacts_dir: Path = PROJECT_ROOT / "models" / "artifacts"

    seed: int = 42
    synthetic_rows: int = Field(default=7043, ge=100, le=5_000_000)

    risk_high: float = Field(default=0.70, gt=0, lt=1)
    risk_medium: float = Field(default=0.40, gt=0, lt=1)
    value_high: float = Field(default=80.0, gt=0, description="MonthlyCharges for the high tier")
    value_mid: float = Field(default=40.0, gt=0, description="MonthlyCharges for the mid tier")
    clv_horizon_months: int = Field(default=12, ge=1, le=120)

    feature_set: FeatureSetName = "enriched"
    model: ModelChoice = "auto"
    cv_folds: int = Field(default=5, ge=2, le=20)
    cv_repeats: int = Field(default=3, ge=1, le=20)
    n_jobs: int = Field(default=2, ge=1)

    language: Language = "en"

    host: str = Field(default="127.0.0.1", description="Address the app binds to")
    port: int = Field(default=7860, ge=1, le=65535)
    share: bool = Field(
        default=False, description="Ask Gradio for a public share link (needs internet)"
    )
    app_auth: SecretStr | None = Field(
        default=None, description="user:password for the app's basic login (off when unset)"
    )
    chat_db: Path = Field(
        default=PROJECT_ROOT / "data" / "chat.db", description="SQLite file of chat threads"
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
    llm_retries: int = Field(default=1, ge=0, le=5, description="Retries before falling back")
    llm_structured_method: StructuredOutputMethod = Field(
        default="json_schema",
        description="json_schema for OpenAI; function_calling for servers that reject it",
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

    @model_validator(mode="after")
    def _auth_is_user_and_password(self) -> Settings:
        if self.app_auth is not None:
            user, sep, password = self.app_auth.get_secret_value().partition(":")
            if not (user and sep and password):
                raise ValueError("app_auth (CRM_APP_AUTH) must look like user:password")
        return self

    @model_validator(mode="after")
    def _thresholds_are_ordered(self) -> Settings:
        if not self.risk_medium < self.risk_high:
            raise ValueError(
                f"risk_medium ({self.risk_medium}) must be below risk_high ({self.risk_high})"
            )
        if not self.value_mid < self.value_high:
            raise ValueError(
                f"value_mid ({self.value_mid}) must be below value_high ({self.value_high})"
            )
        return self


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    return Settings()
