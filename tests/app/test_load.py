"""Several users at once: concurrent analyses, chats in their own threads and portfolio
queries end without errors and without cross-talk (the benchmark runs 50)."""

from __future__ import annotations

import pytest
from app_server import app_settings, start

from benchmarks.load_driver import run_load
from data.loading import load_customers

pytestmark = pytest.mark.slow


def test_concurrent_mixed_requests_have_no_errors_and_no_cross_talk(tmp_path):
    settings = app_settings(tmp_path)
    demo, url = start(settings)
    try:
        customers = load_customers(None, settings).customers.index.tolist()[::97]
        report = run_load(url, customers, requests=12)
    finally:
        demo.close()
    assert report.errors == []
    assert report.cross_talk == []
    assert len(report.latencies_s) == 12
