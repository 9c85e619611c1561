"""Names every layer shares: a language code, the model choices, the ID rule."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import AfterValidator

from core.languages import known_language, languages


class _LanguageCodes:
    """A language field's JSON schema lists the codes spoken when the schema is made (an LLM
    reading a tool's arguments sees them)."""

    def __get_pydantic_json_schema__(self, core_schema: Any, handler: Any) -> dict:
        schema = handler(core_schema)
        schema["enum"] = list(languages())
        return schema


#: A language code the product speaks (`core/locales/languages.toml`); pydantic fields and CLI
#: options of this type refuse any other, naming those it speaks.
#: (Its metadata are instances, not callables: LangGraph reads a callable as a state reducer.)
Language = Annotated[str, AfterValidator(known_language), _LanguageCodes()]
FeatureSetName = Literal["telco", "enriched"]
ModelChoice = Literal["auto", "logistic_baseline", "logistic_splines", "gradient_boosting", "blend"]

#: What a customer ID may be unless CRM_CUSTOMER_ID_PATTERN says otherwise: 1–64 letters,
#: digits, dash, underscore and dot — safe in files, URLs and spreadsheets.
DEFAULT_ID_PATTERN = r"[A-Za-z0-9._-]{1,64}"

#: Who plans a chat turn's tool calls when an LLM is configured: the LLM itself, or the offline
#: router (the LLM then only phrases the router's answer: for small local models).
ChatPlanner = Literal["llm", "router"]
