"""Memory a process has freed, given back to the system.

glibc keeps freed memory in per-thread arenas for reuse, and a large numpy array freed on one
thread is often not reused by the next part computed on another: work done part by part on a
few threads then holds its largest parts' worth of dead arrays per thread (measured: 1M
customers scored on two threads peaked at 1.39 GB without, 1.23 GB with a trim after each part).
`malloc_trim(0)` returns them. Elsewhere than glibc it does nothing.
"""

from __future__ import annotations

import ctypes
import ctypes.util
from functools import cache


@cache
def _trim():
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6")
        return libc.malloc_trim
    except (OSError, AttributeError):  # not glibc: nothing to trim
        return None


def release_freed_memory() -> bool:
    """Give freed heap memory back to the system; whether anything could be asked to."""
    trim = _trim()
    if trim is None:
        return False
    trim(0)
    return True
