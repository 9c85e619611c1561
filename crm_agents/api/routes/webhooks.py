"""`/api/v1/webhooks`: subscriptions per event (the signing secret shown once), their
deliveries with status, and a replay of any delivered or failed one. Admin keys only: a
subscription sends the product's events to an address of the caller's choosing."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Path, Query, Request, Response
from pydantic import BaseModel, Field

from core.i18n import Phrase
from crm_agents.api.idempotency import IdempotencyKey, answered, once
from crm_agents.api.problems import ApiProblem, Problem
from crm_agents.api.schemas import Moment
from crm_agents.api.security import Admin, context_of
from crm_agents.store import outbox
from crm_agents.webhooks import subscription_secret

router = APIRouter(prefix="/webhooks", tags=["webhooks"])
SubscriptionId = Annotated[str, Path(pattern="^[0-9a-f]{16}$")]
DeliveryId = Annotated[str, Path(pattern="^msg_[0-9a-f]{32}$")]
Event = Literal[
    "analysis.completed",
    "campaign.approved",
    "campaign.exported",
    "outcomes.imported",
    "customer.risk_changed",
]
_MISSING = {404: {"model": Problem, "description": "No such subscription"}}


class SubscriptionRequest(BaseModel):
    url: str = Field(min_length=8, max_length=2000, description="http(s) address to POST to")
    events: list[Event] = Field(min_length=1, max_length=len(outbox.EVENTS))


class Subscription(BaseModel):
    id: str
    url: str
    events: list[str]
    created: Moment
    created_by: str


class NewSubscription(Subscription):
    secret: str = Field(description="whsec_…: verifies the signatures; shown this once")


class Delivery(BaseModel):
    id: str = Field(description="The webhook-id header, the same on every retry")
    event: str
    status: Literal["pending", "sending", "delivered", "failed"]
    attempts: int
    next_attempt: Moment
    last_status: int | None
    last_error: str | None
    created: Moment
    delivered: Moment | None


def _view(found: outbox.Subscription) -> Subscription:
    return Subscription(**{**found.__dict__, "events": list(found.events)})


@router.post(
    "",
    status_code=201,
    response_model=NewSubscription,
    responses={409: {"model": Problem, "description": "Webhooks are off: no signing key"}},
    summary="Subscribe an address to events; the signing secret is in this answer only",
)
def create_subscription(
    asked: SubscriptionRequest, request: Request, key: Admin, _retry: IdempotencyKey = None
):
    context = context_of(request)
    subscription_secret(context.settings, "check")  # refused now when webhooks are off

    def run():
        made = outbox.subscribe(context.store, asked.url, list(asked.events), f"api:{key.name}")
        secret = subscription_secret(context.settings, made.id)
        body = NewSubscription(**_view(made).model_dump(), secret=secret)
        return answered(201, body, {"Location": f"/api/v1/webhooks/{made.id}"})

    # A retry answers with the same secret: it is derived, not kept, so the same subscription
    # gives the same one.
    return once(request, key, asked, run)


@router.get("", response_model=list[Subscription], summary="The live subscriptions")
def list_subscriptions(request: Request, _key: Admin) -> list[Subscription]:
    return [_view(s) for s in outbox.subscriptions(context_of(request).store)]


@router.delete(
    "/{subscription_id}",
    status_code=204,
    response_class=Response,
    responses=_MISSING,
    summary="Unsubscribe: no more deliveries (those waiting are dropped)",
)
def delete_subscription(
    subscription_id: SubscriptionId, request: Request, _key: Admin, _retry: IdempotencyKey = None
):
    if not outbox.unsubscribe(context_of(request).store, subscription_id):
        raise ApiProblem(404, Phrase("webhooks.no_subscription", {"id": subscription_id}))
    return Response(status_code=204)


@router.get(
    "/{subscription_id}/deliveries",
    response_model=list[Delivery],
    responses=_MISSING,
    summary="The subscription's latest deliveries, newest first, with their status",
)
def list_deliveries(
    subscription_id: SubscriptionId,
    request: Request,
    _key: Admin,
    status: Literal["pending", "sending", "delivered", "failed"] | None = None,
    limit: Annotated[int, Query(ge=1, le=1000)] = 100,
) -> list[Delivery]:
    store = context_of(request).store
    if outbox.subscription(store, subscription_id) is None:
        raise ApiProblem(404, Phrase("webhooks.no_subscription", {"id": subscription_id}))
    found = outbox.deliveries(store, subscription_id, status, limit)
    return [Delivery(**{k: getattr(d, k) for k in Delivery.model_fields}) for d in found]


@router.post(
    "/deliveries/{delivery_id}/replay",
    status_code=202,
    response_model=Delivery,
    responses={404: {"model": Problem}, 409: {"model": Problem}},
    summary="Send a delivered or failed delivery again (same webhook-id)",
)
def replay_delivery(delivery_id: DeliveryId, request: Request, _key: Admin) -> Delivery:
    store = context_of(request).store
    try:
        replayed = outbox.replay(store, delivery_id)
    except outbox.WebhookError as err:
        status = 404 if err.phrase.key == "webhooks.no_delivery" else 409
        raise ApiProblem(status, err.phrase) from None
    return Delivery(**{k: getattr(replayed, k) for k in Delivery.model_fields})
