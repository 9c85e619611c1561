"""The runtime context of one run: plain, serialisable choices, never live objects.

It is what `langgraph dev` shows as a run's context form and what the app, the CLI and the batch
pass per run. Every field is optional: an empty context means "as the settings say". The live
objects a node needs (service, tools, writer, playbook) come from the composition root, bound
to the nodes when the graph is built (`agents/kit.py`).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated, Literal

from pydantic import Field

from core.languages import languages, unknown_language
from core.types import Language

Backend = Literal["configured", "offline"]


class ContextError(ValueError):
    """A context value out of range; the message names the field and what is accepted."""


@dataclass(frozen=True)
class Context:
    """Choices for one run. None means the settings' value."""

    language: Annotated[
        Language | None,
        Field(description="Language of every text the run writes; empty: the settings'"),
    ] = None
    backend: Annotated[
        Backend,
        Field(
            description="configured: the LLM when one is configured, else the offline writer; "
            "offline: always the offline writer"
        ),
    ] = "configured"
    review: Annotated[
        bool,
        Field(
            description="Pause after the messages for a person's approval (accept, edit, "
            "respond, ignore); off: the messages stay drafts"
        ),
    ] = True
    risk_high: Annotated[
        float | None,
        Field(description="Churn probability from which a customer is at high risk (0–1)"),
    ] = None
    risk_medium: Annotated[
        float | None,
        Field(description="Churn probability from which a customer is at medium risk (0–1)"),
    ] = None
    value_high: Annotated[
        float | None, Field(description="MonthlyCharges from which a customer is high value")
    ] = None
    value_mid: Annotated[
        float | None, Field(description="MonthlyCharges from which a customer is mid value")
    ] = None

    def __post_init__(self) -> None:
        if self.language is not None and self.language not in languages():
            raise ContextError(unknown_language(self.language))
        if self.backend not in ("configured", "offline"):
            raise ContextError(f"backend {self.backend!r} is unknown; use configured or offline")
        for name in ("risk_high", "risk_medium"):
            value = getattr(self, name)
            if value is not None and not 0 < value < 1:
                raise ContextError(f"{name} ({value}) must be a probability between 0 and 1")
        for name in ("value_high", "value_mid"):
            value = getattr(self, name)
            if value is not None and value <= 0:
                raise ContextError(f"{name} ({value}) must be a positive monthly charge")

    def overrides(self) -> dict[str, float]:
        """The thresholds this context sets, as settings field names."""
        names = ("risk_high", "risk_medium", "value_high", "value_mid")
        return {n: getattr(self, n) for n in names if getattr(self, n) is not None}
