"""The typed LangChain tools over the retention service. Thin: each one calls one service method.

A failing tool answers with a clear message (`ToolException` + `handle_tool_error`) instead of a
traceback, so an agent or a chat model can recover and tell the user what IDs look like.
"""

from __future__ import annotations

from collections.abc import Callable

from langchain_core.tools import BaseTool, StructuredTool, ToolException
from langchain_core.tools.base import FILTERED_ARGS
from pydantic import BaseModel, ValidationError

from tools.offer_desk import OfferDesk
from tools.playbook import load_playbook
from tools.schemas import AtRiskArgs, CustomerIdArgs, NoArgs, WhatIfArgs
from tools.service import CustomerNotFoundError, InvalidChangeError, RetentionService


class ServiceTool(StructuredTool):
    """A `StructuredTool` whose per-call bookkeeping is computed once.

    On every call LangChain re-reads the type hints of `_run` (to find a `RunnableConfig`
    parameter) and of the argument schema (to find injected arguments), which costs more than
    the service call itself. These tools take neither: `_run` has no annotations and passes the
    validated arguments straight to the function, and the injected-argument filter is the
    fixed list LangChain always filters. Callbacks, tracing, validation and error handling are
    unchanged.
    """

    def _run(self, *args, **kwargs):  # no annotations on purpose, see the class docstring
        return self.func(*args, **kwargs)

    def _filter_injected_args(self, tool_input: dict) -> dict:
        return {k: v for k, v in tool_input.items() if k not in FILTERED_ARGS}


def guarded(call: Callable[..., dict]) -> Callable[..., dict]:
    """The call, with the service's known refusals turned into tool error messages."""

    def run(**kwargs):
        try:
            return call(**kwargs)
        except (CustomerNotFoundError, InvalidChangeError) as err:
            raise ToolException(str(err)) from None

    return run


def _guarded(call: Callable[..., BaseModel]) -> Callable[..., dict]:
    return guarded(lambda **kwargs: call(**kwargs).model_dump(mode="json"))


def _explain_bad_arguments(error: ValidationError) -> str:
    problems = "; ".join(
        f"{'.'.join(str(p) for p in e['loc']) or 'arguments'}: {e['msg']}" for e in error.errors()
    )
    return f"Invalid arguments — {problems}"


def build_tools(service: RetentionService, desk: OfferDesk | None = None) -> dict[str, BaseTool]:
    """The tools bound to one service (and its offer desk), by name."""
    desk = desk or OfferDesk(service, load_playbook())
    specs = [
        (
            "lookup_customer",
            "All Telco fields and behaviour signals of one customer.",
            CustomerIdArgs,
            service.profile,
        ),
        (
            "predict_churn",
            "Churn probability, risk level and every driver (signed log-odds contributions).",
            CustomerIdArgs,
            service.predict,
        ),
        (
            "segment_value",
            "Value tier (high/mid/low by MonthlyCharges) and revenue at stake of one customer.",
            CustomerIdArgs,
            service.segment,
        ),
        (
            "list_at_risk",
            "Customers most likely to churn, optionally filtered by risk level and value tier.",
            AtRiskArgs,
            service.at_risk,
        ),
        (
            "what_if",
            "Re-score one customer with some features changed, e.g. Contract to 'One year'.",
            WhatIfArgs,
            service.what_if,
        ),
        (
            "evaluate_offers",
            "Every playbook offer this customer may get, re-scored, with cost and expected value.",
            CustomerIdArgs,
            desk.evaluate,
        ),
        (
            "model_card",
            "How the churn model works, how it was chosen and its cross-validated accuracy.",
            NoArgs,
            service.model_summary,
        ),
    ]
    return {
        name: ServiceTool.from_function(
            func=_guarded(call),
            name=name,
            description=description,
            args_schema=schema,
            handle_tool_error=True,
            handle_validation_error=_explain_bad_arguments,
        )
        for name, description, schema, call in specs
    }
