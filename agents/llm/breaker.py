"""One circuit breaker per LLM endpoint, shared by the analysis writer and the chat.

After `failures_to_open` calls in a row that got no answer (an error, a timeout) the endpoint
is treated as down for `cool_down_s` seconds: callers answer offline at once, with the reason,
instead of each paying its own timeouts. An answer that fails its checks is the model's fault,
not an outage, and does not count. The first call after the pause tries the endpoint again. Gradio
answers users from several threads, so every change happens under a lock.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable


class CircuitBreaker:
    def __init__(
        self,
        failures_to_open: int = 3,
        cool_down_s: float = 60.0,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.failures_to_open = failures_to_open
        self.cool_down_s = cool_down_s
        self._clock = clock
        self._lock = threading.Lock()
        self._failures_in_a_row = 0
        self._open_until = 0.0
        self._last_problem = ""

    def open_reason(self) -> str | None:
        """Why the endpoint is not to be called now, or None when it may be called."""
        with self._lock:
            wait = self._open_until - self._clock()
            if wait <= 0:
                return None
            return (
                f"the LLM endpoint failed {self._failures_in_a_row} times in a row "
                f"(last: {self._last_problem}); answering offline, retrying in {wait:.0f} s"
            )

    def record_success(self) -> None:
        with self._lock:
            self._failures_in_a_row = 0
            self._open_until = 0.0

    def record_failure(self, problem: str) -> bool:
        """Count one failure; True when this one opened the breaker."""
        with self._lock:
            self._failures_in_a_row += 1
            self._last_problem = problem[:120]
            if (
                self._failures_in_a_row >= self.failures_to_open
                and self._clock() >= self._open_until
            ):
                self._open_until = self._clock() + self.cool_down_s
                return True
            return False
