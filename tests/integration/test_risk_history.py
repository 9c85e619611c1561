"""Why a customer's risk changed between two batch runs: the trend, the drivers that moved it,
and whose change it was — the customer's data (same model) or the model's (a new version on the
same data). The parts add up to the whole change of log-odds."""

from __future__ import annotations

import numpy as np
import pytest
from scipy.special import logit

from crm_agents.batch.run import run_batch
from crm_agents.composition import assemble
from crm_agents.store.database import open_store
from crm_agents.store.health import StoredRiskHistory
from data.loading import CustomerData
from data.schema import feature_label
from graph.chat import build_chat_graph, open_checkpointer
from graph.chat_session import ChatSession
from models.churn.persistence import save_model
from models.churn.training import train
from tools.service.retention import RetentionService


def _service(demo, url: str, customers=None, model=None, card=None, settings=None):
    s = demo.service
    data = s.data if customers is None else CustomerData(customers, s.data.origin)
    return RetentionService(
        data,
        model or s.model,
        card or s.card,
        settings or s.settings,
        survival=s.survival,
        history=StoredRiskHistory(lambda: open_store(url)),
    )


def _run(service, url: str) -> int:
    analyzer = assemble(service.settings, service=service).analyzer
    return run_batch(analyzer, url, min_risk="high", limit=1, workers=1).run_id


@pytest.fixture(scope="module")
def data_changed(demo, tmp_path_factory):
    """Two runs with one model; between them a calm customer complained four times, lost a
    fifth of their usage and went month-to-month."""
    url = f"sqlite:///{tmp_path_factory.mktemp('history') / 'crm.db'}"
    first = _service(demo, url)
    _run(first, url)
    customers = demo.service.customers
    low = demo.service.scores().query("risk_level == 'low'")["customerID"]
    committed = customers.loc[low, "Contract"].ne("Month-to-month")
    customer = committed[committed].index[0]
    changed = customers.copy()
    changed.loc[customer, "complain_count"] += 4
    changed.loc[customer, "usage_drop_rate"] = 0.5
    changed.loc[customer, "Contract"] = "Month-to-month"
    second = _service(demo, url, customers=changed)
    _run(second, url)
    return second, customer


@pytest.fixture(scope="module")
def model_changed(demo, tmp_path_factory):
    """Two runs on the same data; the second scored by another model (the baseline logistic
    regression instead of the splines)."""
    root = tmp_path_factory.mktemp("history_model")
    url = f"sqlite:///{root / 'crm.db'}"
    _run(_service(demo, url), url)
    settings = demo.service.settings.model_copy(
        update={"model": "logistic_baseline", "artifacts_dir": root / "artifacts"}
    )
    model, card = train(demo.service.data, settings)
    card = save_model(model, card, settings.artifacts_dir)
    second = _service(demo, url, model=model, card=card, settings=settings)
    _run(second, url)
    before = demo.service.scores().set_index("customerID")["churn_probability"]
    after = second.scores().set_index("customerID")["churn_probability"]
    customer = (after - before.reindex(after.index)).abs().idxmax()
    return second, customer


def test_the_trend_holds_each_run_oldest_first(data_changed):
    service, customer = data_changed
    history = service.risk_history(customer)
    assert [p.run_id for p in history.points] == [1, 2]
    assert history.points[1].probability > history.points[0].probability


def test_a_customer_whose_data_changed_is_told_so_driver_by_driver(data_changed):
    service, customer = data_changed
    history = service.risk_history(customer)
    change = history.change
    assert history.moved and change is not None
    assert not change.model_changed and change.split
    assert change.model_part == pytest.approx(0.0, abs=1e-9)
    assert {"complain_count", "usage_drop_rate", "Contract"} == set(history.inputs_changed)
    moved = {d.feature for d in change.drivers[:3]}
    assert moved == {"complain_count", "usage_drop_rate", "Contract"}
    # A feature whose value did not change did not move (the model is linear and the same).
    unchanged = [d for d in change.drivers if d.feature not in history.inputs_changed]
    assert all(abs(d.total) < 1e-6 for d in unchanged)


def test_the_parts_add_up_to_the_whole_change(data_changed, model_changed):
    for service, customer in (data_changed, model_changed):
        change = service.risk_history(customer).change
        whole = logit(change.probability_after) - logit(change.probability_before)
        assert change.customer_part + change.model_part == pytest.approx(whole, abs=1e-4)


def test_a_customer_whose_model_changed_is_told_it_was_the_model(model_changed):
    service, customer = model_changed
    history = service.risk_history(customer)
    change = history.change
    assert history.moved and change is not None
    assert change.model_changed and change.split
    assert history.inputs_changed == []
    assert change.customer_part == pytest.approx(0.0, abs=1e-6)
    assert abs(change.model_part) > 0.1
    assert all(abs(d.customer) < 1e-6 for d in change.drivers)


def test_a_small_move_is_a_trend_without_a_reading(data_changed):
    service, customer = data_changed
    still = next(
        c
        for c in service.customers.index
        if c != customer and np.isclose(*[p.probability for p in service.risk_history(c).points])
    )
    history = service.risk_history(still)
    assert not history.moved and history.change is None


def test_without_a_database_the_history_is_empty(demo):
    history = demo.service.risk_history(demo.service.customers.index[0])
    assert history.points == [] and history.change is None


def _chat(service, folder):
    assembly = assemble(service.settings, service=service)
    saver = open_checkpointer(folder / "chat.db")
    return ChatSession(build_chat_graph(assembly.kits, assembly.analyzer, saver))


def test_the_chat_says_the_customer_changed_and_which_drivers_moved(data_changed, tmp_path):
    service, customer = data_changed
    answer = _chat(service, tmp_path).ask(f"Why did {customer}'s risk go up?").answer
    assert "What changed was the customer" in answer
    assert feature_label("complain_count") in answer and feature_label("Contract") in answer
    assert "went up" in answer


def test_the_chat_says_the_model_changed_in_chinese_for_the_customer_in_the_thread(
    model_changed, tmp_path
):
    service, customer = model_changed
    chat = _chat(service, tmp_path)
    chat.ask(f"{customer} 的流失風險是多少？")
    answer = chat.ask("為什麼他的風險改變了？").answer
    assert "改變的是模型" in answer
    assert customer in answer
