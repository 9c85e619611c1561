"""A campaign's approvals: sent for review, each customer's messages decided by a person, the
campaign ready once nothing is left to decide.

The decision itself is the analysis graph's `approval` step (`graph/review.py`), resumed from
its checkpoint in the store; the store's `approvals` row says who holds or decided the item
(`crm_agents/store/approvals.py`) and keeps the texts that will be sent.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from pydantic import ValidationError
from sqlalchemy.engine import Engine

from agents.context import Context
from agents.outputs import ReviewResponse
from core.i18n import Phrase
from crm_agents.composition import Assembly
from crm_agents.store import approvals as store
from crm_agents.store.approvals import ApprovalError
from crm_agents.store.checkpoints import open_checkpointer
from graph.analysis import AnalysisResult
from graph.review import Decided, Pending, Reviews, review_graph

__all__ = [
    "ApprovalError",
    "BulkDecision",
    "accept_all",
    "decide",
    "open_review",
    "reviews_on",
    "stored_result",
]


def reviews_on(assembly: Assembly, engine: Engine) -> Reviews:
    """The analysis graph over the store's checkpoints: every process on the same database
    resumes the same pauses."""
    return review_graph(assembly.kits, open_checkpointer(engine))


def stored_result(engine: Engine, campaign_id: int, customer_id: str) -> AnalysisResult:
    """The batch analysis the campaign drew this customer from."""
    stored = store.stored_analysis(engine, campaign_id, customer_id)
    if stored is None:
        raise ApprovalError(
            Phrase("approvals.not_in_review", {"customer": customer_id, "id": campaign_id})
        )
    return AnalysisResult.model_validate_json(stored)


def open_review(
    engine: Engine, reviews: Reviews, campaign_id: int, customer_id: str
) -> Pending | Decided:
    """The customer's item as the graph holds it: paused with its request, or decided."""
    thread = store.thread_of(engine, campaign_id, customer_id)
    if thread is None:
        raise ApprovalError(
            Phrase("approvals.not_in_review", {"customer": customer_id, "id": campaign_id})
        )
    return reviews.open(thread, stored_result(engine, campaign_id, customer_id))


def _decision_row(result: AnalysisResult) -> dict[str, Any]:
    approval, messages, plan = result.approval, result.communications, result.campaign
    assert approval is not None and messages is not None and plan is not None
    return {
        "status": approval.decision,
        "decided_by": approval.by,
        "decided_at": approval.at,
        "note": approval.note,
        "edited": approval.edited,
        "offer_id": plan.offer.offer_id,
        "email_subject": messages.email.subject,
        "email_body": messages.email.body,
        "sms": messages.sms.text,
        "call_script": messages.call_script.as_text(),
    }


def decide(
    engine: Engine,
    reviews: Reviews,
    campaign_id: int,
    customer_id: str,
    response: dict[str, Any],
    context: Context | None = None,
) -> Pending | Decided:
    """One person's answer on one item (`ReviewResponse`'s shape; `at` is now when left out).
    A refused edit leaves the item pending with its problems; an item someone else holds or
    decided is refused with who and when."""
    response = {"at": datetime.now(UTC).isoformat(), **response}
    try:
        answer = ReviewResponse.model_validate(response)
    except ValidationError as err:
        problems = "; ".join(f"{'.'.join(map(str, e['loc']))}: {e['msg']}" for e in err.errors())
        raise ApprovalError(Phrase("approvals.bad_answer", {"problems": problems})) from None
    thread = store.claim(engine, campaign_id, customer_id, answer.by)
    try:
        opened = reviews.open(thread, stored_result(engine, campaign_id, customer_id), context)
        # Decided already (a process died between the graph and the store): that decision stands.
        outcome = (
            opened if isinstance(opened, Decided) else reviews.decide(thread, response, context)
        )
    except BaseException:
        store.release(engine, campaign_id, customer_id, refused=False)
        raise
    if isinstance(outcome, Pending):
        store.release(engine, campaign_id, customer_id, refused=bool(outcome.problems))
        return outcome
    store.record(engine, campaign_id, customer_id, _decision_row(outcome.result))
    return outcome


@dataclass
class BulkDecision:
    """What a bulk accept did: the items accepted, and each one left with why."""

    accepted: list[str] = field(default_factory=list)
    left: dict[str, str] = field(default_factory=dict)


def accept_all(
    engine: Engine,
    reviews: Reviews,
    campaign_id: int,
    by: str,
    customers: list[str] | None = None,
    language: str | None = None,
) -> BulkDecision:
    """Accept the pending items (all, or those named) as written; items someone else holds or
    decided meanwhile are left with the reason."""
    pending = store.approval_rows(engine, campaign_id, status=("pending",))
    wanted = list(pending["customer_id"]) if customers is None else customers
    done = BulkDecision()
    for customer_id in wanted:
        try:
            outcome = decide(
                engine, reviews, campaign_id, customer_id, {"type": "accept", "by": by}
            )
        except ApprovalError as err:
            done.left[customer_id] = err.words(language) if language else str(err)
            continue
        if isinstance(outcome, Decided):
            done.accepted.append(customer_id)
        else:
            done.left[customer_id] = "; ".join(outcome.problems)
    return done
