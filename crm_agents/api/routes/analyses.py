"""`/api/v1/analyses`: run the analysis graph for a customer (at once, or as a job with
`Prefer: respond-async` / `?async=true`), read a job, and follow its nodes as server-sent
events."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Annotated

from fastapi import APIRouter, Header, Path, Query, Request
from fastapi.sse import EventSourceResponse, ServerSentEvent

from core.i18n import Phrase
from crm_agents.api.idempotency import IdempotencyKey, answered, once
from crm_agents.api.jobs import job_view
from crm_agents.api.problems import ApiProblem, Problem
from crm_agents.api.schemas import AnalysisJob, AnalysisRequest
from crm_agents.api.security import Analyst, Reader, context_of
from crm_agents.store.analysis_jobs import Job, get_job

router = APIRouter(prefix="/analyses", tags=["analyses"])
JobId = Annotated[str, Path(min_length=36, max_length=36, description="The job's UUID")]
_PROBLEMS = {
    404: {"model": Problem, "description": "No such customer"},
    409: {"model": Problem, "description": "The same Idempotency-Key is being answered"},
}


def _location(job_id: str) -> dict[str, str]:
    return {"Location": f"/api/v1/analyses/{job_id}"}


@router.post(
    "",
    status_code=201,
    response_model=AnalysisJob,
    summary="Analyse a customer: risk, reasons, offer and messages",
    responses={202: {"model": AnalysisJob, "description": "Queued (asked to answer later)"}}
    | _PROBLEMS,
)
def create_analysis(
    asked: AnalysisRequest,
    request: Request,
    key: Analyst,
    _retry: IdempotencyKey = None,
    run_async: Annotated[
        bool, Query(alias="async", description="Answer at once with a queued job")
    ] = False,
    prefer: Annotated[
        str | None,
        Header(description="respond-async: as ?async=true", pattern="^[\\x20-\\x7e]{0,200}$"),
    ] = None,
):
    context = context_of(request)
    later = run_async or "respond-async" in (prefer or "").lower()

    def run():
        customer = context.assembly.service.canonical_id(asked.customer_id)
        language = asked.language or context.settings.language
        job, running = context.api_jobs.start(customer, language, key.id)
        if later:
            headers = _location(job.id) | {"Preference-Applied": "respond-async"}
            return answered(202, job_view(job), headers)
        return answered(201, job_view(running.result()), _location(job.id))

    return once(request, key, asked, run, variant="async" if later else "sync")


def _job(request: Request, job_id: str) -> Job:
    job = get_job(context_of(request).store, job_id)
    if job is None:
        raise ApiProblem(404, Phrase("api.no_job", {"id": job_id}))
    return job


@router.get(
    "/{job_id}",
    response_model=AnalysisJob,
    summary="An analysis job: its status, and its result once completed",
    responses={404: {"model": Problem, "description": "No such job"}},
)
def read_analysis(job_id: JobId, request: Request, _key: Reader):
    return job_view(_job(request, job_id))


@router.get(
    "/{job_id}/events",
    response_class=EventSourceResponse,
    summary="The job's node updates as server-sent events, then `completed` or `failed`",
    responses={404: {"model": Problem, "description": "No such job"}},
)
def follow_analysis(job_id: JobId, request: Request, _key: Reader) -> Iterator[ServerSentEvent]:
    job = _job(request, job_id)
    for kind, data in context_of(request).api_jobs.events(job):
        if kind == "keep-alive":
            yield ServerSentEvent(comment="keep-alive")
        else:
            yield ServerSentEvent(event=kind, data=data)
