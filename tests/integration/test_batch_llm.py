"""The batch with an LLM: as many analyses at once as `CRM_LLM_CONCURRENCY` says, never more,
every customer stored once."""

from __future__ import annotations

import pytest
from llm_apps import llm_assembly

from crm_agents.batch.run import run_batch
from crm_agents.store import database


@pytest.fixture
def server(fake_openai):
    fake_openai.reset()
    yield fake_openai
    fake_openai.reset()


@pytest.mark.parametrize("concurrency", [1, 3])
def test_the_batch_keeps_exactly_the_configured_requests_in_flight(
    demo_service, server, tmp_path, concurrency
):
    server.latency = 0.15  # long enough for the threads to overlap
    assembly = llm_assembly(demo_service, server.base_url, llm_concurrency=concurrency)
    path = tmp_path / "crm.db"
    summary = run_batch(assembly.analyzer, f"sqlite:///{path}", min_risk="high", limit=12)
    assert summary.customers_analysed == 12
    assert server.peak_in_flight == concurrency
    analyses = database.read_table(database.open_store(f"sqlite:///{path}"), "analyses")
    assert analyses["customer_id"].is_unique and len(analyses) == 12
    assert (analyses["written_by"] != "offline").all()
