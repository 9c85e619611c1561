"""Scale: `crm-agents score` of a large base from Parquet, where its time goes, and whole-base
scoring on the local engine and on a dask LocalCluster of two workers, in one run.

    .venv/bin/python benchmarks/bench_scale.py [--rows 1000000] [--workers 2]

A seeded synthetic base (`crm-agents demo-data`, no Churn column) is written as Parquet parts to
a temporary folder; the models are trained once on the real file when present (else on the
demo data) in a temporary state folder. Prints:

1. the command end to end (validation, churn, time to churn, CLV, Parquet out): wall seconds
   and the process's peak resident memory;
2. the same steps in this process, one by one (seconds and peak memory after each);
3. whole-base scoring (churn + time to churn + CLV, as the batch does) on `local` and on `dask`,
   customers per second after a warm-up part (libraries and models loaded where the work runs),
   the ratio, and the peak memory of the driver and of each worker.
"""

from __future__ import annotations

import argparse
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
REAL = ROOT.parent / "shared" / "data" / "WA_Fn-UseC_-Telco-Customer-Churn.csv"


def _mb(kilobytes: int) -> str:
    return f"{kilobytes / 1024:,.0f} MB"


def _peak_kb() -> int:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss


def _cli(env: dict, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "crm_agents.cli.main", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )


def _command(env: dict, base: Path, out: Path) -> None:
    started = time.perf_counter()
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    _cli(env, "score", "--data", str(base), "--out", str(out))
    seconds = time.perf_counter() - started
    peak = max(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss, before)
    print(f"1. crm-agents score, Parquet in and out: {seconds:6.1f} s, peak {_mb(peak)}")


def _steps(base: Path) -> None:
    from core.settings import Settings
    from data.columnar import write_parquet
    from data.loading import load_customers
    from models.churn.persistence import load_model
    from models.churn.scoring import score_customers
    from models.survival.card import load_survival
    from models.survival.scoring import lifetime_columns

    settings = Settings()
    print("2. the same steps here (seconds, peak memory so far):")
    clock = time.perf_counter()

    def step(label: str) -> None:
        nonlocal clock
        now = time.perf_counter()
        print(f"   {label:<34} {now - clock:6.2f} s   peak {_mb(_peak_kb())}")
        clock = now

    data = load_customers(base, settings)
    step("read, validate, simulate signals")
    model, _ = load_model(settings.artifacts_dir)
    survival = load_survival(settings.artifacts_dir)
    step("load the models")
    scored = score_customers(model, data.customers, settings)
    step("churn: probability, level, drivers")
    lifetime = lifetime_columns(survival, data.customers, settings)
    step("time to churn and CLV")
    import pandas as pd

    write_parquet(pd.concat([scored, lifetime], axis=1), base.parent / "steps.parquet")
    step("write Parquet")


def _worker_peak() -> tuple[int, int]:
    """A worker's pid and its own peak resident memory in kB. Not ru_maxrss: a worker is forked
    from the driver before it execs Python, and Linux keeps the driver's peak in ru_maxrss across
    that exec, so every worker would report the driver's figure."""
    with open("/proc/self/status", encoding="ascii") as status:
        peak = next(int(line.split()[1]) for line in status if line.startswith("VmHWM:"))
    return os.getpid(), peak


def _engines(base: Path, workers: int) -> None:
    from distributed import Client, LocalCluster

    from core.settings import Settings
    from crm_agents.batch.dask_engine import DaskEngine
    from crm_agents.batch.engines import LocalEngine
    from data.loading import load_customers
    from models.churn.persistence import load_model
    from models.survival.card import load_survival
    from tools.service.base_scores import finish_scores, score_part

    settings = Settings()
    data = load_customers(base, settings)
    model, _ = load_model(settings.artifacts_dir)
    survival = load_survival(settings.artifacts_dir)
    rows = len(data.customers)
    print(f"3. whole-base scoring of {rows:,} customers (churn, time to churn, CLV):")

    def timed(engine) -> float:
        # A first small part loads the libraries and the models where the engine works (once
        # per worker): the figure is the steady rate a night's run sees.
        engine.partition_map(score_part, data.customers.iloc[:2_000], model, survival, settings)
        started = time.perf_counter()
        parts = engine.partition_map(score_part, data.customers, model, survival, settings)
        finish_scores(parts, settings, with_lifetime=True)
        return time.perf_counter() - started

    local = timed(LocalEngine())
    print(f"   local                 {local:6.1f} s  {rows / local:>10,.0f} customers/s")
    cluster = LocalCluster(
        n_workers=workers, threads_per_worker=1, host="127.0.0.1", dashboard_address=None
    )
    with Client(cluster) as client:
        dask = timed(DaskEngine(client, settings))
        peaks = client.run(_worker_peak)
    cluster.close()
    print(
        f"   dask, {workers} workers        {dask:6.1f} s  {rows / dask:>10,.0f} customers/s"
        f"   ratio dask/local {dask / local:.2f}"
    )
    each = ", ".join(f"{_mb(kb)} (pid {pid})" for pid, kb in peaks.values())
    print(f"   peak memory: driver {_mb(_peak_kb())} (pid {os.getpid()}); workers {each}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="bench-scale-") as folder:
        root = Path(folder)
        env = {**os.environ, "CRM_STATE_DIR": str(root / "state")}
        os.environ["CRM_STATE_DIR"] = env["CRM_STATE_DIR"]
        train_on = ["--data", str(REAL)] if REAL.exists() else []
        _cli(env, "train", "--model", "logistic_splines", *train_on)
        _cli(env, "train-survival", *train_on)
        print(f"models trained on {'the real file' if train_on else 'the demo data'}")
        base = root / "base"
        started = time.perf_counter()
        _cli(env, "demo-data", "--rows", str(args.rows), "--out", str(base))
        seconds = time.perf_counter() - started
        print(f"{args.rows:,} customers written as Parquet parts in {seconds:.1f} s")
        _command(env, base, root / "scores.parquet")
        _steps(base)
        _engines(base, args.workers)


if __name__ == "__main__":
    main()
