"""The product assembled over the demo service with an LLM writer on a given endpoint (the
scripted server or a real local one), for the LLM tests."""

from __future__ import annotations

from agents.llm.writer import OpenAIWriter
from crm_agents.composition import Assembly, assemble
from tools.service.retention import RetentionService


def llm_assembly(
    service: RetentionService, base_url: str, model: str = "test-model", **overrides
) -> Assembly:
    settings = service.settings.model_copy(
        update={
            "openai_base_url": base_url,
            "llm_model": model,
            "llm_timeout": 2.0,
            "llm_retries": 1,
            **overrides,
        }
    )
    service = type(service)(service.data, service.model, service.card, settings)
    return assemble(settings, service=service, writer=OpenAIWriter(settings))
