"""Scale: `crm-agents score` of a large base from Parquet, where its time goes, whole-base
scoring on the local engine and on a dask LocalCluster, the nightly batch end to end into
PostgreSQL on both engines, and the analysis phase against a 300 ms LLM on the cluster.

    .venv/bin/python benchmarks/bench_scale.py [--rows 1000000] [--workers 2]
        [--sections 1,2,3,4,5] [--llm-rows 2000]

At 10 million customers run `--sections 1,2`: the others hold the whole base in one process
(the batch's driver) several times over.

A seeded synthetic base (`crm-agents demo-data`, no Churn column) is written as Parquet parts to
a temporary folder; the models are trained once on the real file when present (else on the
demo data) in a temporary state folder. Prints:

1. the command end to end (validation, churn, time to churn, CLV, Parquet out): wall seconds
   and the process's peak resident memory;
2. the same steps in this process, one part at a time (seconds per step summed
   over the parts, peak memory so far);
3. whole-base scoring (churn + time to churn + CLV, as the batch does) on `local` and on `dask`,
   customers per second after a warm-up part (libraries and models loaded where the work runs),
   the ratio, and the peak memory of the driver and of each worker;
4. `crm-agents batch --limit 0` end to end — load, score, value, store every score with its
   drivers in PostgreSQL (a throw-away cluster; SQLite when no server is installed), no
   analyses — on `local` and on `dask`: wall seconds, customers per second and the peak memory
   of the batch process and of each dask worker;
5. the analysis phase on `local` and on `dask` against the scripted OpenAI-protocol server
   answering every request after 300 ms (demo data, `--llm-rows` customers), at 4, 8 and 16
   requests in flight in total: customers per minute, against the ideal
   (in flight × 60 / (calls × 0.3 s)).
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
import warnings
from dataclasses import dataclass
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


#: Runs a command in a process of its own (one measurement's peak is not another's) and prints,
#: as JSON, its wall seconds, exit code, the peak resident memory of its largest process (itself
#: or a descendant: `ru_maxrss`) and each process's own peak (`VmHWM`, read from /proc every half
#: second while it runs: the command's process, and its descendants such as dask workers).
_MEASURE = r"""
import json, os, resource, subprocess, sys, tempfile, time

def descendants(root):
    children = {}
    for name in os.listdir("/proc"):
        if name.isdigit():
            try:
                with open(f"/proc/{name}/stat") as stat:
                    parent = int(stat.read().rsplit(")", 1)[1].split()[1])
            except (OSError, IndexError, ValueError):
                continue
            children.setdefault(parent, []).append(int(name))
    found, todo = [], [root]
    while todo:
        pid = todo.pop()
        found.append(pid)
        todo += children.get(pid, [])
    return found

def peak_of(pid):
    try:
        with open(f"/proc/{pid}/status") as status:
            hwm = next(int(l.split()[1]) for l in status if l.startswith("VmHWM:"))
        with open(f"/proc/{pid}/cmdline", "rb") as line:
            name = line.read().replace(b"\0", b" ").decode(errors="replace").strip()
        return name, hwm
    except (OSError, StopIteration, ValueError):
        return None

errors = tempfile.TemporaryFile(mode="w+")
started = time.perf_counter()
process = subprocess.Popen(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=errors)
peaks = {}
while process.poll() is None:
    for pid in descendants(process.pid):
        seen = peak_of(pid)
        if seen is not None:
            peaks[pid] = (seen[0][:40], max(seen[1], peaks.get(pid, ("", 0))[1]))
    time.sleep(0.5)
seconds = time.perf_counter() - started
if process.returncode:
    errors.seek(0)
    sys.stderr.write(errors.read()[-3000:])
print(json.dumps({
    "seconds": seconds,
    "code": process.returncode,
    "largest": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss,
    "command": peaks.get(process.pid, ("", 0))[1],
    "others": [peaks[pid] for pid in sorted(peaks) if pid != process.pid],
}))
"""


@dataclass
class Measured:
    seconds: float
    #: Peak resident memory in kB: the largest process's, the command's own, and each other
    #: process's (name, kB) that it started.
    largest: int
    command: int
    others: list[tuple[str, int]]

    def workers(self) -> str:
        named = [(n, kb) for n, kb in self.others if n.startswith("dask worker")]
        return ", ".join(_mb(kb) for _, kb in named)


def _measured(env: dict, *args: str) -> Measured:
    command = [sys.executable, "-m", "crm_agents.cli.main", *args]
    done = subprocess.run(
        [sys.executable, "-c", _MEASURE, *command],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    figures = json.loads(done.stdout)
    if figures["code"] != 0:
        raise RuntimeError(f"crm-agents {args[0]} failed: {done.stderr}")
    others = [(name, kb) for name, kb in figures["others"]]
    return Measured(figures["seconds"], figures["largest"], figures["command"], others)


def _command(env: dict, base: Path, out: Path) -> None:
    run = _measured(env, "score", "--data", str(base), "--out", str(out))
    print(f"1. crm-agents score, Parquet in and out: {run.seconds:6.1f} s, peak {_mb(run.largest)}")


def _steps(base: Path) -> None:
    import pandas as pd

    from core.settings import Settings
    from data.loading import load_customers
    from data.table_out import table_writer
    from models.churn.persistence import load_model
    from models.churn.scoring import score_customers
    from models.survival.card import load_survival
    from models.survival.scoring import lifetime_columns
    from models.urgency import with_urgency
    from tools.service.base_scores import FILE_PART_ROWS

    settings = Settings()
    # One part at a time, so each step's seconds are its own (the command computes two parts at
    # once: its wall time is less than these steps' sum).
    print("2. the same steps here, one part at a time (seconds, peak memory so far):")
    clock = time.perf_counter()

    def step(label: str, seconds: float | None = None) -> None:
        nonlocal clock
        now = time.perf_counter()
        print(f"   {label:<34} {seconds or now - clock:6.2f} s   peak {_mb(_peak_kb())}")
        clock = now

    data = load_customers(base, settings)
    step("read, validate, simulate signals")
    model, _ = load_model(settings.artifacts_dir)
    survival = load_survival(settings.artifacts_dir)
    step("load the models")
    spent = {"churn": 0.0, "lifetime": 0.0, "write": 0.0}
    customers = data.customers
    with table_writer(base.parent / "steps.parquet") as append:
        for start in range(0, len(customers), FILE_PART_ROWS):
            chunk = customers.iloc[start : start + FILE_PART_ROWS]
            t0 = time.perf_counter()
            part = score_customers(model, chunk, settings)
            t1 = time.perf_counter()
            part = pd.concat([part, lifetime_columns(survival, chunk, settings)], axis=1)
            with_urgency(part, settings.urgent_within_90d)
            t2 = time.perf_counter()
            append(part)
            t3 = time.perf_counter()
            spent["churn"] += t1 - t0
            spent["lifetime"] += t2 - t1
            spent["write"] += t3 - t2
    step("churn: probability, level, drivers", spent["churn"])
    print(f"   {'time to churn and CLV':<34} {spent['lifetime']:6.2f} s")
    print(f"   {'write Parquet':<34} {spent['write']:6.2f} s")


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
        list(
            engine.partition_map(score_part, data.customers.iloc[:2_000], model, survival, settings)
        )
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


def _batch(env: dict, base: Path, workers: int) -> None:
    sys.path.insert(0, str(ROOT / "tests"))
    from postgres_cluster import postgres_cluster, server_binaries

    rows = _rows_of(base)
    with contextlib.ExitStack() as stack:
        if server_binaries() is not None:
            url, where = stack.enter_context(postgres_cluster()), "PostgreSQL"
        else:
            url, where = f"sqlite:///{base.parent / 'batch.db'}", "SQLite (no PostgreSQL server)"
        print(f"4. crm-agents batch end to end, {rows:,} customers, Parquet in, {where} out:")
        figures = {}
        for engine in ("local", "dask"):
            run_env = {**env, "CRM_DASK_WORKERS": str(workers)}
            run = _measured(
                run_env,
                *("batch", "--data", str(base), "--db", url, "--engine", engine),
                *("--limit", "0"),  # scored, valued, explained and stored; no analyses
            )
            figures[engine] = run.seconds
            workers_peak = f"; workers {run.workers()}" if run.workers() else ""
            print(
                f"   {engine:<6} {run.seconds:6.1f} s  {rows / run.seconds:>9,.0f} customers/s"
                f"   peak: batch process {_mb(run.command)}{workers_peak}"
            )
        print(f"   ratio dask/local {figures['dask'] / figures['local']:.2f}")


def _rows_of(base: Path) -> int:
    import pyarrow.parquet as pq

    return sum(pq.ParquetFile(p).metadata.num_rows for p in sorted(base.glob("*.parquet")))


def _llm_phase(root: Path, workers: int, rows: int, latency: float = 0.3) -> None:
    sys.path.insert(0, str(ROOT / "tests"))
    from fake_openai import FakeOpenAI

    from core.settings import Settings
    from crm_agents.batch.engine_choice import open_engine
    from crm_agents.batch.run import run_batch
    from crm_agents.composition import assemble, batch_worker_analyzer, build_service

    server = FakeOpenAI(latency=latency).start()
    print(
        f"5. the analysis phase, local and dask ({workers} workers), against a scripted LLM"
        f" answering after {latency * 1000:.0f} ms, {rows:,} demo customers:"
    )
    print(
        f"   {'engine':<6}  {'in flight':>9}  {'customers':>9}  {'calls each':>10}  "
        f"{'per minute':>10}  {'ideal':>7}  {'ratio':>5}"
    )
    for engine, concurrency in [(e, c) for c in (4, 8, 16) for e in ("local", "dask")]:
        settings = Settings(
            state_dir=root / "llm-state",
            data_path=None,
            synthetic_rows=rows,
            openai_base_url=server.base_url,
            llm_budget=600.0,
            llm_concurrency=concurrency,
            batch_engine=engine,
            dask_workers=workers,
            model="logistic_splines",
            cv_folds=3,
            cv_repeats=1,
        )
        service = build_service(settings)  # trains and saves both models the first time
        assembly = assemble(settings, service=service)
        # About 20 s of ideal work, assuming 4 calls per analysis.
        customers = max(concurrency, round(20 * concurrency / (4 * latency)))
        before = len(server.requests)
        with open_engine(
            settings, service.data.origin, service.card.version, batch_worker_analyzer
        ) as work:
            summary = run_batch(
                assembly.analyzer,
                f"sqlite:///{root / f'llm-{engine}-{concurrency}.db'}",
                min_risk="low",
                limit=customers,
                workers=1,
                engine=work,
            )
        calls = (len(server.requests) - before) / max(summary.customers_analysed, 1)
        per_minute = summary.customers_analysed / summary.seconds * 60
        ideal = concurrency * 60 / (calls * latency)
        print(
            f"   {engine:<6}  {concurrency:>9}  {summary.customers_analysed:>9}  {calls:>10.1f}  "
            f"{per_minute:>10.1f}  {ideal:>7.1f}  {per_minute / ideal:>5.2f}"
            f"   (peak in flight {server.peak_in_flight})"
        )
        server.peak_in_flight = 0
    server.stop()


def main() -> None:
    # The scripted server's drafts go through the same structured-output path as a real model's;
    # pydantic's note about that field and joblib's about scikit-learn's config are not figures.
    warnings.filterwarnings("ignore", message=r"(?s)Pydantic serializer warnings")
    warnings.filterwarnings("ignore", message=r"`sklearn.utils.parallel.delayed`")
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--sections", default="1,2,3,4,5", help="which sections to run")
    parser.add_argument("--llm-rows", type=int, default=2000)
    args = parser.parse_args()
    sections = {int(n) for n in args.sections.split(",")}
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
        if 1 in sections:
            _command(env, base, root / "scores.parquet")
        if 2 in sections:
            _steps(base)
        if 3 in sections:
            _engines(base, args.workers)
        if 4 in sections:
            _batch(env, base, args.workers)
        if 5 in sections:
            _llm_phase(root, args.workers, args.llm_rows)


if __name__ == "__main__":
    main()
