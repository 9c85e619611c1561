"""Analyses asked for through the API, kept as jobs: queued, running, then completed with the
result (JSON) or failed with the reason. A job still unfinished after `STALE` was left by a
server that stopped (an analysis is bounded by the LLM budget, seconds): it is read as failed,
saying so."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import insert, select, update
from sqlalchemy.engine import Engine

from crm_agents.store.api_tables import analysis_jobs
from crm_agents.store.database import in_utc, now, writing

UNFINISHED = ("queued", "running")
STALE = timedelta(minutes=10)
STOPPED = "the server running this analysis stopped before it finished; ask again"


@dataclass(frozen=True)
class Job:
    id: str
    customer_id: str
    language: str
    status: str
    result: str | None
    error: str | None
    key_id: str
    created: datetime
    finished: datetime | None


def create_job(engine: Engine, customer_id: str, language: str, key_id: str) -> Job:
    row = {
        "id": str(uuid.uuid4()),
        "customer_id": customer_id,
        "language": language,
        "status": "queued",
        "key_id": key_id,
        "created": now(),
    }
    with writing(), engine.begin() as connection:
        connection.execute(insert(analysis_jobs).values(**row))
    return Job(result=None, error=None, finished=None, **row)


def set_status(engine: Engine, job_id: str, status: str, **fields: object) -> None:
    finished = {"finished": now()} if status not in UNFINISHED else {}
    with writing(), engine.begin() as connection:
        connection.execute(
            update(analysis_jobs)
            .where(analysis_jobs.c.id == job_id)
            .values(status=status, **finished, **fields)
        )


def get_job(engine: Engine, job_id: str) -> Job | None:
    with engine.connect() as connection:
        row = connection.execute(select(analysis_jobs).where(analysis_jobs.c.id == job_id)).first()
    if row is None:
        return None
    job = Job(**row._mapping)
    if job.status in UNFINISHED and now() - in_utc(job.created) > STALE:
        set_status(engine, job.id, "failed", error=STOPPED)
        return get_job(engine, job_id)
    return job
