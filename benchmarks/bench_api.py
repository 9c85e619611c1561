"""The HTTP API under load: requests per second and p50 / p95 latency of
`GET /api/v1/customers/{id}/risk` and `POST /api/v1/analyses` (offline writer), at 1, 8 and
32 requests in flight.

    .venv/bin/python benchmarks/bench_api.py [--rows 7043] [--seconds 10] [--concurrency 1 8 32]

The server is `crm-agents api` in a process of its own (uvicorn, one worker) over the demo
data with its models trained here first; the load comes from this process (httpx, asyncio),
customers drawn at random from the base. Limits are raised so that none refuses the load. On a
2-core machine the load generator shares the cores with the server: read the figures as a
floor, and compare rows measured in one run.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))

from survival_cache import place_survival

from core.settings import Settings
from crm_agents.store.api_keys import create_key
from crm_agents.store.database import open_store, store_url
from data.loading import load_customers
from models.churn.persistence import save_model
from models.churn.training import train

OPERATIONS = (("risk", "GET /customers/{id}/risk"), ("analyses", "POST /analyses"))


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


async def _pass(base: str, key: str, ids: list[str], kind: str, concurrency: int, seconds: float):
    latencies: list[float] = []
    failures = 0
    deadline = time.perf_counter() + seconds
    headers = {"Authorization": f"Bearer {key}"}
    limits = httpx.Limits(max_connections=concurrency, max_keepalive_connections=concurrency)
    async with httpx.AsyncClient(
        base_url=base, headers=headers, timeout=120, limits=limits
    ) as client:

        async def worker(seed: int) -> None:
            nonlocal failures
            pick = random.Random(seed)
            while time.perf_counter() < deadline:
                customer = pick.choice(ids)
                started = time.perf_counter()
                if kind == "risk":
                    answer = await client.get(f"/api/v1/customers/{customer}/risk")
                else:
                    answer = await client.post("/api/v1/analyses", json={"customer_id": customer})
                latencies.append(time.perf_counter() - started)
                failures += answer.status_code >= 400

        started = time.perf_counter()
        await asyncio.gather(*(worker(i) for i in range(concurrency)))
        elapsed = time.perf_counter() - started
    ordered = sorted(latencies)
    p95 = ordered[min(len(ordered) - 1, int(0.95 * len(ordered)))]
    return len(latencies) / elapsed, statistics.median(ordered), p95, failures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=7043, help="demo customers")
    parser.add_argument("--seconds", type=float, default=10.0, help="length of each pass")
    parser.add_argument("--concurrency", type=int, nargs="+", default=[1, 8, 32])
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        env = os.environ | {
            "CRM_STATE_DIR": str(root),
            "CRM_RAW_DIR": str(root / "raw"),
            "CRM_SYNTHETIC_ROWS": str(args.rows),
            "CRM_MODEL": "logistic_splines",
            "CRM_CV_FOLDS": "3",
            "CRM_CV_REPEATS": "1",
            "CRM_API_RATE_PER_KEY": "1000000",
            "CRM_API_RATE_PER_ADDRESS": "1000000",
            "CRM_API_PORT": str(_free_port()),
        }
        os.environ.update(env)
        settings = Settings()
        data = load_customers(None, settings)
        save_model(*train(data, settings), settings.artifacts_dir)
        place_survival(settings)
        key = create_key(open_store(store_url(settings)), "bench", ("admin",), "bench")
        ids = list(data.customers.index)
        server = subprocess.Popen(
            [str(Path(sys.executable).with_name("crm-agents")), "api"],
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        base = f"http://127.0.0.1:{env['CRM_API_PORT']}"
        try:
            deadline = time.monotonic() + 300
            while True:
                try:
                    if httpx.get(f"{base}/health", timeout=2).status_code == 200:
                        break
                except httpx.HTTPError:
                    pass
                if time.monotonic() > deadline or server.poll() is not None:
                    raise SystemExit("the API did not start")
                time.sleep(0.5)
            print(f"{args.rows:,} demo customers; offline writer; {os.cpu_count()} cores")
            print(
                f"{'operation':<28}  {'in flight':>9}  {'req/s':>7}  {'p50 ms':>7}  "
                f"{'p95 ms':>7}  {'errors':>6}"
            )
            for kind, label in (
                ("risk", "GET /customers/{id}/risk"),
                ("analyses", "POST /analyses"),
            ):
                asyncio.run(_pass(base, key, ids, kind, 1, 1.0))  # warm the caches and the pool
                for concurrency in args.concurrency:
                    rps, p50, p95, failures = asyncio.run(
                        _pass(base, key, ids, kind, concurrency, args.seconds)
                    )
                    print(
                        f"{label:<28}  {concurrency:>9}  {rps:>7.1f}  {p50 * 1000:>7.1f}  "
                        f"{p95 * 1000:>7.1f}  {failures:>6}"
                    )
        finally:
            server.terminate()
            server.wait(timeout=30)


if __name__ == "__main__":
    main()
