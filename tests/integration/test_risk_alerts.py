"""Risk alerts: a run raises a task for the owner of each customer who crossed into high risk
or whose churn probability rose fast since the previous run, announces it as a webhook event in
the same transaction, once per run and customer, and a person closes it."""

from __future__ import annotations

from types import SimpleNamespace

import pandas as pd
import pytest

from crm_agents.batch.health_steps import raise_alerts
from crm_agents.batch.run import run_batch
from crm_agents.composition import assemble
from crm_agents.store.database import open_store, read_table
from crm_agents.store.health import close_alert, open_alerts
from crm_agents.store.outbox import subscribe
from data.loading import CustomerData
from models.health.alerts import ENTERED_HIGH, ROSE_FAST, risk_alerts
from tools.service.retention import RetentionService


def _scores(rows: list[tuple[str, float, str, str]]) -> pd.DataFrame:
    return pd.DataFrame(
        rows, columns=["customer_id", "churn_probability", "risk_level", "value_tier"]
    )


def test_crossing_into_high_and_a_fast_rise_each_raise_one_alert(settings):
    before = _scores(
        [("A", 0.65, "medium", "high"), ("B", 0.10, "low", "mid"), ("C", 0.30, "low", "low")]
    )
    after = _scores(
        [("A", 0.72, "high", "high"), ("B", 0.30, "low", "mid"), ("C", 0.35, "low", "low")]
    )
    alerts = risk_alerts(before, after, settings).set_index("customer_id")
    assert alerts.loc["A", "kind"] == ENTERED_HIGH
    assert alerts.loc["B", "kind"] == ROSE_FAST
    assert "C" not in alerts.index


def test_owners_follow_the_rule_by_value_tier(settings):
    before = _scores([("A", 0.5, "medium", "high"), ("B", 0.5, "medium", "low")])
    after = _scores([("A", 0.8, "high", "high"), ("B", 0.8, "high", "low")])
    owners = risk_alerts(before, after, settings).set_index("customer_id")["owner"]
    assert owners["A"] == "key accounts" and owners["B"] == "retention team"


def test_a_customer_new_in_this_run_raises_nothing(settings):
    before = _scores([("A", 0.1, "low", "low")])
    after = _scores([("Z", 0.9, "high", "low")])
    assert risk_alerts(before, after, settings).empty


@pytest.fixture
def two_runs(demo, tmp_path):
    """Two runs over the demo data; between them one low-risk customer went month-to-month,
    complained five times and lost half their usage. A webhook subscribes to the alerts."""
    url = f"sqlite:///{tmp_path / 'crm.db'}"
    engine = open_store(url)
    subscribe(engine, "https://crm.example/hooks", ["customer.risk_changed"], "test")
    s = demo.service
    run_batch(demo.analyzer, url, min_risk="high", limit=1, workers=1)
    low = s.scores().query("risk_level == 'low'")["customerID"]
    committed = s.customers.loc[low, "Contract"].ne("Month-to-month")
    customer = committed[committed].index[0]
    changed = s.customers.copy()
    changed.loc[customer, ["Contract", "usage_drop_rate"]] = ["Month-to-month", 0.5]
    changed.loc[customer, "complain_count"] += 5
    service = RetentionService(CustomerData(changed, s.data.origin), s.model, s.card, s.settings)
    second = run_batch(
        assemble(s.settings, service=service).analyzer, url, min_risk="high", limit=1, workers=1
    )
    return engine, second.run_id, customer


def test_a_run_raises_an_alert_and_announces_it(two_runs):
    engine, run, customer = two_runs
    alerts = {a["customer_id"]: a for a in open_alerts(engine)}
    assert customer in alerts and alerts[customer]["run_id"] == run
    deliveries = read_table(engine, "webhook_deliveries")
    announced = deliveries[deliveries["event"] == "customer.risk_changed"]
    assert len(announced) == len(alerts)
    assert any(customer in payload for payload in announced["payload"])


def test_a_resumed_run_does_not_raise_its_alerts_twice(two_runs, demo):
    engine, run, _ = two_runs
    before = len(read_table(engine, "risk_alerts"))
    scored = demo.service.scores().rename(columns={"customerID": "customer_id"})
    raise_alerts(engine, demo.service, SimpleNamespace(id=run), scored)
    assert len(read_table(engine, "risk_alerts")) == before


def test_a_person_closes_an_alert_once(two_runs):
    engine, run, customer = two_runs
    assert close_alert(engine, run, customer, "ana")
    assert customer not in {a["customer_id"] for a in open_alerts(engine)}
    assert not close_alert(engine, run, customer, "ana")
