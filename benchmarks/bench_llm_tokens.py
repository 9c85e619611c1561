"""Count LLM calls and tokens of full analyses, against the scripted OpenAI-protocol server.

    .venv/bin/python benchmarks/bench_llm_tokens.py [--customers 20] [--lang en|zh-TW]

Runs the graph with the OpenAI-compatible backend over HTTP (`tests/fake_openai.py` answers with
grounded drafts) for at-risk customers of the real file (synthetic demo data when it is absent)
and prints calls and tokens per analysis. Tokens are the server's estimate: ASCII characters / 4
plus one per other character, over everything sent (messages + JSON schema) and received.
Target: at most 4 LLM calls and about 3,000 tokens per full analysis.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))

from fake_openai import FakeOpenAI

from agents.llm.writer import OpenAIWriter
from core.settings import Settings
from crm_agents.composition import assemble
from data.loading import load_customers
from models.churn.candidates import build_candidate
from models.churn.model import ChurnModel
from models.churn.persistence import ModelCard
from models.churn.training import labels
from tools.service.retention import RetentionService

REAL = (
    Path(__file__).resolve().parents[2] / "shared" / "data" / "WA_Fn-UseC_-Telco-Customer-Churn.csv"
)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--customers", type=int, default=20)
    parser.add_argument("--lang", choices=["en", "zh-TW"], default="en")
    args = parser.parse_args()
    server = FakeOpenAI().start()
    settings = Settings(model="logistic_splines", openai_base_url=server.base_url)
    data = load_customers(REAL if REAL.exists() else None, settings)
    model = ChurnModel.fit(
        "logistic_splines",
        settings.feature_set,
        build_candidate("logistic_splines", settings.feature_set),
        data.customers,
        labels(data),
    )
    service = RetentionService(data, model, ModelCard.model_construct(), settings)
    assembly = assemble(settings, service=service, writer=OpenAIWriter(settings))
    at_risk = service.scores().query("risk_level != 'low'").customerID
    rng = np.random.default_rng(1)
    sample = rng.choice(at_risk.to_numpy(), size=min(args.customers, len(at_risk)), replace=False)
    calls, tokens, per_node = [], [], {n: [] for n in assembly.analyzer.nodes}
    for customer in sample:
        result = assembly.analyzer.run(customer, language=args.lang)
        steps = [s for s in result.trace if s.status == "ran"]
        calls.append(sum(len(s.llm_calls) for s in steps))
        tokens.append(sum(c.total_tokens for s in steps for c in s.llm_calls))
        for s in steps:
            per_node[s.node].append(sum(c.total_tokens for c in s.llm_calls))
    server.stop()
    print(f"data: {data.origin.describe()}")
    print(f"{len(sample)} full analyses ({args.lang}), OpenAI-compatible backend over HTTP")
    print(f"LLM calls per analysis: max {max(calls)}, mean {np.mean(calls):.1f}")
    print(f"tokens per analysis:    max {max(tokens):,}, mean {np.mean(tokens):,.0f}")
    by_node = ", ".join(f"{n} {np.mean(v):.0f}" for n, v in per_node.items())
    print(f"mean tokens by node:    {by_node}")


if __name__ == "__main__":
    main()
