"""`/api/v1/campaigns/{id}/exports`, `/files/{name}` and `/outcomes`: the approved messages as
files for marketing automation after the contact policy (consent, suppression, frequency cap,
quiet hours), and who stayed and who left, imported as the CLI imports a file."""

from __future__ import annotations

from datetime import time
from typing import Annotated

import pandas as pd
from fastapi import APIRouter, Path, Request
from fastapi.responses import FileResponse

from core.i18n import Phrase
from crm_agents.api.campaign_schemas import (
    Exclusions,
    Exported,
    ExportRequest,
    OutcomesImported,
    OutcomesRequest,
)
from crm_agents.api.idempotency import IdempotencyKey, answered, once
from crm_agents.api.problems import ApiProblem, Problem
from crm_agents.api.routes.campaigns import MISSING, REFUSED, CampaignId, campaign_view
from crm_agents.api.security import Approver, Reader, context_of
from crm_agents.exports import FILES, export_campaign
from crm_agents.outcomes import checked_outcomes, store_outcomes
from crm_agents.store.approvals import campaign_status

router = APIRouter(prefix="/campaigns", tags=["exports and outcomes"])
#: The files an export writes, by name.
FILE_NAMES = (*FILES.values(), "exclusions.csv")


def _export_folder(request: Request, campaign_id: int):
    return context_of(request).settings.state_dir / "exports" / f"campaign-{campaign_id}"


@router.post(
    "/{campaign_id}/exports",
    response_model=Exported,
    responses=REFUSED,
    summary="Write the approved messages per channel after consent, suppression, caps and quiet "
    "hours",
)
def export(
    campaign_id: CampaignId,
    asked: ExportRequest,
    request: Request,
    key: Approver,
    _retry: IdempotencyKey = None,
):
    campaign_view(request, campaign_id)
    context = context_of(request)

    def run():
        suppressed = pd.DataFrame(
            {
                "customer_id": [s.customer_id for s in asked.suppression],
                "channel": [s.channel or "all" for s in asked.suppression],
            }
        )
        summary = export_campaign(
            context.store,
            campaign_id,
            _export_folder(request, campaign_id),
            context.settings,
            data=context.assembly.data,
            suppression=context.settings.suppression_file,
            send_at=time.fromisoformat(asked.send_at) if asked.send_at else None,
            suppressed_too=suppressed,
        )
        counts = summary.exclusion_counts()
        names = [*(FILES[c] for c in summary.files), "exclusions.csv"]
        return answered(
            200,
            Exported(
                campaign_id=campaign_id,
                contacts=summary.contacts,
                excluded=[Exclusions(**r) for r in counts.to_dict("records")],
                files={n: f"/api/v1/campaigns/{campaign_id}/files/{n}" for n in names},
            ),
        )

    return once(request, key, asked, run, variant=str(campaign_id))


@router.get(
    "/{campaign_id}/files/{name}",
    response_class=FileResponse,
    responses={200: {"content": {"text/csv": {}}}, 404: {"model": Problem}},
    summary="A file of the last export (email.csv, sms.csv, call_list.csv, exclusions.csv)",
)
def export_file(
    campaign_id: CampaignId,
    name: Annotated[str, Path(pattern="^(email|sms|call_list|exclusions)\\.csv$")],
    request: Request,
    _key: Reader,
):
    path = _export_folder(request, campaign_id) / name
    if name not in FILE_NAMES or not path.is_file():
        raise ApiProblem(404, Phrase("api.no_file", {"name": name, "id": campaign_id}))
    return FileResponse(path, media_type="text/csv", filename=name)


@router.post(
    "/{campaign_id}/outcomes",
    response_model=OutcomesImported,
    responses=MISSING | {422: {"model": Problem, "description": "Rows refused, with why"}},
    summary="Import who stayed and who left (stored per customer: importing again changes nothing)",
)
def import_outcomes(
    campaign_id: CampaignId,
    asked: OutcomesRequest,
    request: Request,
    key: Approver,
    _retry: IdempotencyKey = None,
):
    campaign_view(request, campaign_id)
    context = context_of(request)

    def run():
        raw = pd.DataFrame(
            {
                "customer_id": [o.customer_id for o in asked.outcomes],
                "campaign_id": str(campaign_id),
                "outcome": [o.outcome for o in asked.outcomes],
                "date": [o.date.isoformat() for o in asked.outcomes],
            }
        )
        frame = checked_outcomes(raw, f"api:{key.name}", context.store)
        stored = store_outcomes(context.store, frame, f"api:{key.name}")
        status = campaign_status(context.store, campaign_id) or ""
        return answered(
            200, OutcomesImported(campaign_id=campaign_id, stored=stored, status=status)
        )

    return once(request, key, asked, run, variant=str(campaign_id))
