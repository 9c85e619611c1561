"""The circuit breaker shared by the analysis writer and the chat."""

from __future__ import annotations

from agents.llm.breaker import CircuitBreaker


def _breaker(failures: int = 2, pause: float = 10):
    now = [0.0]
    return CircuitBreaker(failures_to_open=failures, cool_down_s=pause, clock=lambda: now[0]), now


def test_the_breaker_stays_closed_below_the_failure_count():
    breaker, _ = _breaker()
    assert breaker.record_failure("500") is False
    assert breaker.open_reason() is None


def test_the_breaker_opens_at_the_failure_count_and_says_why():
    breaker, _ = _breaker()
    breaker.record_failure("500")
    assert breaker.record_failure("HTTP 503 from the server") is True
    reason = breaker.open_reason()
    assert "failed 2 times in a row" in reason
    assert "HTTP 503 from the server" in reason and "retrying in 10 s" in reason


def test_the_breaker_tries_the_endpoint_again_after_its_pause():
    breaker, now = _breaker()
    breaker.record_failure("500")
    breaker.record_failure("500")
    now[0] = 9.9
    assert breaker.open_reason() is not None
    now[0] = 10.0
    assert breaker.open_reason() is None


def test_a_success_resets_the_count():
    breaker, _ = _breaker()
    breaker.record_failure("500")
    breaker.record_success()
    assert breaker.record_failure("500") is False
    assert breaker.open_reason() is None


def test_a_failure_while_open_does_not_extend_the_pause():
    breaker, now = _breaker()
    breaker.record_failure("500")
    breaker.record_failure("500")
    now[0] = 5.0
    assert breaker.record_failure("500") is False
    now[0] = 10.0
    assert breaker.open_reason() is None


def test_the_reason_keeps_only_the_start_of_a_long_problem():
    breaker, _ = _breaker(failures=1)
    breaker.record_failure("x" * 500)
    assert "x" * 120 in breaker.open_reason() and "x" * 121 not in breaker.open_reason()


def test_the_defaults_are_three_failures_and_a_minute():
    breaker = CircuitBreaker()
    assert (breaker.failures_to_open, breaker.cool_down_s) == (3, 60.0)
