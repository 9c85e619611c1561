"""The compiled graph that `langgraph.json` serves runs with no context passed in."""

from __future__ import annotations

import json
from pathlib import Path

from agents.context import default_context
from core.settings import Settings, get_settings
from data.loading import load_customers
from graph import chat as chat_module
from graph.analysis import graph
from models.persistence import save_model
from models.training import train

ROOT = Path(__file__).resolve().parents[1]


def test_langgraph_json_points_at_both_graphs():
    config = json.loads((ROOT / "langgraph.json").read_text())
    for name in ("analysis", "chat"):
        module, attribute = config["graphs"][name].split(":")
        assert (ROOT / module).is_file() and attribute == "graph"


def test_graph_without_context_builds_one_from_settings(tmp_path, monkeypatch):
    monkeypatch.setenv("CRM_ARTIFACTS_DIR", str(tmp_path / "artifacts"))
    monkeypatch.setenv("CRM_RAW_DIR", str(tmp_path / "raw"))
    monkeypatch.setenv("CRM_SYNTHETIC_ROWS", "1000")
    get_settings.cache_clear()
    default_context.cache_clear()
    try:
        settings = Settings(model="logistic_baseline", cv_folds=2, cv_repeats=1, n_jobs=1)
        data = load_customers(None, settings)
        save_model(*train(data, settings), settings.artifacts_dir)
        customer = data.customers.index[0]
        state = graph.invoke({"customer_id": customer, "language": "en"})
        assert state["risk"].customer_id == customer
        assert state["trace"][0].node == "analyst"
        answer = chat_module.graph.invoke(
            {"messages": [("user", f"what is {customer}'s risk?")], "language": "en"}
        )
        assert customer in answer["messages"][-1].content
    finally:
        get_settings.cache_clear()
        default_context.cache_clear()
