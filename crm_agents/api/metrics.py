"""`/metrics` in Prometheus's text format (`prometheus-client`): requests and their latency per
route, analyses by outcome, offline fallbacks, LLM tokens, and requests refused by a limit.

Each server has a registry of its own (not the library's global one), so two servers in one
process — tests — never share or double a count.
"""

from __future__ import annotations

from prometheus_client import CollectorRegistry, Counter, Histogram, generate_latest
from prometheus_client.exposition import CONTENT_TYPE_LATEST

from graph.analysis import AnalysisResult

CONTENT_TYPE = CONTENT_TYPE_LATEST


class Metrics:
    def __init__(self) -> None:
        self.registry = CollectorRegistry()
        self.requests = Counter(
            "crm_api_requests",
            "HTTP requests answered, by method, route template and status",
            ["method", "route", "status"],
            registry=self.registry,
        )
        self.latency = Histogram(
            "crm_api_request_seconds",
            "Time to answer a request, by method and route template",
            ["method", "route"],
            buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60),
            registry=self.registry,
        )
        self.analyses = Counter(
            "crm_analyses",
            "Analyses run through the API, by outcome (completed, failed)",
            ["outcome"],
            registry=self.registry,
        )
        self.fallbacks = Counter(
            "crm_llm_fallbacks",
            "Analysis sections the offline writer wrote because the LLM failed",
            registry=self.registry,
        )
        self.tokens = Counter(
            "crm_llm_tokens",
            "LLM tokens spent by analyses, by direction (input, output)",
            ["direction"],
            registry=self.registry,
        )
        self.limited = Counter(
            "crm_api_rate_limited",
            "Requests refused by a rate limit, by which (key, address, login)",
            ["limit"],
            registry=self.registry,
        )

    def analysed(self, result: AnalysisResult) -> None:
        self.analyses.labels("completed").inc()
        for step in result.trace:
            if step.fallback:
                self.fallbacks.inc()
            for call in step.llm_calls:
                self.tokens.labels("input").inc(call.input_tokens)
                self.tokens.labels("output").inc(call.output_tokens)

    def text(self) -> bytes:
        return generate_latest(self.registry)
