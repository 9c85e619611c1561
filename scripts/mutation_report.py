"""Print the kill rate of the last `mutmut run` and its surviving mutants.

    .venv/bin/python scripts/mutation_report.py [--min 90]

Kill rate = killed ÷ every mutant that was checked (killed, survived, no test reaches it, timed
out, suspicious): a mutant no test reaches counts against the rate. Mutants not checked yet (an
interrupted run) are reported apart, and make the check fail. Exits 1 below --min.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--min", type=float, default=90.0, help="lowest acceptable kill rate %")
    args = parser.parse_args()
    mutmut = str(Path(sys.executable).with_name("mutmut"))
    subprocess.run([mutmut, "export-cicd-stats"], cwd=ROOT, check=True, capture_output=True)
    stats = json.loads((ROOT / "mutants" / "mutmut-cicd-stats.json").read_text())
    unchecked = (
        stats["total"]
        - stats["skipped"]
        - sum(
            stats[k]
            for k in ("killed", "survived", "no_tests", "timeout", "suspicious", "segfault")
        )
    )
    counted = stats["total"] - stats["skipped"] - unchecked
    rate = 100.0 * stats["killed"] / counted if counted else 0.0
    results = subprocess.run(
        [mutmut, "results"], cwd=ROOT, check=True, capture_output=True, text=True
    ).stdout
    survivors = [
        line.strip()
        for line in results.splitlines()
        if line.strip() and not line.strip().endswith("not checked")
    ]
    print(
        f"mutation kill rate {rate:.1f}% ({stats['killed']} of {counted} killed; "
        f"{stats['survived']} survived, {stats['no_tests']} without a test, "
        f"{stats['timeout']} timed out, {stats['suspicious']} suspicious; "
        f"{unchecked} not checked)"
    )
    for line in survivors:
        print("  " + line)
    sys.exit(0 if rate >= args.min and unchecked == 0 else 1)


if __name__ == "__main__":
    main()
