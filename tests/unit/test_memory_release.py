"""Scoring part by part on threads frees large arrays whose memory glibc keeps in its arenas;
`release_freed_memory` must give it back to the system."""

from __future__ import annotations

import os
import sys
import threading

import numpy as np
import pytest

from core.memory import release_freed_memory

pytestmark = pytest.mark.skipif(
    not sys.platform.startswith("linux"), reason="resident memory is read from /proc (Linux)"
)


def _resident_mb() -> float:
    with open("/proc/self/statm") as statm:
        return int(statm.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20


def test_memory_freed_between_live_arrays_on_a_thread_goes_back_to_the_system():
    kept: list[np.ndarray] = []

    def fragment() -> None:
        # 100 KB blocks sit under glibc's mmap threshold, so they come from the thread's arena;
        # freeing every other one leaves ~100 MB of holes that no automatic trim returns.
        blocks = [np.ones(100 * 1024, dtype=np.uint8) for _ in range(2000)]
        kept.extend(blocks[1::2])

    worker = threading.Thread(target=fragment)
    worker.start()
    worker.join()
    before = _resident_mb()
    assert release_freed_memory()
    assert before - _resident_mb() > 50
    assert all(block[0] == 1 for block in kept)  # the live arrays are untouched
