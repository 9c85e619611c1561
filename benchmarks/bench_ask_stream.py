"""Time the Ask tab's first visible response, through the app's own HTTP API.

    .venv/bin/python benchmarks/bench_ask_stream.py [--runs 5]

Starts the app on the demo data and asks questions through `gradio_client`, as the page does,
against (1) the offline router, (2) a local OpenAI-compatible server that streams (the scripted
server of `tests/fake_openai.py`, one word every 50 ms, choosing a tool then answering) and
(3) llama-cpp-python's server with the Gemma 3 270M model when `make test-llm` has built it
(LLAMA_SERVER_PYTHON and LLAMA_SERVER_MODEL set). For each: seconds from sending to the first
visible response (a tool step or the first token of the answer, not the echo of the question)
and to the whole answer, median of the runs. Target: the first visible response within 1 s with
a local server.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
import time
from contextlib import ExitStack
from pathlib import Path

# The tests' helpers, behind the project itself (`tests/app/` would shadow `app.py`).
sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import llama_server
from app_server import app_settings, start
from fake_openai import FakeOpenAI, Reply
from gradio_client import Client

ANSWER = "They are likely to leave soon: call them this week and offer the one-year contract."


def _something_answered(history: list[dict]) -> bool:
    return any(m.get("role") == "assistant" for m in history)


def _text(content) -> str:
    if isinstance(content, list):
        return "".join(part.get("text", "") for part in content if isinstance(part, dict))
    return str(content)


def _time_turn(client: Client, question: str) -> tuple[float, float, str | None]:
    """(seconds to the first visible response, seconds to the whole answer, why the LLM's answer
    was not used if it was not)."""
    t0 = time.perf_counter()
    job = client.submit(question, "", "en", api_name="/ask")
    first = None
    for history, *_ in job:
        if first is None and _something_answered(history):
            first = time.perf_counter() - t0
    history, *_ = job.result()
    whole = time.perf_counter() - t0
    turn = history[max(i for i, m in enumerate(history) if m["role"] == "user") :]
    replaced = [
        _text(m["content"])
        for m in turn
        if (m.get("metadata") or {}).get("title") and "🔧" not in m["metadata"]["title"]
    ]
    return (first if first is not None else whole), whole, (replaced[0] if replaced else None)


def _measure(label: str, settings, runs: int, before_each=None, warm_up=None) -> None:
    demo, url = start(settings)
    try:
        client = Client(url, verbose=False)
        customers = [client.predict("high", api_name="/random_customer") for _ in range(runs)]
        if warm_up is not None:
            warm_up()
        _time_turn(client, "How good is the model?")  # warm-up: imports, first connection
        firsts, wholes, replaced = [], [], []
        for customer in customers:
            if before_each is not None:
                before_each(customer)
            first, whole, why = _time_turn(client, f"Why is {customer} likely to leave?")
            firsts.append(first)
            wholes.append(whole)
            replaced += [why] if why else []
        print(
            f"{label:<34} first visible {statistics.median(firsts):6.2f} s "
            f"(worst {max(firsts):.2f})   whole answer {statistics.median(wholes):6.2f} s"
        )
        for why in replaced:  # an LLM answer replaced by the offline router: the reason
            print(f"    offline answer: {why[:160]}")
    finally:
        demo.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument(
        "--only", choices=["offline", "scripted", "llama"], help="measure one backend only"
    )
    args = parser.parse_args()
    wanted = {args.only} if args.only else {"offline", "scripted", "llama"}
    with ExitStack() as stack:
        root = Path(stack.enter_context(tempfile.TemporaryDirectory()))
        base = app_settings(root)
        fresh = lambda name: base.model_copy(  # noqa: E731
            update={"chat_db": root / f"{name}.db", "port": app_settings(root).port}
        )
        if "offline" in wanted:
            _measure("offline router", fresh("offline"), args.runs)

        scripted = FakeOpenAI(token_delay=0.05).start()
        stack.callback(scripted.stop)

        def tool_then_answer(customer: str) -> None:
            arguments = json.dumps({"customer_id": customer})
            call = {"id": "c1", "type": "function"}
            call["function"] = {"name": "predict_churn", "arguments": arguments}
            scripted.script("chat", Reply(tool_calls=[call]), Reply(ANSWER))

        llm = {"openai_base_url": scripted.base_url, "llm_model": "scripted", "llm_timeout": 30}
        settings = fresh("scripted").model_copy(update=llm)

        def warm_up() -> None:
            scripted.script("chat", Reply("A logistic regression, checked by cross-validation."))

        if "scripted" in wanted:
            _measure(
                "scripted local server (streams)", settings, args.runs, tool_then_answer, warm_up
            )
        if "llama" not in wanted:
            return

        if not llama_server.available():
            print("llama.cpp server: not built (make test-llm builds it); skipped")
            return
        server = stack.enter_context(llama_server.llama_server(root / "llama.log"))
        url = server.url
        # The default token limits (a draft cut short fails, and three failures open the
        # endpoint's circuit breaker) and a budget the analysis can finish in: a call the
        # writer gave up on would keep the server busy and queue the next question behind it.
        llm = {
            "openai_base_url": url,
            "llm_model": "gemma-3-270m",
            "llm_timeout": 300,
            "llm_budget": 900,
        }
        _measure("llama.cpp + Gemma 3 270M", fresh("llama").model_copy(update=llm), args.runs)
        peak = server.peak_resident_bytes() / 2**30
        print(f"llama.cpp server's peak resident memory: {peak:.2f} GiB")


if __name__ == "__main__":
    main()
