"""What the app's handler threads share stays consistent when they use it at once."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from agents.llm.breaker import CircuitBreaker
from ui.backend import Backend


def test_downloads_saved_at_once_under_one_name_are_kept_apart(tmp_path):
    backend = Backend.__new__(Backend)
    backend.files = tmp_path
    with ThreadPoolExecutor(8) as pool:
        paths = list(pool.map(lambda i: backend.save("export.csv", f"user {i}"), range(40)))
    assert len(set(paths)) == 40
    assert sorted(Path(p).read_text() for p in paths) == sorted(f"user {i}" for i in range(40))


def test_a_fresh_service_answers_many_threads_at_once_like_one(demo_service, fresh_service):
    service = fresh_service(cache_size=64)
    customers = service.customers.index[:300].tolist()
    with ThreadPoolExecutor(8) as pool:
        together = list(pool.map(lambda c: service.predict(c).probability, customers * 2))
    alone = [demo_service.predict(c).probability for c in customers * 2]
    assert together == alone
    assert service.cached_customers() <= 64


def test_the_breaker_counts_failures_from_many_threads_exactly():
    breaker = CircuitBreaker(failures_to_open=1000, cool_down_s=60)
    with ThreadPoolExecutor(8) as pool:
        opened = list(pool.map(lambda _: breaker.record_failure("500"), range(1000)))
    assert opened.count(True) == 1
    assert breaker.open_reason() is not None
