"""Worker processes that end when the process that started them dies, however it dies.

`kill -9` gives a parent no chance to stop its workers; an orphaned training worker would go on
holding hundreds of MB (joblib's loky workers wait 300 s for work before they leave). A worker
started with `die_with_parent` watches its parent and leaves within `WATCH_SECONDS` of its death.
"""

from __future__ import annotations

import os
import threading
import time

#: How often a worker checks that its parent is alive.
WATCH_SECONDS = 0.5


def die_with_parent(parent_pid: int) -> None:  # pragma: no mutate block
    """A worker initializer: exit as soon as `parent_pid` is no longer this process's parent
    (an orphan is adopted by init or a subreaper, so its parent id changes)."""
    if os.getppid() != parent_pid:  # the parent died before the worker started
        os._exit(1)

    def watch() -> None:
        while os.getppid() == parent_pid:
            time.sleep(WATCH_SECONDS)
        os._exit(1)

    threading.Thread(target=watch, name="die-with-parent", daemon=True).start()
