"""What a batch run records: each analysis row, the run's own bookkeeping, progress, interruption
and resume (in-process, on a few demo customers; the killed-process cases are in test_batch)."""

from __future__ import annotations

from concurrent.futures import Future
from concurrent.futures.process import BrokenProcessPool
from contextlib import contextmanager

import pytest

from core.i18n import Phrase
from crm_agents.batch import engines as engines_module
from crm_agents.batch import run as batch_module
from crm_agents.batch import workers
from crm_agents.batch.run import BatchError, run_batch
from crm_agents.store import database


def _db(tmp_path) -> str:
    return f"sqlite:///{tmp_path / 'crm.db'}"


def _runs(url: str) -> list[dict]:
    return database.read_table(database.open_store(url), "runs").to_dict("records")


def _analyses(url: str):
    return database.read_table(database.open_store(url), "analyses").set_index("customer_id")


def _of_level(demo, level: str, n: int) -> list[str]:
    scored = demo.service.scores()
    return scored.loc[scored["risk_level"] == level, "customerID"].head(n).tolist()


def test_each_stored_analysis_holds_the_result_it_came_from(demo, tmp_path):
    url = _db(tmp_path)
    run_batch(demo.analyzer, url, min_risk="high", limit=3, workers=1)
    rows = _analyses(url)
    assert len(rows) == 3
    for customer_id, row in rows.iterrows():
        result = demo.analyzer.run(customer_id)
        plan, messages = result.campaign, result.communications
        assert row["risk_level"] == "high"
        assert row["offer_title"] == plan.offer_title
        assert row["total_cost"] == pytest.approx(plan.offer.total_cost)
        assert row["expected_value"] == pytest.approx(plan.offer.expected_value)
        assert bool(row["worth_its_cost"]) == plan.worth_its_cost
        assert row["email_subject"] == messages.email.subject
        assert row["email_body"] == messages.email.body
        assert row["sms"] == messages.sms.text
        script = row["call_script"].split("\n")
        assert script[0] == messages.call_script.greeting
        assert script[-1] == messages.call_script.close
        first = messages.call_script.objections[0]
        assert f"{first.objection} — {first.answer}" in script


def test_a_low_risk_analysis_is_stored_without_offer_or_messages(demo, tmp_path, monkeypatch):
    low = _of_level(demo, "low", 1)[0]
    row = workers.analysis_row(7, demo.analyzer.run(low))
    assert row["run_id"] == 7 and row["customer_id"] == low
    for column in (
        "offer_title",
        "total_cost",
        "expected_value",
        "worth_its_cost",
        "email_subject",
        "email_body",
        "sms",
        "call_script",
    ):
        assert row[column] is None, column


def test_a_completed_run_records_what_it_did(demo, tmp_path):
    url = _db(tmp_path)
    summary = run_batch(demo.analyzer, url, min_risk="high", limit=4, budget=300.0, workers=1)
    (run,) = _runs(url)
    card = demo.service.card
    assert run["status"] == "completed" and run["finished"] is not None and run["error"] is None
    assert run["customers_scored"] == len(demo.service.scores()) == summary.customers_scored
    assert run["customers_eligible"] == 4 == run["customers_analysed"]
    assert run["data_sha256"] == demo.data.origin.sha256
    assert run["model_version"] == (
        f"{card.model}/{card.feature_set} sha256:{card.artifact_sha256[:12]}"
    )
    assert run["budget"] == 300.0 and run["analysis_limit"] == 4 and run["min_risk"] == "high"
    assert run["language"] == demo.settings.language


def test_the_default_floor_is_medium_risk(demo, tmp_path, monkeypatch):
    monkeypatch.setattr(engines_module, "analyse_chunk", lambda chunk, language, run_id: ([], []))
    summary = run_batch(demo.analyzer, _db(tmp_path), workers=1)
    scored = demo.service.scores()
    assert summary.customers_eligible == int(scored["risk_level"].isin(["high", "medium"]).sum())


def test_progress_counts_from_zero_to_every_eligible_customer(demo, tmp_path, monkeypatch):
    monkeypatch.setattr(batch_module, "CHUNK", 2)
    seen: list[tuple[int, int]] = []
    run_batch(
        demo.analyzer,
        _db(tmp_path),
        min_risk="high",
        limit=5,
        workers=1,
        progress=lambda done, total: seen.append((done, total)),
    )
    assert seen == [(0, 5), (2, 5), (4, 5), (5, 5)]


@contextmanager
def _recording_pool(in_flight: list[int]):
    """Runs each chunk at once but keeps its future unresolved until the batch asks for it,
    so the most chunks the batch holds in flight can be counted."""

    class Pool:
        pending = 0

        def submit(self, fn, *args):
            future: Future = Future()
            future.set_result(fn(*args))
            Pool.pending += 1
            in_flight.append(Pool.pending)
            original = future.result

            def result(timeout=None):
                Pool.pending -= 1
                return original(timeout)

            future.result = result  # type: ignore[method-assign]
            return future

    yield Pool()


def test_at_most_two_chunks_per_worker_are_in_flight(demo, tmp_path, monkeypatch):
    in_flight: list[int] = []
    monkeypatch.setattr(batch_module, "CHUNK", 1)
    monkeypatch.setattr(
        engines_module, "executor", lambda analyzer, workers: _recording_pool(in_flight)
    )
    monkeypatch.setattr(engines_module, "analyse_chunk", lambda chunk, language, run_id: ([], []))
    run_batch(demo.analyzer, _db(tmp_path), min_risk="low", limit=8)  # default: one worker
    assert max(in_flight) == 2
    in_flight.clear()
    (tmp_path / "two").mkdir()
    run_batch(demo.analyzer, _db(tmp_path / "two"), min_risk="low", limit=8, workers=2)
    assert max(in_flight) == 4


def _dying_worker(after: int):
    """`analyse_chunk` whose pool breaks (a worker killed) after `after` chunks."""
    real = engines_module.analyse_chunk
    calls = {"n": 0}

    def analyse(chunk, language, run_id):
        calls["n"] += 1
        if calls["n"] > after:
            raise BrokenProcessPool("a worker was killed")
        return real(chunk, language, run_id)

    return analyse


def test_a_killed_worker_interrupts_the_run_and_resume_finishes_it(demo, tmp_path, monkeypatch):
    url = _db(tmp_path)
    monkeypatch.setattr(batch_module, "CHUNK", 2)
    monkeypatch.setattr(engines_module, "analyse_chunk", _dying_worker(after=1))
    summary = run_batch(demo.analyzer, url, min_risk="high", limit=6, workers=1)
    assert summary.status == "interrupted" and summary.customers_analysed == 2
    (run,) = _runs(url)
    assert run["status"] == "interrupted" and run["finished"] is None
    assert run["error"] == "stopped by a worker's death; continue with --resume"
    monkeypatch.undo()
    resumed = run_batch(demo.analyzer, url, resume=True, workers=1)
    assert resumed.status == "completed" and resumed.run_id == summary.run_id
    assert resumed.customers_analysed == 6 and resumed.analysed_this_time == 4
    (run,) = _runs(url)
    assert run["status"] == "completed" and run["error"] is None and run["finished"] is not None


def test_resume_writes_in_the_language_the_run_started_with(demo, tmp_path, monkeypatch):
    url = _db(tmp_path)
    monkeypatch.setattr(batch_module, "CHUNK", 1)
    original = engines_module.analyse_chunk
    monkeypatch.setattr(engines_module, "analyse_chunk", _dying_worker(after=1))
    run_batch(demo.analyzer, url, min_risk="high", limit=2, workers=1, language="zh-TW")
    monkeypatch.setattr(engines_module, "analyse_chunk", original)
    run_batch(demo.analyzer, url, resume=True, workers=1)
    rows = _analyses(url)
    assert len(rows) == 2 and _runs(url)[0]["language"] == "zh-TW"
    assert all(any("\u4e00" <= ch <= "\u9fff" for ch in sms) for sms in rows["sms"])


def test_resume_does_not_retry_a_customer_that_failed(demo, tmp_path, monkeypatch):
    url = _db(tmp_path)
    broken = _of_level(demo, "high", 1)[0]
    tried: list[str] = []
    real = demo.analyzer.run

    def analysis(customer_id, context=None, language=None):
        tried.append(customer_id)
        if customer_id == broken:
            raise ValueError("x" * 2000)
        return real(customer_id, context, language)

    monkeypatch.setattr(demo.analyzer, "run", analysis)
    monkeypatch.setattr(batch_module, "CHUNK", 1)
    original = engines_module.analyse_chunk
    monkeypatch.setattr(engines_module, "analyse_chunk", _dying_worker(after=2))
    run_batch(demo.analyzer, url, min_risk="high", limit=4, workers=1)
    monkeypatch.setattr(engines_module, "analyse_chunk", original)
    summary = run_batch(demo.analyzer, url, resume=True, workers=1)
    assert tried.count(broken) == 1
    (failure,) = summary.failures
    assert failure.customer_id == broken
    assert failure.reason.startswith("ValueError: xxx") and len(failure.reason) == 500


@pytest.mark.parametrize("changed", ["data", "model"])
def test_resume_refuses_a_run_made_with_other_data_or_another_model(
    demo, tmp_path, monkeypatch, changed
):
    url = _db(tmp_path)
    monkeypatch.setattr(batch_module, "CHUNK", 1)
    monkeypatch.setattr(engines_module, "analyse_chunk", _dying_worker(after=1))
    run_batch(demo.analyzer, url, min_risk="high", limit=2, workers=1)
    column = "data_sha256" if changed == "data" else "model_version"
    engine = database.open_store(url)
    (run,) = _runs(url)
    database.update_run(engine, run["id"], **{column: "something else"})
    with pytest.raises(BatchError, match="used other data or another model"):
        run_batch(demo.analyzer, url, resume=True, workers=1)


def test_a_resumed_run_is_marked_running_with_its_error_cleared(demo, tmp_path, monkeypatch):
    url = _db(tmp_path)
    monkeypatch.setattr(batch_module, "CHUNK", 1)
    original = engines_module.analyse_chunk
    monkeypatch.setattr(engines_module, "analyse_chunk", _dying_worker(after=1))
    run_batch(demo.analyzer, url, min_risk="high", limit=3, workers=1)
    monkeypatch.setattr(engines_module, "analyse_chunk", original)
    seen: list[tuple[str, str | None]] = []

    def watch(done: int, total: int) -> None:
        (run,) = _runs(url)
        seen.append((run["status"], run["error"]))

    run_batch(demo.analyzer, url, resume=True, workers=1, progress=watch)
    assert seen and all(status == "running" and error is None for status, error in seen)


def test_a_run_on_a_file_records_the_files_hash(telco_csv, tmp_path):
    from core.settings import Settings
    from crm_agents.composition import assemble
    from data.loading import load_customers

    settings = Settings(
        state_dir=tmp_path / "state",
        raw_dir=tmp_path / "raw",
        model="logistic_baseline",
        cv_folds=2,
        cv_repeats=1,
        n_jobs=1,
    )
    data = load_customers(telco_csv(400, 3), settings)
    assembly = assemble(settings, data=data)
    url = _db(tmp_path)
    run_batch(assembly.analyzer, url, min_risk="low", limit=2, workers=1)
    (run,) = _runs(url)
    assert run["data_sha256"] == data.origin.sha256 and len(run["data_sha256"]) == 64


def test_a_failed_run_records_the_error_with_its_type(demo, tmp_path, monkeypatch):
    url = _db(tmp_path)

    def broken_insert(engine, analysed, failed):
        raise ValueError("the disk is full " + "x" * 3000)

    monkeypatch.setattr(database, "insert_chunk", broken_insert)
    with pytest.raises(BatchError, match="the disk is full"):
        run_batch(demo.analyzer, url, min_risk="high", limit=2, workers=1)
    (run,) = _runs(url)
    assert run["status"] == "failed"
    assert run["error"].startswith("ValueError: the disk is full") and len(run["error"]) == 2000


def test_progress_counts_failed_customers_as_done_and_the_run_times_itself(
    demo, tmp_path, monkeypatch
):
    import time

    broken = _of_level(demo, "high", 1)[0]
    real = demo.analyzer.run

    def analysis(customer_id, context=None, language=None):
        if customer_id == broken:
            raise ValueError("no price for this plan")
        return real(customer_id, context, language)

    monkeypatch.setattr(demo.analyzer, "run", analysis)
    seen: list[tuple[int, int]] = []
    started = time.perf_counter()
    summary = run_batch(
        demo.analyzer,
        _db(tmp_path),
        min_risk="high",
        limit=3,
        workers=1,
        progress=lambda done, total: seen.append((done, total)),
    )
    assert seen[-1] == (3, 3) and summary.customers_failed == 1
    assert 0 < summary.seconds <= time.perf_counter() - started


def test_a_failure_that_resuming_would_repeat_says_to_fix_it_and_start_again(
    demo, tmp_path, monkeypatch
):
    def broken_select(*_args):
        raise ValueError("the model cannot score this base")

    monkeypatch.setattr(batch_module, "_select", broken_select)
    with pytest.raises(BatchError) as err:
        run_batch(demo.analyzer, _db(tmp_path), min_risk="high", limit=2, workers=1)
    message = str(err.value)
    assert "It would fail the same way on --resume" in message
    assert "start a new run without --resume" in message
    assert "continue with --resume" not in message


def test_a_failure_that_may_pass_says_to_resume(demo, tmp_path, monkeypatch):
    def broken_insert(engine, analysed, failed):
        raise database.StoreError(Phrase("store.cannot_write", {"reason": "server went away"}))

    monkeypatch.setattr(database, "insert_chunk", broken_insert)
    with pytest.raises(BatchError, match="once the cause is fixed, continue with --resume"):
        run_batch(demo.analyzer, _db(tmp_path), min_risk="high", limit=2, workers=1)
