"""How the batch process meets signals, and how its forked workers die with it.

A stop request (SIGINT/SIGTERM) lets the run finish the chunk in hand; a worker ignores Ctrl-C
(the parent stops it) and is killed by the kernel when the batch process dies, however it dies.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import os
import signal
import threading
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass

from threadpoolctl import threadpool_limits

_PR_SET_PDEATHSIG = 1  # linux/prctl.h


@dataclass
class Stop:
    requested: str | None = None


@contextmanager
def graceful_stop() -> Iterator[Stop]:
    """SIGINT/SIGTERM ask the loop to stop after the chunk in hand (main thread only)."""
    stop = Stop()
    if threading.current_thread() is not threading.main_thread():
        yield stop
        return

    def ask(signum, _frame) -> None:
        stop.requested = signal.Signals(signum).name

    previous = {s: signal.signal(s, ask) for s in (signal.SIGINT, signal.SIGTERM)}
    try:
        yield stop
    finally:
        for s, handler in previous.items():
            signal.signal(s, handler)


# Runs only inside forked workers, out of reach of in-process mutation testing; the slow test
# `test_kill_9_of_the_batch_takes_its_forked_workers_with_it` covers it.
def _die_with_parent(parent_pid: int) -> None:  # pragma: no mutate block
    """Ask the kernel to kill this worker when the batch process dies, however it dies
    (kill -9 included): an orphaned worker would hold hundreds of MB for nothing."""
    with suppress(OSError, AttributeError):
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6", use_errno=True)
        libc.prctl(_PR_SET_PDEATHSIG, signal.SIGKILL)
    if os.getppid() != parent_pid:  # the parent died before the request took effect
        os._exit(1)


def init_worker(parent_pid: int) -> None:  # pragma: no mutate block
    _die_with_parent(parent_pid)
    # A forked child must not use the OpenMP thread pool the parent started (boosted trees
    # predict with OpenMP; GNU OpenMP is not fork-safe and the child would wait forever). One
    # thread per worker runs without the pool, and N workers use N cores anyway.
    threadpool_limits(1)
    # Ctrl-C reaches the whole terminal group; the parent finishes the chunk in hand and
    # stops the workers itself. SIGTERM sent to a worker ends it (the parent then stops).
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
