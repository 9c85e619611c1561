"""`customer_page`: the scored base a page at a time, for an integrator to walk through.

The same filters as `query_customers` (any profile column, risk level, value tier, probability,
behaviour signals), one sort, and keyset pagination: the cursor carries the last customer's
sort value and ID, so a page follows from where the last one ended even when the base is scored
again between two requests (no customer is skipped or shown twice by an offset that moved).
A cursor names its query: handed to another query, it is refused rather than misread.
"""

from __future__ import annotations

import base64
import hashlib
import json
from typing import Literal

import numpy as np
from pydantic import BaseModel, Field

from tools.portfolio.overview import at_risk_customers
from tools.portfolio.query import ColumnFilter, QueryError, matches, scored_table
from tools.schemas import AtRiskCustomer
from tools.service.retention import RetentionService

Sort = Literal["probability", "urgency", "lifetime_value", "monthly_charges"]
#: Each sort's column, largest first; urgency and lifetime value need the time-to-churn model.
SORT_COLUMNS: dict[str, str] = {
    "probability": "churn_probability",
    "urgency": "expected_loss_90d",
    "lifetime_value": "clv",
    "monthly_charges": "monthly_charges",
}
MOST_PER_PAGE = 500


class CursorError(QueryError):
    """A cursor that is not one this listing made, or made for another query."""


class CustomerPage(BaseModel):
    customers: list[AtRiskCustomer]
    matching: int = Field(description="Customers matching every filter, on all pages")
    filters: list[str]
    sort: Sort
    next_cursor: str | None = Field(description="Pass as `cursor` for the next page; none: last")


def _query_digest(filters: list[ColumnFilter], sort: str) -> str:
    asked = json.dumps([sort, [f.model_dump() for f in filters]], sort_keys=True)
    return hashlib.sha256(asked.encode()).hexdigest()[:16]


def _cursor(digest: str, value: float, customer_id: str) -> str:
    raw = json.dumps({"q": digest, "v": value, "id": customer_id}).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def _after(cursor: str, digest: str) -> tuple[float, str]:
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
        decoded = json.loads(raw)
        value, customer_id = float(decoded["v"]), str(decoded["id"])
        made_for = decoded["q"]
    except (ValueError, TypeError, KeyError, json.JSONDecodeError):
        raise CursorError(
            "the cursor is not one this listing made: pass next_cursor as given"
        ) from None
    if made_for != digest:
        raise CursorError(
            "the cursor was made for other filters or another sort: start again without one"
        )
    return value, customer_id


def customer_page(
    service: RetentionService,
    filters: list[ColumnFilter] | None = None,
    sort: Sort = "probability",
    limit: int = 50,
    cursor: str | None = None,
) -> CustomerPage:
    """The customers matching `filters`, largest `sort` value first (ties by customer ID),
    `limit` of them after `cursor`."""
    filters = filters or []
    if not 1 <= limit <= MOST_PER_PAGE:
        raise QueryError(f"limit must be between 1 and {MOST_PER_PAGE}, got {limit}")
    table = scored_table(service).reset_index()
    column = SORT_COLUMNS[sort]
    if column not in table.columns:
        raise QueryError(
            f"sorting by {sort} needs the time-to-churn model (crm-agents train-survival)"
        )
    mask = np.ones(len(table), dtype=bool)
    for f in filters:
        mask &= matches(table, f)
    matched = table[mask].sort_values(
        [column, "customerID"], ascending=[False, True], kind="mergesort"
    )
    digest = _query_digest(filters, sort)
    rows = matched
    if cursor:
        value, last_id = _after(cursor, digest)
        values, ids = rows[column].to_numpy(), rows["customerID"].astype(str).to_numpy()
        rows = rows[(values < value) | ((values == value) & (ids > last_id))]
    page = rows.head(limit)
    with_lifetime = "clv" in table.columns
    next_cursor = None
    if len(rows) > limit:
        last = page.iloc[-1]
        next_cursor = _cursor(digest, float(last[column]), str(last["customerID"]))
    return CustomerPage(
        customers=at_risk_customers(page, with_lifetime=with_lifetime),
        matching=int(mask.sum()),
        filters=[f.describe() for f in filters],
        sort=sort,
        next_cursor=next_cursor,
    )
