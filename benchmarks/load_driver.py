"""Drive a running app with many concurrent users through `gradio_client` and check for
errors and cross-talk. Used by `bench_load.py` (50 requests) and by the test suite (a smaller
run).

A request is one of: an analysis of a customer (its result must be about that customer), a
chat in a thread of its own (two questions about one customer: no answer in that thread may
name another worker's customer), or a portfolio query (its rows must match its filter).
"""

from __future__ import annotations

import statistics
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field

import pandas as pd
from gradio_client import Client

from ui.tabs.analyze import OUTPUTS

# Where the status line and the email are among the analyze endpoint's outputs.
STATUS, EMAIL = OUTPUTS.index("status"), OUTPUTS.index("email")


@dataclass
class LoadReport:
    requests: int
    errors: list[str] = field(default_factory=list)
    cross_talk: list[str] = field(default_factory=list)
    latencies_s: list[float] = field(default_factory=list)

    def percentile(self, q: float) -> float:
        if not self.latencies_s:
            return float("nan")
        ordered = sorted(self.latencies_s)
        return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]

    def summary(self) -> str:
        return (
            f"{self.requests} concurrent requests: errors {len(self.errors)}, "
            f"cross-talk {len(self.cross_talk)}, latency p50 {self.percentile(0.5):.2f} s, "
            f"p95 {self.percentile(0.95):.2f} s, max {max(self.latencies_s, default=0):.2f} s, "
            f"mean {statistics.fmean(self.latencies_s) if self.latencies_s else 0:.2f} s"
        )


def _texts(history: list[dict]) -> str:
    parts = []
    for message in history:
        content = message.get("content")
        if isinstance(content, str):
            parts.append(content)
        elif isinstance(content, list):
            parts += [b.get("text", "") for b in content if isinstance(b, dict)]
    return "\n".join(parts)


def run_load(url: str, customers: list[str], requests: int, auth=None) -> LoadReport:
    """`requests` concurrent mixed requests; `customers` must hold at least `requests` IDs."""
    report = LoadReport(requests=requests)
    mine = {i: customers[i] for i in range(requests)}
    others = set(mine.values())

    def one(i: int) -> None:
        customer = mine[i]
        client = Client(url, auth=auth, verbose=False)
        started = time.perf_counter()
        try:
            kind = ("analysis", "chat", "portfolio")[i % 3]
            if kind == "analysis":
                out = client.predict(customer, "en", api_name="/analyze")
                if customer not in out[STATUS] or not out[STATUS]:
                    report.cross_talk.append(f"analysis of {customer} showed: {out[STATUS][:80]}")
            elif kind == "chat":
                thread = uuid.uuid4().hex
                client.predict(f"Why will {customer} churn?", thread, "en", api_name="/ask")
                history, _, _ = client.predict(
                    f"What is {customer}'s risk?", thread, "en", api_name="/ask"
                )
                text = _texts(history)
                strangers = [c for c in others - {customer} if c in text]
                if customer not in text or strangers:
                    report.cross_talk.append(f"thread of {customer} mentions {strangers[:3]}")
            else:
                level = ("high", "medium", "low")[(i // 3) % 3]
                table, csv_path, _ = client.predict(
                    "probability", level, "any", 25, "en", api_name="/portfolio"
                )
                risks = {row[2] for row in table["value"]["data"]}  # the list and its title
                exported = set(pd.read_csv(csv_path)["risk"]) if csv_path else set()
                if risks - {level} or exported - {level}:
                    report.cross_talk.append(
                        f"portfolio for {level} returned {risks}, its CSV {exported}"
                    )
            report.latencies_s.append(time.perf_counter() - started)
        except Exception as err:  # every failure is counted, none stops the run
            report.errors.append(f"request {i}: {type(err).__name__}: {str(err)[:200]}")

    with ThreadPoolExecutor(max_workers=requests) as pool:
        list(pool.map(one, range(requests)))
    return report
