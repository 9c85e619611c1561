"""Limits on how often one caller may knock: a token bucket per caller (`RateLimiter`) and a
lockout that backs off after repeated failures (`Lockout`). The HTTP API and the app's login
use both: per API key and per address, and per user name at the login.

Both keep their callers in a bounded LRU table, so a flood of made-up names or keys cannot fill
the memory; a caller forgotten that way starts afresh, which only ever errs on the side of a
caller that has been quiet the longest.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass

from cachetools import LRUCache

#: Callers remembered at once per limiter.
REMEMBERED = 10_000


@dataclass
class _Bucket:
    tokens: float
    at: float


class RateLimiter:
    """At most `rate` requests per `per` seconds per caller, in bursts of up to `rate`: a
    token bucket refilled at `rate / per` a second."""

    def __init__(
        self, rate: int, per: float = 60.0, clock: Callable[[], float] = time.monotonic
    ) -> None:
        if rate < 1 or per <= 0:
            raise ValueError(f"a rate limit needs rate ≥ 1 and per > 0, got {rate} per {per}")
        self.rate, self.per = rate, per
        self._clock = clock
        self._buckets: LRUCache[str, _Bucket] = LRUCache(maxsize=REMEMBERED)
        self._lock = threading.Lock()

    def take(self, caller: str) -> float:
        """0 when `caller` may go ahead (one token taken); else the seconds until it may."""
        refill = self.rate / self.per
        with self._lock:
            now = self._clock()
            bucket = self._buckets.get(caller) or _Bucket(tokens=float(self.rate), at=now)
            bucket.tokens = min(float(self.rate), bucket.tokens + (now - bucket.at) * refill)
            bucket.at = now
            self._buckets[caller] = bucket
            if bucket.tokens >= 1.0:
                bucket.tokens -= 1.0
                return 0.0
            return (1.0 - bucket.tokens) / refill


@dataclass
class _Failures:
    count: int = 0
    locked_until: float = 0.0


class Lockout:
    """After `attempts` failures in a row a caller is refused for `first` seconds, twice as
    long after each further failure, up to `longest`; a success outside a lockout clears it."""

    def __init__(
        self,
        attempts: int = 5,
        first: float = 30.0,
        longest: float = 15 * 60.0,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.attempts, self.first, self.longest = attempts, first, longest
        self._clock = clock
        self._records: LRUCache[str, _Failures] = LRUCache(maxsize=REMEMBERED)
        self._lock = threading.Lock()

    def locked_for(self, caller: str) -> float:
        """Seconds `caller` stays locked out (0: it may try)."""
        with self._lock:
            record = self._records.get(caller)
            return max(0.0, record.locked_until - self._clock()) if record else 0.0

    def failed(self, caller: str) -> float:
        """Count a failure; the seconds of the lockout it starts (0: none yet)."""
        with self._lock:
            record = self._records.get(caller) or _Failures()
            self._records[caller] = record
            record.count += 1
            if record.count < self.attempts:
                return 0.0
            lock = min(self.first * 2 ** (record.count - self.attempts), self.longest)
            record.locked_until = self._clock() + lock
            return lock

    def succeeded(self, caller: str) -> None:
        with self._lock:
            self._records.pop(caller, None)
