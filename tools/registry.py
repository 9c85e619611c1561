"""The read-only tools over one retention service, each defined once and used two ways.

An agent node calls a tool as a typed function (`tools.predict_churn(customer_id=...)` returns a
`ChurnPrediction`), which costs what the service call costs. A chat model gets the same tools as
stock LangChain `StructuredTool`s (`as_langchain()`): pydantic arguments, JSON results, and a
failure answered as a clear message (`ToolException` + `handle_tool_error`) instead of a
traceback, so the model can recover and tell the user what IDs look like.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, fields
from functools import partial
from typing import Any, Generic, TypeVar

from langchain_core.tools import StructuredTool, ToolException
from langsmith import traceable
from langsmith.utils import tracing_is_enabled
from pydantic import BaseModel, ValidationError

from tools.offers.desk import OfferDesk
from tools.portfolio.overview import at_risk_list
from tools.portfolio.query import QueryArgs, QueryError, QueryResult, query_customers
from tools.refusals import Refusal
from tools.schemas import (
    AtRiskArgs,
    AtRiskList,
    ChurnPrediction,
    CustomerIdArgs,
    CustomerProfile,
    LanguageArgs,
    ModelSummary,
    OfferArgs,
    OfferEvaluation,
    ValueSegment,
    WhatIfArgs,
    WhatIfResult,
)
from tools.service.retention import RetentionService
from tools.service.risk_history import RiskHistory
from tools.timing_schemas import TimeToChurn

Result = TypeVar("Result", bound=BaseModel)


@dataclass(frozen=True)
class Tool(Generic[Result]):
    """One tool: its name and description for a model, its argument model, its typed function.

    Built with LangSmith tracing on (`LANGSMITH_TRACING`), a call is also a "tool" run in
    LangSmith under the node that made it; off, a call costs only the function (checking for
    tracing on every call would cost more than most tools).
    """

    name: str
    description: str
    args_schema: type[BaseModel]
    func: Callable[..., Result]
    traced: bool = False

    def __call__(self, **args: Any) -> Result:
        return self.func(**args)

    @classmethod
    def define(
        cls, name: str, description: str, args_schema: type[BaseModel], func: Callable[..., Result]
    ) -> Tool[Result]:
        if tracing_is_enabled():
            return cls(
                name, description, args_schema, traceable(run_type="tool", name=name)(func), True
            )
        return cls(name, description, args_schema, func)

    def as_langchain(self) -> StructuredTool:
        """The tool for a chat model: arguments validated, result as JSON, refusals as text."""
        return structured_tool(
            self.name,
            self.description,
            self.args_schema,
            lambda **args: self.func(**args).model_dump(mode="json"),
        )


def structured_tool(
    name: str, description: str, args_schema: type[BaseModel], func: Callable[..., Any]
) -> StructuredTool:
    """A stock `StructuredTool` whose known refusals (unknown ID, impossible change) and bad
    arguments come back to the model as one clear message."""

    def run(**args: Any) -> Any:
        try:
            return func(**args)
        except Refusal as err:  # unknown ID, impossible change: wordable in any language
            raise ToolException(err.as_payload()) from None
        except QueryError as err:
            raise ToolException(str(err)) from None

    return StructuredTool.from_function(
        func=run,
        name=name,
        description=description,
        args_schema=args_schema,
        handle_tool_error=True,
        handle_validation_error=explain_bad_arguments,
    )


def explain_bad_arguments(error: ValidationError) -> str:
    problems = "; ".join(
        f"{'.'.join(str(p) for p in e['loc']) or 'arguments'}: {e['msg']}" for e in error.errors()
    )
    return f"Invalid arguments — {problems}"


@dataclass(frozen=True)
class RetentionTools:
    """Every read-only tool over one service and its offer desk. None of them writes."""

    lookup_customer: Tool[CustomerProfile]
    predict_churn: Tool[ChurnPrediction]
    segment_value: Tool[ValueSegment]
    predict_time_to_churn: Tool[TimeToChurn]
    list_at_risk: Tool[AtRiskList]
    what_if: Tool[WhatIfResult]
    evaluate_offers: Tool[OfferEvaluation]
    model_card: Tool[ModelSummary]
    query_customers: Tool[QueryResult]
    risk_history: Tool[RiskHistory]

    def all(self) -> list[Tool[Any]]:
        return [getattr(self, f.name) for f in fields(self)]

    def as_langchain(self) -> list[StructuredTool]:
        return [tool.as_langchain() for tool in self.all()]


def build_tools(service: RetentionService, desk: OfferDesk) -> RetentionTools:
    """The tools bound to one service and its offer desk."""
    return RetentionTools(
        lookup_customer=Tool.define(
            "lookup_customer",
            "All Telco fields and behaviour signals of one customer.",
            CustomerIdArgs,
            service.profile,
        ),
        predict_churn=Tool.define(
            "predict_churn",
            "Churn probability, risk level and every driver (signed log-odds contributions).",
            CustomerIdArgs,
            service.predict,
        ),
        segment_value=Tool.define(
            "segment_value",
            "Value tier (high/mid/low, with the basis it is cut on), revenue at stake and "
            "lifetime value of one customer.",
            CustomerIdArgs,
            service.segment,
        ),
        predict_time_to_churn=Tool.define(
            "predict_time_to_churn",
            "When one customer is likely to leave, from today's tenure: chance of leaving "
            "within 30/90/180/365 days, median months left, lifetime value (CLV), and the "
            "survival curve beside similar customers'.",
            CustomerIdArgs,
            service.time_to_churn,
        ),
        list_at_risk=Tool.define(
            "list_at_risk",
            "Customers most likely to churn, or ordered by urgency (high risk first, then the "
            "lifetime value expected to leave within 90 days), optionally filtered by risk "
            "level and value tier, or only those to call this week, with the true count.",
            AtRiskArgs,
            partial(at_risk_list, service),
        ),
        what_if=Tool.define(
            "what_if",
            "Re-score one customer with some features changed, e.g. Contract to 'One year'.",
            WhatIfArgs,
            service.what_if,
        ),
        evaluate_offers=Tool.define(
            "evaluate_offers",
            "Every playbook offer this customer may get, re-scored, with cost and expected value.",
            OfferArgs,
            desk.evaluate,
        ),
        model_card=Tool.define(
            "model_card",
            "How the churn model works, how it was chosen and its cross-validated accuracy.",
            LanguageArgs,
            service.model_summary,
        ),
        query_customers=Tool.define(
            "query_customers",
            "Count, share, mean/median/sum of a column, actual churn rate, mean churn "
            "probability and monthly revenue at risk over customers filtered by any column, "
            "optionally grouped by a category; can list the likeliest churners that match.",
            QueryArgs,
            partial(query_customers, service),
        ),
        risk_history=Tool.define(
            "risk_history",
            "One customer's churn probability and risk level in each stored batch run, and, "
            "when the last two runs differ by the margin or more, why: each driver's change "
            "of log-odds, split into the customer's data and the model's change.",
            CustomerIdArgs,
            service.risk_history,
        ),
    )
