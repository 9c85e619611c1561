"""A `kill -9` of a command that is training its model leaves no training worker behind."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.processes import alive, children

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(not Path("/proc").is_dir(), reason="needs Linux /proc to find the workers"),
]


def test_kill_9_of_a_batch_refitting_its_model_takes_the_training_workers_with_it(tmp_path):
    env = {
        **os.environ,
        "CRM_STATE_DIR": str(tmp_path / "state"),
        "CRM_RAW_DIR": str(tmp_path / "raw"),  # no file: the demo data, and no model yet
        "CRM_SYNTHETIC_ROWS": "3000",
        "CRM_N_JOBS": "2",
        "CRM_MODEL": "gradient_boosting",
    }
    command = [sys.executable, "-m", "crm_agents.cli.main", "batch", "--limit", "1"]
    process = subprocess.Popen(
        command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    try:
        deadline = time.monotonic() + 240
        workers: list[int] = []
        while len(workers) < 2 and time.monotonic() < deadline and process.poll() is None:
            time.sleep(0.2)
            workers = [w for w in children(process.pid) if alive(w)]
        assert len(workers) >= 2, "the batch should train with two worker processes"
        process.send_signal(signal.SIGKILL)
        process.wait(30)
        deadline = time.monotonic() + 10
        while any(alive(w) for w in workers) and time.monotonic() < deadline:
            time.sleep(0.1)
        assert not any(alive(w) for w in workers)
    finally:
        if process.poll() is None:
            process.kill()
