"""Time `crm-agents batch` (offline writer) over the whole real base, as a user runs it.

    .venv/bin/python benchmarks/bench_batch.py [--workers 1 2]

Runs the command in a subprocess against a fresh SQLite file, once per worker count, analysing
every customer (`--min-risk low`) and then the default floor (`--min-risk medium`), and prints
analysed customers per second from the command's own summary (scoring, warm-up and database
writes included) and the wall time of the whole process (start-up included).
Target: at least 300 analysed customers per second on a 2-core machine.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
REAL = ROOT.parent / "shared" / "data" / "WA_Fn-UseC_-Telco-Customer-Churn.csv"


def run(workers: int, min_risk: str) -> tuple[dict, float]:
    with tempfile.TemporaryDirectory() as folder:
        command = [
            sys.executable, "-m", "crm_agents.cli.main", "batch",
            "--db", f"sqlite:///{folder}/crm.db",
            "--min-risk", min_risk,
            "--workers", str(workers),
        ]  # fmt: skip
        if REAL.exists():
            command += ["--data", str(REAL)]
        started = time.perf_counter()
        done = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, check=True)
        wall = time.perf_counter() - started
    return json.loads(done.stdout), wall


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--workers", type=int, nargs="+", default=[1, 2])
    args = parser.parse_args()
    print(f"data: {REAL.name if REAL.exists() else 'synthetic demo data'}")
    for min_risk in ("low", "medium"):
        for workers in args.workers:
            summary, wall = run(workers, min_risk)
            rate = summary["analysed_this_time"] / summary["seconds"]
            print(
                f"--min-risk {min_risk:<6} --workers {workers}: "
                f"{summary['analysed_this_time']:>5,} analysed of {summary['customers_scored']:,} "
                f"scored in {summary['seconds']:5.2f} s = {rate:5,.0f} analysed/s "
                f"(process wall time {wall:5.2f} s)"
            )


if __name__ == "__main__":
    main()
