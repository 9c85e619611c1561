"""The batch on a dask cluster: every stored row the same as on the local engine, against a
LocalCluster and against a scheduler and workers started on their own; a worker killed mid-run
loses and doubles nothing, and a driver killed mid-run (with its LocalCluster's scheduler) is
finished by --resume; a slow and failing LLM is bounded in total and falls back with reasons;
an unreachable scheduler is a clear error."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pandas as pd
import pytest
import sqlalchemy as sa

from agents.trace import OFFLINE
from tests.integration.test_batch import BATCH_ROWS, ROOT, _count, _trained_env, _wait_for_rows
from tests.processes import alive, children

pytestmark = [pytest.mark.slow, pytest.mark.dask]

ROWS = BATCH_ROWS  # what `_trained_env` trained the models on
#: Customers analysed per run: every customer is scored; analyses are what takes the time.
ANALYSED = 300
RUN = ("--min-risk", "low", "--limit", str(ANALYSED), "--budget", "1500")
#: Columns that say when, not what: they differ between any two runs.
WHEN = {"started_at", "finished_at", "created_at", "seconds", "started", "finished"}


@pytest.fixture(scope="module")
def cluster_env(tmp_path_factory) -> dict:
    root = tmp_path_factory.mktemp("dask")
    env = _trained_env(root, "logistic_splines")
    return {**env, "CRM_SYNTHETIC_ROWS": str(ROWS), "CRM_STATE_DIR": str(root / "state")}


def _batch(
    env: dict, db: Path, *extra: str, engine: str = "local", run: tuple[str, ...] = RUN
) -> subprocess.CompletedProcess:
    command = [sys.executable, "-m", "crm_agents.cli.main", "batch", "--db", f"sqlite:///{db}"]
    return subprocess.run(
        [*command, *run, "--engine", engine, *extra],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )


def _without_timings(result_json: str) -> dict:
    result = json.loads(result_json)
    for step in result.get("trace", []):
        step.pop("started_at", None)
        step.pop("duration_ms", None)
        for call in step.get("tool_calls", []):
            call.pop("duration_ms", None)
        for call in step.get("llm_calls", []):
            call.pop("duration_ms", None)
    return result


def _stored(db: Path) -> dict[str, pd.DataFrame]:
    """Every table and the campaign queue, in a fixed order, without the when-columns."""
    engine = sa.create_engine(f"sqlite:///{db}")
    tables = {}
    for name in [*sa.inspect(engine).get_table_names(), "campaign_queue"]:
        frame = pd.read_sql(f"SELECT * FROM {name}", engine)
        frame = frame.drop(columns=[c for c in frame.columns if c in WHEN])
        if name != "campaign_queue":  # the queue's own order is part of what is compared
            key = [c for c in ("run_id", "customer_id", "measure", "name") if c in frame.columns]
            frame = frame.sort_values(key or list(frame.columns), ignore_index=True)
        if "result_json" in frame.columns:
            frame["result_json"] = frame["result_json"].map(_without_timings)
        tables[name] = frame
    engine.dispose()
    return tables


def _assert_same(local: dict[str, pd.DataFrame], other: dict[str, pd.DataFrame]) -> None:
    assert local.keys() == other.keys()
    for name, frame in local.items():
        pd.testing.assert_frame_equal(frame, other[name], check_exact=True, obj=name)
    assert len(local["scores"]) == ROWS and len(local["analyses"]) == ANALYSED
    assert len(local["campaign_queue"]) > 10


@pytest.fixture(scope="module")
def local_run(cluster_env, tmp_path_factory) -> dict[str, pd.DataFrame]:
    """What the local engine stores, run once for the comparisons."""
    db = tmp_path_factory.mktemp("local") / "local.db"
    ran = _batch(cluster_env, db, "--workers", "2")
    assert ran.returncode == 0, ran.stderr
    return _stored(db)


def test_a_dask_local_cluster_stores_exactly_what_the_local_engine_stores(
    cluster_env, local_run, tmp_path
):
    ran = _batch({**cluster_env, "CRM_DASK_WORKERS": "2"}, tmp_path / "dask.db", engine="dask")
    assert ran.returncode == 0, ran.stderr
    _assert_same(local_run, _stored(tmp_path / "dask.db"))


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _dask(*args: str, env: dict) -> subprocess.Popen:
    return subprocess.Popen(
        [str(Path(sys.executable).parent / "dask"), *args],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )


def _stop(process: subprocess.Popen) -> None:
    if process.poll() is None:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(30)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)


def test_a_scheduler_and_workers_started_on_their_own_store_the_same(
    cluster_env, local_run, tmp_path
):
    address = f"tcp://127.0.0.1:{_free_port()}"
    port = address.rsplit(":", 1)[1]
    scheduler = _dask("scheduler", "--host", "127.0.0.1", "--port", port, env=cluster_env)
    worker = _dask(
        "worker", address, "--nworkers", "2", "--nthreads", "1", "--no-dashboard", env=cluster_env
    )
    try:
        dask = tmp_path / "dask.db"
        ran = _batch({**cluster_env, "CRM_DASK_SCHEDULER": address}, dask, engine="dask")
        assert ran.returncode == 0, ran.stderr
        _assert_same(local_run, _stored(dask))
    finally:
        _stop(worker)
        _stop(scheduler)


def _worker_processes(batch_pid: int) -> list[int]:
    """The LocalCluster's worker processes: the batch's children that call themselves
    `dask worker` (their nannies run inside the batch process)."""
    found = []
    for pid in children(batch_pid):
        try:
            title = (Path("/proc") / str(pid) / "cmdline").read_bytes()
        except OSError:
            continue
        if title.startswith(b"dask worker") and alive(pid):
            found.append(pid)
    return found


def _start_dask_batch(env: dict, db: Path, *extra: str) -> subprocess.Popen:
    command = [sys.executable, "-m", "crm_agents.cli.main", "batch", "--db", f"sqlite:///{db}"]
    return subprocess.Popen(
        [*command, "--min-risk", "low", "--limit", "600", "--engine", "dask", *extra],
        cwd=ROOT,
        env={**env, "CRM_DASK_WORKERS": "2"},
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def _assert_whole(db: Path) -> None:
    assert _count(db, "SELECT COUNT(*) FROM runs") == 1
    assert _count(db, "SELECT status FROM runs") == "completed"
    assert _count(db, "SELECT COUNT(*) FROM analyses") == 600
    assert _count(db, "SELECT COUNT(DISTINCT customer_id) FROM analyses") == 600
    assert _count(db, "SELECT COUNT(*) FROM failures") == 0
    assert _count(db, "SELECT COUNT(*) FROM scores") == ROWS


def test_a_killed_worker_then_a_killed_driver_lose_and_double_nothing(cluster_env, tmp_path):
    """A worker SIGKILLed mid-run: its tasks run again elsewhere and the run goes on. Then the
    driver SIGKILLed, its LocalCluster's scheduler with it: the workers must not outlive them,
    and `--resume` on a new cluster finishes the run."""
    db = tmp_path / "crm.db"
    process = _start_dask_batch(cluster_env, db)
    try:
        _wait_for_rows(db, process, at_least=100, seconds=300)
        victims = _worker_processes(process.pid)
        assert victims, "no dask worker process found"
        os.kill(victims[0], signal.SIGKILL)
        _wait_for_rows(db, process, at_least=300, seconds=300)  # the run went on without it
        workers = _worker_processes(process.pid)
        process.send_signal(signal.SIGKILL)
        process.wait(30)
    finally:
        if process.poll() is None:
            process.kill()
    assert _count(db, "SELECT status FROM runs") == "running"
    assert _count(db, "SELECT COUNT(*) FROM analyses") == _count(
        db, "SELECT COUNT(DISTINCT customer_id) FROM analyses"
    )
    deadline = time.monotonic() + 30
    while any(alive(w) for w in workers) and time.monotonic() < deadline:
        time.sleep(0.2)
    assert not any(alive(w) for w in workers), "dask workers outlived their driver"
    resumed = subprocess.run(
        [
            sys.executable,
            "-m",
            "crm_agents.cli.main",
            "batch",
            "--db",
            f"sqlite:///{db}",
            "--resume",
            "--engine",
            "dask",
        ],
        cwd=ROOT,
        env={**cluster_env, "CRM_DASK_WORKERS": "2"},
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert resumed.returncode == 0, resumed.stderr
    _assert_whole(db)


def test_a_slow_and_failing_llm_is_bounded_in_total_and_falls_back_with_reasons_on_the_cluster(
    cluster_env, tmp_path, fake_openai
):
    """Two workers share one limit on requests in flight; a section whose LLM request fails is
    written offline, with the reason in the stored trace (the error, or the circuit breaker it
    opened), and the run still completes."""
    from fake_openai import Reply

    fake_openai.reset()
    fake_openai.latency = 0.15  # slow enough that the workers' requests overlap
    fake_openai.script("CommunicationDraft", *[Reply.error(500)] * 200)
    db = tmp_path / "crm.db"
    env = {
        **cluster_env,
        "CRM_OPENAI_BASE_URL": fake_openai.base_url,
        "CRM_LLM_CONCURRENCY": "3",
        "CRM_LLM_BUDGET": "120",
        "CRM_DASK_WORKERS": "2",
    }
    try:
        ran = _batch(env, db, engine="dask", run=("--min-risk", "high", "--limit", "12"))
        assert ran.returncode == 0, ran.stderr
        assert fake_openai.peak_in_flight == 3, "the cluster's requests were not bounded in total"
    finally:
        fake_openai.reset()
    assert _count(db, "SELECT status FROM runs") == "completed"
    assert _count(db, "SELECT COUNT(DISTINCT customer_id) FROM analyses") == 12
    assert _count(db, "SELECT COUNT(*) FROM failures") == 0
    engine = sa.create_engine(f"sqlite:///{db}")
    stored = pd.read_sql("SELECT result_json FROM analyses", engine)["result_json"]
    engine.dispose()
    results = [json.loads(text) for text in stored]
    written = [s for r in results for s in r["trace"] if s["written_by"]]
    # Every section the LLM did not write says why (its error, or the breaker it opened).
    assert all(s["fallback"] for s in written if s["written_by"] == OFFLINE)
    messages = [s for s in written if s["node"] == "communication"]
    said = [(s["written_by"], s["fallback"]) for s in messages]
    assert messages and all(s["written_by"] == OFFLINE for s in messages), said
    assert any("500" in s["fallback"] for s in messages)
    assert any(s["written_by"] != OFFLINE for s in written)  # the LLM wrote what it could


def test_an_unreachable_scheduler_is_named_with_what_to_do(cluster_env, tmp_path):
    address = f"tcp://127.0.0.1:{_free_port()}"
    env = {**cluster_env, "CRM_DASK_SCHEDULER": address, "CRM_DASK_CONNECT_SECONDS": "2"}
    ran = _batch(env, tmp_path / "crm.db", engine="dask")
    assert ran.returncode != 0
    said = " ".join((ran.stdout + ran.stderr).split())
    assert f"the dask scheduler at {address} cannot be reached" in said
    assert "unset CRM_DASK_SCHEDULER" in said
