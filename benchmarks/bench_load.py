"""Many users at once: 50 concurrent mixed requests against the running app.

    .venv/bin/python benchmarks/bench_load.py [--requests 50] [--rows 7043]

Starts the app in-process on demo data (a model trained for it first, in a temporary state
folder), then drives it through `gradio_client` with analyses of different customers, chats in
different threads and portfolio queries, all at once. Prints errors (must be 0), cross-talk (a
chat thread, analysis or query answering about something else: must be 0) and latency
percentiles. Exits 1 when either count is not 0.
"""

from __future__ import annotations

import argparse
import os
import socket
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("GRADIO_ANALYTICS_ENABLED", "False")
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks.load_driver import run_load
from core.settings import Settings


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=50)
    parser.add_argument("--rows", type=int, default=7043, help="demo customers")
    args = parser.parse_args()

    from app import launch
    from data.loading import load_customers

    state = Path(tempfile.mkdtemp(prefix="bench-load-"))
    settings = Settings(
        state_dir=state,
        raw_dir=state / "raw",
        synthetic_rows=args.rows,
        model="logistic_splines",
        port=free_port(),
    )
    started = time.perf_counter()
    demo = launch(settings, block=False)
    print(f"app up in {time.perf_counter() - started:.1f} s (model trained if needed)")
    try:
        customers = load_customers(None, settings).customers.index.tolist()
        url = f"http://127.0.0.1:{settings.port}/"
        started = time.perf_counter()
        report = run_load(url, customers[:: max(1, len(customers) // args.requests)], args.requests)
        wall = time.perf_counter() - started
    finally:
        demo.close()
    print(report.summary() + f"; wall time {wall:.1f} s")
    for line in (report.errors + report.cross_talk)[:10]:
        print("  " + line)
    sys.exit(1 if report.errors or report.cross_talk else 0)


if __name__ == "__main__":
    main()
