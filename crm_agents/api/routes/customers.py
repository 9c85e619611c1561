"""`/api/v1/customers`: a profile, a risk assessment and its history, and the scored base page
by page."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request
from pydantic import Field, ValidationError

from agents.present.health_words import history_lines
from core.i18n import Phrase
from crm_agents.api.problems import ApiProblem, Problem, caller_language
from crm_agents.api.schemas import CustomerId, CustomerRisk
from crm_agents.api.security import Reader, context_of
from tools.portfolio.pages import MOST_PER_PAGE, CustomerPage, Sort, customer_page
from tools.portfolio.query import ColumnFilter, QueryError
from tools.schemas import CustomerProfile
from tools.service.retention import RetentionService
from tools.service.risk_history import RiskHistory

router = APIRouter(prefix="/customers", tags=["customers"])
_LEVELS = "high, medium or low; repeat or comma-separate for more"
_TIERS = "high, mid or low; repeat or comma-separate for more"
_NO_CUSTOMER = {404: {"model": Problem, "description": "No such customer"}}
#: Most `where` conditions in one request.
MOST_CONDITIONS = 20


def _service(request: Request) -> RetentionService:
    return context_of(request).assembly.service


def _where(text: str) -> ColumnFilter:
    """`column:value|value` (a category) or `column:low..high` (a number; either end may go)."""
    column, sep, condition = text.partition(":")
    if not sep or not column or not condition:
        raise ValueError(f"{text!r} is not column:value|value or column:low..high")
    if ".." in condition:
        low, _, high = condition.partition("..")
        try:
            ends = [float(v) if v.strip() else None for v in (low, high)]
        except ValueError:
            raise ValueError(f"{text!r}: the range's ends must be numbers") from None
        return ColumnFilter(column=column, at_least=ends[0], at_most=ends[1])
    return ColumnFilter(column=column, values=condition.split("|"))


def _filters(risk_level: list[str], value_tier: list[str], where: list[str]) -> list[ColumnFilter]:
    try:
        if len(where) > MOST_CONDITIONS:
            raise ValueError(f"at most {MOST_CONDITIONS} where conditions, got {len(where)}")
        filters = [_where(w) for w in where]
        for column, given in (("risk_level", risk_level), ("value_tier", value_tier)):
            values = [v for part in given for v in part.split(",") if v]
            if values:
                filters.append(ColumnFilter(column=column, values=values))
    except (ValueError, ValidationError) as err:
        problem = err.errors()[0]["msg"] if isinstance(err, ValidationError) else str(err)
        raise ApiProblem(422, Phrase("api.bad_filter", {"problem": problem})) from None
    return filters


@router.get("", response_model=CustomerPage, summary="The scored base, a page at a time")
def list_customers(
    request: Request,
    _key: Reader,
    risk_level: Annotated[list[str] | None, Query(description=_LEVELS)] = None,
    value_tier: Annotated[list[str] | None, Query(description=_TIERS)] = None,
    where: Annotated[
        list[str] | None,
        Query(
            description="column:value|value for a category (Contract:Month-to-month), "
            "column:low..high for a number (tenure:0..12); repeat for more (up to 20), all "
            "must hold",
        ),
    ] = None,
    sort: Annotated[Sort, Query(description="Largest first")] = "probability",
    limit: Annotated[int, Query(ge=1, le=MOST_PER_PAGE)] = 50,
    cursor: Annotated[str | None, Query(max_length=500)] = None,
) -> CustomerPage:
    filters = _filters(risk_level or [], value_tier or [], where or [])
    try:
        return customer_page(_service(request), filters, sort, limit, cursor)
    except QueryError as err:
        raise ApiProblem(422, Phrase("api.bad_filter", {"problem": str(err)})) from None


@router.get(
    "/{customer_id}",
    response_model=CustomerProfile,
    summary="A customer's profile and signals",
    responses=_NO_CUSTOMER,
)
def get_customer(customer_id: CustomerId, request: Request, _key: Reader):
    return _service(request).profile(customer_id)


@router.get(
    "/{customer_id}/risk",
    response_model=CustomerRisk,
    summary="Churn probability, level, drivers, value tier, time to churn and CLV",
    responses=_NO_CUSTOMER,
)
def get_risk(customer_id: CustomerId, request: Request, _key: Reader) -> CustomerRisk:
    service = _service(request)
    prediction = service.predict(customer_id)
    wanted = prediction.customer_id
    timing = service.time_to_churn(wanted) if service.survival else None
    return CustomerRisk(
        customer_id=wanted,
        prediction=prediction,
        value=service.segment(wanted),
        time_to_churn=timing,
    )


class RiskHistoryAnswer(RiskHistory):
    summary: list[str] = Field(
        description="The trend and why the risk changed, line by line, in the caller's language"
    )


@router.get(
    "/{customer_id}/risk/history",
    response_model=RiskHistoryAnswer,
    summary="Churn probability run by run, and why it changed between the last two runs",
    responses=_NO_CUSTOMER,
)
def get_risk_history(customer_id: CustomerId, request: Request, _key: Reader) -> RiskHistoryAnswer:
    history = _service(request).risk_history(customer_id)
    language = caller_language(request, context_of(request).settings.language)
    return RiskHistoryAnswer(**history.model_dump(), summary=history_lines(history, language))
