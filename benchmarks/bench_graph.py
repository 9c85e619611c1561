"""Time the offline analysis graph over every customer, against the framework's floor.

    .venv/bin/python benchmarks/bench_graph.py [--limit N]

In one run: (1) the real four-node graph with the offline writer over every customer of the
real file (synthetic demo data when the file is absent), and (2) a graph of the same shape —
four nodes, the same conditional edges, same state and context — whose nodes do nothing: the
cost of LangGraph itself. The two run interleaved, customer by customer, so that a shared
machine's load falls on both alike. Target: the real graph reaches at least one third of the floor's
customers/second. The real graph's throughput includes its one-off warm-up (explaining the whole
base and re-scoring it under every offer), reported separately as well.
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

import numpy as np
from langgraph.graph import END, START, StateGraph

from agents.context import Context
from agents.state import AnalysisInput, AnalysisState
from core.settings import Settings
from crm_agents.composition import assemble
from data.loading import load_customers
from graph.analysis import route_by_offer, route_by_risk
from models.churn.candidates import build_candidate
from models.churn.model import ChurnModel
from models.churn.persistence import ModelCard
from models.churn.training import labels
from tools.service.retention import RetentionService

REAL = (
    Path(__file__).resolve().parents[2] / "shared" / "data" / "WA_Fn-UseC_-Telco-Customer-Churn.csv"
)


def _noop_graph(risk_of: dict):
    """Same shape as the analysis graph; nodes return only what routing needs."""

    class _Risk:
        def __init__(self, level: str) -> None:
            self.risk_level = level

    builder = StateGraph(AnalysisState, context_schema=Context, input_schema=AnalysisInput)
    builder.add_node("analyst", lambda s: {"risk": _Risk(risk_of[s["customer_id"]])})
    builder.add_node("reasoning", lambda s: {})
    builder.add_node("campaign", lambda s: {"campaign": True})
    builder.add_node("communication", lambda s: {})
    builder.add_edge(START, "analyst")
    builder.add_edge("analyst", "reasoning")
    builder.add_conditional_edges("reasoning", route_by_risk, ["campaign", END])
    builder.add_conditional_edges("campaign", route_by_offer, ["communication", END])
    builder.add_edge("communication", END)
    return builder.compile()


def _report(label: str, latencies: list[float], total: float) -> float:
    ms = np.asarray(latencies) * 1e3
    rate = len(latencies) / total
    print(
        f"{label:<28} {len(latencies):>6,} customers in {total:6.2f} s = {rate:8,.0f}/s   "
        f"p50 {np.percentile(ms, 50):6.2f} ms   p95 {np.percentile(ms, 95):6.2f} ms"
    )
    return rate


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--limit", type=int, default=None, help="only the first N customers")
    args = parser.parse_args()
    settings = Settings(model="logistic_splines")
    data = load_customers(REAL if REAL.exists() else None, settings)
    print(f"data: {data.origin.describe()}")
    X = data.customers
    model = ChurnModel.fit(
        "logistic_splines",
        settings.feature_set,
        build_candidate("logistic_splines", settings.feature_set),
        X,
        labels(data),
    )
    card = ModelCard.model_construct(model="logistic_splines")
    service = RetentionService(data, model, card, settings)
    assembly = assemble(settings, service=service)
    customers = list(X.index[: args.limit])

    started = time.perf_counter()
    assembly.kit.warm()  # explains the whole base and re-scores it under every offer, once
    warm_up = time.perf_counter() - started
    risk_of = dict(zip(service.scores().customerID, service.scores().risk_level, strict=True))
    noop = _noop_graph(risk_of)
    # Interleaved, customer by customer: a shared machine's slow and fast moments fall on both
    # graphs alike, so their ratio holds from run to run.
    latencies, floor_latencies = [], []
    for customer in customers:
        t0 = time.perf_counter()
        assembly.analyzer.run(customer)
        t1 = time.perf_counter()
        noop.invoke({"customer_id": customer}, context=Context())
        latencies.append(t1 - t0)
        floor_latencies.append(time.perf_counter() - t1)
    real_total = warm_up + sum(latencies)
    floor_total = sum(floor_latencies)

    print(f"warm-up (whole-base explanations + offer what-ifs): {warm_up:.2f} s")
    real = _report("offline analysis graph", latencies, real_total)
    floor = _report("no-op graph (floor)", floor_latencies, floor_total)
    verdict = "meets" if real / floor >= 1 / 3 else "misses"
    print(f"ratio real/floor: {real / floor:.2f} ({verdict} the ≥ 0.33 target)")


if __name__ == "__main__":
    main()
