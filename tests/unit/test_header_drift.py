"""The app's header says whether the newest batch run's base moved from the model's training
data, in the page's language — and nothing before any run."""

from __future__ import annotations

from crm_agents.batch.run import run_batch
from crm_agents.store.database import open_store
from crm_agents.store.health import drift_of, record_drift
from ui.backend import Backend


def _backend(demo, tmp_path) -> tuple[Backend, str]:
    url = f"sqlite:///{tmp_path / 'crm.db'}"
    backend = Backend(demo, tmp_path)
    backend.__dict__["store"] = open_store(url)  # the cached property, on a database of its own
    return backend, url


def test_before_any_run_the_header_says_nothing_of_drift(demo, tmp_path):
    backend, _ = _backend(demo, tmp_path)
    assert backend.drift_line("en") is None
    assert "Drift" not in backend.header("en")


def test_the_header_gives_the_newest_runs_drift(demo, tmp_path):
    backend, url = _backend(demo, tmp_path)
    run = run_batch(demo.analyzer, url, min_risk="high", limit=1, workers=1).run_id
    assert f"Batch run {run} · Drift: nothing moved" in backend.header("en")
    assert "資料漂移" in backend.header("zh-TW")


def test_a_shifted_run_is_flagged_in_the_header(demo, tmp_path):
    backend, url = _backend(demo, tmp_path)
    run = run_batch(demo.analyzer, url, min_risk="high", limit=1, workers=1).run_id
    report = drift_of(backend.store, run)
    moved = report.measures[0].model_copy(update={"shifted": True, "value": 9.0})
    record_drift(backend.store, run, report.model_copy(update={"measures": [moved]}))
    header = backend.header("en")
    assert f"⚠️ **Batch run {run}**" in header
    assert f"crm-agents health --run {run}" in header
