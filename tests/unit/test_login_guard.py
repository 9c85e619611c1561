"""The app's login locks a user name out after repeated wrong passwords, backing off, and a
right password during the lockout is refused too."""

from __future__ import annotations

from ui.login_guard import ATTEMPTS, FIRST_LOCK, LONGEST_LOCK, LoginGuard


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_the_right_login_is_let_in():
    assert LoginGuard("ana", "s3cret-pw")("ana", "s3cret-pw")


def test_after_repeated_failures_even_the_right_password_is_refused_until_the_lock_ends():
    clock = Clock()
    guard = LoginGuard("ana", "s3cret-pw", clock)
    for _ in range(ATTEMPTS):
        assert not guard("ana", "guess")
    assert not guard("ana", "s3cret-pw")
    assert guard.locked_for("ana") == FIRST_LOCK
    clock.now += FIRST_LOCK
    assert guard("ana", "s3cret-pw")


def test_each_further_failure_doubles_the_lock_up_to_its_longest():
    clock = Clock()
    guard = LoginGuard("ana", "s3cret-pw", clock)
    locks = []
    for _ in range(ATTEMPTS + 8):
        clock.now += guard.locked_for("ana")  # wait out any lock, then fail again
        guard("ana", "guess")
        locks.append(guard.locked_for("ana"))
    assert locks[ATTEMPTS - 1 : ATTEMPTS + 2] == [FIRST_LOCK, 2 * FIRST_LOCK, 4 * FIRST_LOCK]
    assert max(locks) == LONGEST_LOCK


def test_two_hundred_guesses_get_five_tries_and_a_lockout():
    clock = Clock()
    guard = LoginGuard("ana", "s3cret-pw", clock)
    tried = [guard("ana", f"guess-{i}") for i in range(200)]
    assert not any(tried)
    assert guard.locked_for("ana") > 0  # the 195 after the fifth were never compared


def test_a_right_login_clears_the_count_and_other_names_are_not_locked():
    clock = Clock()
    guard = LoginGuard("ana", "s3cret-pw", clock)
    for _ in range(ATTEMPTS - 1):
        guard("ana", "guess")
    assert guard("ana", "s3cret-pw")
    assert not guard("ana", "guess") and guard.locked_for("ana") == 0
    for _ in range(ATTEMPTS):
        guard("mallory", "guess")
    assert guard.locked_for("mallory") > 0 and guard("ana", "s3cret-pw")
