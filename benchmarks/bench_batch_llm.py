"""The batch's writing phase at the LLM's pace: customers per minute against the scripted
OpenAI-protocol server answering every request after 300 ms, at 1, 4 and 8 analyses at once.

    .venv/bin/python benchmarks/bench_batch_llm.py [--latency 0.3] [--seconds 15]

The ideal at concurrency c is c analyses in flight, each taking (LLM calls per analysis ×
latency): c × 60 / (calls × latency) customers per minute. The ratio to it says what the
batch's own work (graph, checks, database writes, Python threads sharing two cores) costs.
Synthetic demo data (2,000 customers); medium- and high-risk customers are analysed.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))

from fake_openai import FakeOpenAI

from agents.llm.writer import OpenAIWriter
from core.settings import Settings
from crm_agents.batch.run import run_batch
from crm_agents.composition import assemble
from data.loading import load_customers
from models.churn.training import train
from tools.service.retention import RetentionService


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--latency", type=float, default=0.3)
    parser.add_argument("--seconds", type=float, default=15.0, help="ideal length of each pass")
    parser.add_argument("--concurrency", type=int, nargs="+", default=[1, 4, 8])
    args = parser.parse_args()
    server = FakeOpenAI(latency=args.latency).start()
    base = Settings(
        synthetic_rows=2000,
        openai_base_url=server.base_url,
        llm_budget=120.0,
        model="logistic_splines",
        cv_folds=3,
        cv_repeats=1,
    )
    data = load_customers(None, base)
    service = RetentionService(data, *train(data, base), base)
    print(f"scripted server: {args.latency * 1000:.0f} ms per request; 2,000 demo customers")
    print(
        f"{'in flight':>9}  {'customers':>9}  {'calls each':>10}  {'per minute':>10}  "
        f"{'ideal':>7}  {'ratio':>5}"
    )
    with tempfile.TemporaryDirectory() as folder:
        for concurrency in args.concurrency:
            settings = base.model_copy(update={"llm_concurrency": concurrency})
            # The service carries the settings the batch reads: one per pass, same model.
            service = RetentionService(service.data, service.model, service.card, settings)
            assembly = assemble(settings, service=service, writer=OpenAIWriter(settings))
            before = len(server.requests)
            # About `seconds` of ideal work, assuming 4 calls per analysis.
            customers = max(concurrency, round(args.seconds * concurrency / (4 * args.latency)))
            summary = run_batch(
                assembly.analyzer,
                f"sqlite:///{folder}/c{concurrency}.db",
                min_risk="medium",
                limit=customers,
                workers=1,
            )
            calls = (len(server.requests) - before) / summary.customers_analysed
            per_minute = summary.customers_analysed / summary.seconds * 60
            ideal = concurrency * 60 / (calls * args.latency)
            print(
                f"{concurrency:>9}  {summary.customers_analysed:>9}  {calls:>10.1f}  "
                f"{per_minute:>10.1f}  {ideal:>7.1f}  {per_minute / ideal:>5.2f}"
            )
    server.stop()


if __name__ == "__main__":
    main()
