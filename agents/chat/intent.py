"""What a question asks, typed: its kind (one skill's, or read-only / help), the customers it
names, and the arguments its skill's tools need. The router fills it (`intents.py`); each skill
plans its tool calls from it and answers it (`skills/`)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

from core.types import Language
from models.segments import RiskLevel, ValueTier

IntentKind = Literal[
    "why",
    "risk",
    "offer",
    "email",
    "sms",
    "call_script",
    "top",
    "what_if",
    "compare",
    "when",
    "risk_change",
    "lifetime_value",
    "model",
    "query",
    "read_only",
    "help",
]


@dataclass(frozen=True)
class Intent:
    kind: IntentKind
    language: Language
    customer_ids: tuple[str, ...] = ()
    limit: int = 10
    value_tier: ValueTier | None = None
    risk_level: RiskLevel | None = None
    changes: dict[str, str] = field(default_factory=dict)
    query: dict = field(default_factory=dict)
    #: How a list is ordered: "probability", or "urgency" (leaving within 90 days first).
    order: str = "probability"
    #: How a segment answer presents its figures (`queries.view_of`): the group a comparison
    #: asks for, or the condition whose share within the segment is asked for.
    view: dict = field(default_factory=dict)

    @property
    def needs_customer(self) -> bool:
        return self.kind not in ("top", "model", "help", "query")
