"""Model health in the app: the header says whether the newest batch run's base moved from the
model's training data (nothing before any run); Analyze shows the customer's risk over runs."""

from __future__ import annotations

from crm_agents.batch.run import run_batch
from crm_agents.composition import assemble
from crm_agents.store.database import open_store
from crm_agents.store.health import StoredRiskHistory, drift_of, record_drift
from tools.service.retention import RetentionService
from ui.backend import Backend
from ui.tabs.analyze_panels import AnalyzePanels


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


def test_analyze_shows_the_customers_risk_over_runs(demo, tmp_path):
    url = f"sqlite:///{tmp_path / 'crm.db'}"
    s = demo.service
    service = RetentionService(
        s.data,
        s.model,
        s.card,
        s.settings,
        survival=s.survival,
        history=StoredRiskHistory(lambda: open_store(url)),
    )
    assembly = assemble(s.settings, service=service)
    for _ in range(2):
        run_batch(assembly.analyzer, url, min_risk="high", limit=1, workers=1)
    panels = AnalyzePanels(Backend(assembly, tmp_path))
    customer = s.customers.index[0]
    shown = panels.history(customer, "en")
    assert shown.startswith("#### Risk over batch runs")
    assert "Churn probability by run: run 1" in shown and "run 2" in shown
    assert "歷次批次執行的風險" in panels.history(customer, "zh-TW")


def test_analyze_shows_no_history_before_any_run_holds_the_customer(demo, tmp_path):
    panels = AnalyzePanels(Backend(demo, tmp_path))
    customer = demo.service.customers.index[0]
    assert panels.history(customer, "en") == ""


def test_the_health_tab_shows_drift_accuracy_and_alerts_after_a_run(demo, tmp_path):
    from ui.tabs import health

    backend, url = _backend(demo, tmp_path)
    run_batch(demo.analyzer, url, min_risk="high", limit=1, workers=1)
    shown = health.session_start(backend, "en")
    assert shown["summary"].startswith("Drift")
    assert list(shown["runs"].iloc[:, 0]) == [1]
    assert len(shown["measures"]) == len(drift_of(backend.store, 1).measures)
    assert shown["accuracy"].iloc[0, 0] == f"{shown['runs'].iloc[0, 1][:7]}"
    assert shown["alerts"] is None  # a first run has nothing to compare with
    zh = health.session_start(backend, "zh-TW")
    assert zh["summary"].startswith("資料漂移")


def test_the_health_tab_before_any_run_says_how_to_start(demo, tmp_path):
    from ui.tabs import health

    backend, _ = _backend(demo, tmp_path)
    shown = health.session_start(backend, "en")
    assert "crm-agents batch" in shown["summary"]
    assert shown["runs"] is None and shown["measures"] is None


def test_the_threshold_simulator_starts_from_the_settings_and_answers(demo, tmp_path):
    from ui.tabs import threshold_panel

    backend, _ = _backend(demo, tmp_path)
    start = threshold_panel.starting_point(backend, "en")
    assert start["threshold_cutoff"] == demo.settings.risk_high
    assert start["threshold_cost"] == demo.settings.assumed_contact_cost
    assert "assumptions" in start["threshold_intro"]
    line, table = threshold_panel.simulated(backend, 0.7, 20.0, 0.2, "en")
    assert line.startswith("At 70.0%") and "Best net value" in line
    assert len(table) == len(threshold_panel.CUTOFFS)
