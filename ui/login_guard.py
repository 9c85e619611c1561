"""The app's login, with a lockout that backs off: after `ATTEMPTS` wrong passwords in a row for
one user name, that name is refused — right password or not — for `FIRST_LOCK` seconds, then
twice as long after each further failure, up to `LONGEST_LOCK`. A right password outside a
lockout clears the count. Gradio calls it as its `auth` function (user name, password).

Without it the login took 200 wrong passwords in 6.7 s. Refusals are logged with the user name
and how long the lockout lasts, never a password.
"""

from __future__ import annotations

import hmac
import logging
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass

from cachetools import LRUCache

ATTEMPTS = 5
FIRST_LOCK = 30.0
LONGEST_LOCK = 15 * 60.0
#: User names remembered at once: a flood of made-up names cannot fill the memory.
REMEMBERED = 10_000

log = logging.getLogger(__name__)


@dataclass
class _Record:
    failures: int = 0
    locked_until: float = 0.0


class LoginGuard:
    def __init__(
        self, user: str, password: str, clock: Callable[[], float] = time.monotonic
    ) -> None:
        self._user, self._password = user, password
        self._clock = clock
        self._records: LRUCache[str, _Record] = LRUCache(maxsize=REMEMBERED)
        self._lock = threading.Lock()

    def locked_for(self, username: str) -> float:
        """Seconds the user name stays locked out (0: it may try)."""
        with self._lock:
            record = self._records.get(username.casefold())
            return max(0.0, record.locked_until - self._clock()) if record else 0.0

    def __call__(self, username: str, password: str) -> bool:
        key = username.casefold()
        with self._lock:
            record = self._records.get(key) or _Record()
            self._records[key] = record
            now = self._clock()
            if record.locked_until > now:
                log.warning(
                    "login refused for %r: locked for %.0f s", username, record.locked_until - now
                )
                return False
            # Both compared in constant time, so a refusal does not tell which was wrong.
            right = hmac.compare_digest(username.encode(), self._user.encode())
            right &= hmac.compare_digest(password.encode(), self._password.encode())
            if right:
                self._records.pop(key, None)
                return True
            record.failures += 1
            if record.failures >= ATTEMPTS:
                lock = min(FIRST_LOCK * 2 ** (record.failures - ATTEMPTS), LONGEST_LOCK)
                record.locked_until = now + lock
                log.warning(
                    "login refused for %r: %d failures, locked for %.0f s",
                    username,
                    record.failures,
                    lock,
                )
            return False
