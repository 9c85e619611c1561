"""Back-to-back analyses against llama-cpp-python's server (Gemma 3 270M), as a user clicking
Analyze on one customer after another would run them.

    make test-llm   # builds the server and the model once
    LLAMA_SERVER_PYTHON=.venv-llm/bin/python \\
    LLAMA_SERVER_MODEL=.venv-llm/model/gemma-3-270m-q4_k_m.gguf \\
      .venv/bin/python benchmarks/bench_llm_server.py [--runs 6] [--server-args "--cache true"]
          [--budget 20] [--timeout 30] [--max-tokens analyst=120,reasoning=160,...]

The product's LLM settings (request timeout, budget per analysis, retries, token limits) as
they are by default, or as given. For each analysis: seconds, who wrote its sections; then the
median and the slowest, the server's time per request (from its log), and its peak resident
memory.
A request the analysis stopped waiting for must not keep the single-slot server busy: with the
client hanging up at the analysis's deadline the times stay level instead of alternating.
`--server-args` adds flags to the server's command line (e.g. `"--cache true --logits_all
true"`, the server settings before issue 23) to compare in one run of the same code.
"""

from __future__ import annotations

import argparse
import re
import shlex
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import llama_server

from agents.llm.writer import OpenAIWriter
from agents.trace import OFFLINE
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


def _service(settings: Settings) -> RetentionService:
    data = load_customers(REAL if REAL.exists() else None, settings)
    model = ChurnModel.fit(
        settings.model,
        settings.feature_set,
        build_candidate(settings.model, settings.feature_set),
        data.customers,
        labels(data),
    )
    return RetentionService(data, model, ModelCard.model_construct(), settings)


def _server_request_seconds(log: str) -> list[float]:
    """The server's own time for each request it finished (llama.cpp's timing lines)."""
    return [float(ms) / 1e3 for ms in re.findall(r"total time =\s+([\d.]+) ms", log)]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=6)
    parser.add_argument("--server-args", default="", help="more flags for the server")
    parser.add_argument("--budget", type=float, help="CRM_LLM_BUDGET, seconds per analysis")
    parser.add_argument("--timeout", type=float, help="CRM_LLM_TIMEOUT, seconds per request")
    parser.add_argument("--max-tokens", default="", help="node=N,… (CRM_LLM_MAX_TOKENS)")
    args = parser.parse_args()
    overrides: dict = {}
    if args.budget:
        overrides["llm_budget"] = args.budget
    if args.timeout:
        overrides["llm_timeout"] = args.timeout
    if args.max_tokens:
        limits = dict(pair.split("=") for pair in args.max_tokens.split(","))
        overrides["llm_max_tokens"] = {
            **Settings().llm_max_tokens,
            **{node: int(n) for node, n in limits.items()},
        }
    if not llama_server.available():
        sys.exit("no llama.cpp server: `make test-llm` builds it; see this file's docstring")
    with tempfile.TemporaryDirectory() as root:
        log = Path(root) / "llama.log"
        extra = tuple(shlex.split(args.server_args))
        with llama_server.llama_server(log, extra) as server:
            settings = Settings(
                model="logistic_splines",
                openai_base_url=server.url,
                llm_model="gemma-3-270m",
                state_dir=Path(root) / "state",
                **overrides,
            )
            service = _service(settings)
            assembly = assemble(settings, service=service, writer=OpenAIWriter(settings))
            at_risk = service.scores().query("risk_level == 'high'").customerID.tolist()
            print(
                f"server flags: {' '.join(extra) or '(the product defaults)'}; "
                f"LLM timeout {settings.llm_timeout:g} s, budget {settings.llm_budget:g} s, "
                f"retries {settings.llm_retries}, token limits {settings.llm_max_tokens}"
            )
            times = []
            for customer in at_risk[: args.runs]:
                started = time.perf_counter()
                result = assembly.analyzer.run(customer)
                times.append(time.perf_counter() - started)
                ran = [s for s in result.trace if s.status == "ran"]
                by_model = sum(s.written_by != OFFLINE for s in ran)
                print(
                    f"  {customer}: {times[-1]:5.1f} s, {by_model}/{len(ran)} sections by the "
                    f"model, {sum(len(s.llm_calls) for s in ran)} LLM calls"
                )
            breaker = assembly.writer.breaker.open_reason()
            peak = server.peak_resident_bytes()
            served = _server_request_seconds(log.read_text(errors="replace"))
    print(
        f"analysis: median {statistics.median(times):.1f} s, slowest {max(times):.1f} s, "
        f"fastest {min(times):.1f} s over {len(times)} back to back"
    )
    if served:
        print(
            f"server time per request: median {statistics.median(served):.1f} s, "
            f"longest {max(served):.1f} s over {len(served)} requests"
        )
    print(f"server peak resident memory: {peak / 2**30:.2f} GiB")
    if breaker:
        print(f"the endpoint's circuit breaker is open: {breaker}")


if __name__ == "__main__":
    main()
