"""The app's login, with a lockout that backs off (`core/rate_limits.Lockout`): after
`ATTEMPTS` wrong passwords in a row for one user name, that name is refused — right password or
not — for `FIRST_LOCK` seconds, then twice as long after each further failure, up to
`LONGEST_LOCK`. A right password outside a lockout clears the count. Gradio calls it as its
`auth` function (user name, password); the server in front of it also limits login requests
per address (`crm_agents/api/limits.py`), with the API's limiter.

Without it the login took 200 wrong passwords in 6.7 s. Refusals are logged with the user name
and how long the lockout lasts, never a password.
"""

from __future__ import annotations

import hmac
import logging
import time
from collections.abc import Callable

from core.rate_limits import Lockout

ATTEMPTS = 5
FIRST_LOCK = 30.0
LONGEST_LOCK = 15 * 60.0

log = logging.getLogger(__name__)


class LoginGuard:
    def __init__(
        self, user: str, password: str, clock: Callable[[], float] = time.monotonic
    ) -> None:
        self._user, self._password = user, password
        self._lockout = Lockout(ATTEMPTS, FIRST_LOCK, LONGEST_LOCK, clock)

    def locked_for(self, username: str) -> float:
        """Seconds the user name stays locked out (0: it may try)."""
        return self._lockout.locked_for(username.casefold())

    def __call__(self, username: str, password: str) -> bool:
        key = username.casefold()
        waiting = self._lockout.locked_for(key)
        if waiting > 0:
            log.warning("login refused for %r: locked for %.0f s", username, waiting)
            return False
        # Both compared in constant time, so a refusal does not tell which was wrong.
        right = hmac.compare_digest(username.encode(), self._user.encode())
        right &= hmac.compare_digest(password.encode(), self._password.encode())
        if right:
            self._lockout.succeeded(key)
            return True
        lock = self._lockout.failed(key)
        if lock:
            log.warning("login refused for %r: locked for %.0f s", username, lock)
        return False
