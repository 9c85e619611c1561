"""The nightly batch: complete and consistent results, a budgeted campaign queue, safe kills and
resumes, clear refusals of unusable databases, and clean rollback of a failed write."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pandas as pd
import pytest
from alembic.script import ScriptDirectory
from sqlalchemy import text

from core.settings import Settings
from crm_agents.batch import run as batch_module
from crm_agents.batch import workers
from crm_agents.batch.run import BatchError, run_batch
from crm_agents.store import database
from data.loading import load_customers
from models.churn.persistence import save_model
from models.churn.training import train
from models.health.history import run_records
from tests.processes import alive, children
from tests.survival_cache import place_survival

ROOT = Path(__file__).resolve().parents[2]
#: Customers in the killed-and-resumed batches: enough chunks that a kill lands mid-run.
BATCH_ROWS = 1500


def _db(path: Path) -> str:
    return f"sqlite:///{path}"


def _count(path: Path, sql: str) -> int:
    with sqlite3.connect(path) as connection:
        return connection.execute(sql).fetchone()[0]


def assert_schema_is_current(engine) -> None:
    """The migrations built exactly the tables the code declares, at the newest revision."""
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext

    from crm_agents.store.api_tables import metadata  # schema.py's tables and the API's
    from crm_agents.store.checkpoints import CHECKPOINT_TABLES

    def ours(name, kind, _parent) -> bool:  # the checkpointers' tables are their own
        return not (kind == "table" and name in CHECKPOINT_TABLES)

    with engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"include_name": ours})
        assert compare_metadata(context, metadata) == []
        head = ScriptDirectory(str(database.MIGRATIONS)).get_current_head()
        assert context.get_current_revision() == head


def assert_most_urgent_first(queue: pd.DataFrame) -> None:
    """High risk before medium, then the lifetime value expected to leave within 90 days
    (`models/urgency.py`)."""
    ranks = queue["risk_level"].map({"high": 2, "medium": 1, "low": 0})
    assert ranks.is_monotonic_decreasing
    loss = queue["churn_within_90d"] * queue["clv"]
    for _, within in loss.groupby(ranks, sort=False):
        assert within.is_monotonic_decreasing


# ---- on the real file ---------------------------------------------------------------------


@pytest.mark.slow
def test_real_batch_stores_every_score_and_every_eligible_analysis(real, tmp_path):
    real_service = real.service
    path = tmp_path / "crm.db"
    summary = run_batch(real.analyzer, _db(path), min_risk="medium", budget=4000.0, workers=2)
    scored = real_service.scores()
    eligible = int(scored["risk_level"].isin(["high", "medium"]).sum())
    assert summary.status == "completed"
    assert _count(path, "SELECT COUNT(*) FROM scores") == len(scored) == 7043
    assert _count(path, "SELECT COUNT(*) FROM analyses") == eligible == summary.customers_analysed
    assert _count(path, "SELECT COUNT(*) FROM analyses WHERE risk_level = 'low'") == 0

    engine = database.open_store(_db(path))
    queue = database.read_table(engine, "campaign_queue")
    assert len(queue) > 0
    assert_most_urgent_first(queue)
    assert queue["cumulative_cost"].max() <= 4000.0
    assert (queue["expected_value"] > 0).all()
    assert queue["priority"].tolist() == list(range(1, len(queue) + 1))
    assert queue["sms"].notna().all() and queue["email_body"].notna().all()


# ---- on demo data -------------------------------------------------------------------------


def test_second_run_gets_a_new_id_and_leaves_the_first_intact(demo, tmp_path):
    path = tmp_path / "crm.db"
    first = run_batch(demo.analyzer, _db(path), min_risk="high", limit=40, workers=1)
    before = _count(path, f"SELECT COUNT(*) FROM analyses WHERE run_id = {first.run_id}")
    second = run_batch(demo.analyzer, _db(path), min_risk="high", limit=40, workers=1)
    assert second.run_id == first.run_id + 1
    assert _count(path, f"SELECT COUNT(*) FROM analyses WHERE run_id = {first.run_id}") == before
    assert _count(path, "SELECT COUNT(DISTINCT run_id) FROM scores") == 2


def test_limit_caps_the_analyses_and_keeps_the_riskiest(demo, tmp_path):
    path = tmp_path / "crm.db"
    summary = run_batch(demo.analyzer, _db(path), min_risk="low", limit=25, workers=1)
    assert summary.customers_analysed == 25
    stored = set(
        pd.read_sql("SELECT customer_id FROM analyses", sqlite3.connect(path))["customer_id"]
    )
    assert stored == set(demo.service.scores()["customerID"].head(25))


def test_a_limit_of_zero_scores_and_explains_every_customer_and_analyses_none(demo, tmp_path):
    path = tmp_path / "crm.db"
    summary = run_batch(demo.analyzer, _db(path), min_risk="low", limit=0, workers=1)
    assert (summary.status, summary.customers_eligible, summary.customers_analysed) == (
        "completed",
        0,
        0,
    )
    with sqlite3.connect(path) as connection:
        stored = pd.read_sql("SELECT customer_id, drivers, inputs FROM scores", connection)
    assert sorted(stored["customer_id"]) == sorted(demo.service.customers["customerID"])
    assert (
        stored["drivers"].str.startswith("{").all() and stored["inputs"].str.startswith("{").all()
    )
    assert _count(path, "SELECT COUNT(*) FROM analyses") == 0


def test_scores_stored_part_by_part_are_the_scores_of_the_whole_base(demo, tmp_path, monkeypatch):
    from crm_agents.batch import engines
    from tools.service.base_scores import in_parts

    path = tmp_path / "crm.db"
    # Parts that do not divide the base, so the last is short.
    monkeypatch.setattr(engines, "in_parts", lambda: in_parts(rows=77))
    run_batch(demo.analyzer, _db(path), min_risk="high", limit=0, workers=1)
    with sqlite3.connect(path) as connection:
        stored = pd.read_sql("SELECT * FROM scores", connection).set_index("customer_id")
    whole = demo.service.scores().set_index("customerID")
    explained = run_records(demo.service.model, demo.service.customers).set_index("customerID")
    whole = whole.join(explained[["drivers", "inputs"]])
    for column in ("churn_probability", "risk_level", "value_tier", "drivers", "inputs"):
        pd.testing.assert_series_equal(
            stored[column].loc[whole.index], whole[column], check_names=False
        )


def test_campaign_queue_without_budget_holds_every_worthwhile_offer(demo, tmp_path):
    path = tmp_path / "crm.db"
    run_batch(demo.analyzer, _db(path), min_risk="medium", limit=150, workers=1)
    worthwhile = _count(path, "SELECT COUNT(*) FROM analyses WHERE expected_value > 0")
    assert _count(path, "SELECT COUNT(*) FROM campaign_queue") == worthwhile


def test_the_batch_stores_when_each_customer_is_likely_to_leave_and_their_lifetime_value(
    demo, tmp_path
):
    path = tmp_path / "crm.db"
    run_batch(demo.analyzer, _db(path), min_risk="high", limit=30, workers=1)
    scores = pd.read_sql("SELECT * FROM scores", sqlite3.connect(path)).set_index("customer_id")
    expected = demo.service.scores().set_index("customerID")
    for column in ("churn_within_30d", "churn_within_90d", "churn_within_365d", "clv"):
        assert scores[column].to_numpy() == pytest.approx(
            expected.loc[scores.index, column].to_numpy()
        )
    months = expected.loc[scores.index, "median_months_left"]
    assert scores["median_months_left"].isna().tolist() == months.isna().tolist()
    analyses = pd.read_sql("SELECT * FROM analyses", sqlite3.connect(path))
    assert analyses["clv"].notna().all() and analyses["churn_within_90d"].notna().all()


def test_the_campaign_queue_puts_the_most_urgent_first(demo, tmp_path):
    path = tmp_path / "crm.db"
    run_batch(demo.analyzer, _db(path), min_risk="medium", limit=120, workers=1)
    queue = database.read_table(database.open_store(_db(path)), "campaign_queue")
    assert len(queue) > 1
    assert_most_urgent_first(queue)
    assert (queue["expected_value"] > 0).all()


def test_no_stored_time_to_churn_figure_is_without_its_interval_and_support(demo, tmp_path):
    path = tmp_path / "crm.db"
    summary = run_batch(demo.analyzer, _db(path), min_risk="medium", limit=40, workers=1)
    engine = database.open_store(_db(path))
    scores = database.read_table(engine, "scores", summary.run_id)
    for days in (30, 90, 180, 365):
        figure = scores[f"churn_within_{days}d"]
        assert (scores[f"churn_within_{days}d_low"] <= figure).all()
        assert (figure <= scores[f"churn_within_{days}d_high"]).all()
    assert ((scores["clv_low"] <= scores["clv"]) & (scores["clv"] <= scores["clv_high"])).all()
    assert (scores["support_customers"] >= scores["support_departures"]).all()
    assert scores["thin_support"].notna().all() and scores["call_this_week"].notna().all()
    # A call this week needs high risk: the product's one ranking, stored as it was shown.
    assert set(scores.loc[scores["call_this_week"].astype(bool), "risk_level"]) <= {"high"}
    queue = database.read_table(engine, "campaign_queue")
    assert len(queue) > 0
    within = queue["churn_within_90d"]
    assert (
        (queue["churn_within_90d_low"] <= within) & (within <= queue["churn_within_90d_high"])
    ).all()
    assert queue["thin_support"].notna().all() and queue["next_step"].notna().all()


def test_a_new_database_is_built_by_the_migrations_to_the_declared_schema(tmp_path):
    engine = database.open_store(_db(tmp_path / "new.db"))
    assert_schema_is_current(engine)
    database.open_store(_db(tmp_path / "new.db"))  # opening again changes nothing
    assert_schema_is_current(engine)


RUN_ROW = (
    "INSERT INTO runs (id, started, status, data_origin, model_version, backend, "
    "language, min_risk, customers_scored, customers_eligible, customers_analysed) "
    "VALUES (1, '2026-12-01', 'completed', 'demo', 'm', 'offline', 'en', 'medium', 1, 1, 1)"
)


def _at_revision(url: str, revision: str, *rows: str) -> None:
    """A database as a release at `revision` left it, with `rows` (SQL inserts) in it."""
    from alembic import command
    from alembic.config import Config
    from sqlalchemy import create_engine

    config = Config()
    config.set_main_option("script_location", str(database.MIGRATIONS))
    with create_engine(url).begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, revision)
        for row in rows:
            connection.execute(text(row))


def test_a_database_of_the_previous_release_is_upgraded_in_place_with_its_rows(tmp_path):
    url = _db(tmp_path / "previous.db")
    _at_revision(url, "0001", RUN_ROW)  # the release before campaigns
    engine = database.open_store(url)
    assert_schema_is_current(engine)
    assert database.read_table(engine, "runs")["status"].tolist() == ["completed"]
    assert "risk_reduction" in database.read_table(engine, "analyses").columns


def test_a_database_with_campaigns_and_outcomes_gains_approvals_and_contacts_in_place(tmp_path):
    url = _db(tmp_path / "last-release.db")
    _at_revision(  # the last landed release: campaigns and outcomes
        url,
        "0003",
        RUN_ROW,
        "INSERT INTO campaigns (id, name, run_id, offers, min_risk, channels, starts_on, "
        "ends_on, owner, status, holdout_share, created) VALUES (1, 'Spring', 1, '[]', "
        "'medium', '[\"email\"]', '2027-03-01', '2027-04-30', 'ana', 'draft', 0.1, "
        "'2026-12-01')",
        "INSERT INTO campaign_members (campaign_id, customer_id, arm, bucket, offer_id, "
        "total_cost, churn_probability) VALUES (1, '0001-AAAAA', 'treated', 17, 'o', 10, 0.8)",
        "INSERT INTO outcomes (campaign_id, customer_id, outcome, observed_on, source, "
        "imported) VALUES (1, '0001-AAAAA', 'retained', '2027-05-01', 'f.csv', '2027-05-02')",
    )
    engine = database.open_store(url)
    assert_schema_is_current(engine)
    assert database.read_table(engine, "campaigns")["name"].tolist() == ["Spring"]
    assert database.read_table(engine, "outcomes")["outcome"].tolist() == ["retained"]
    assert database.read_table(engine, "approvals").empty
    assert database.read_table(engine, "contacts").empty


def test_a_database_of_an_earlier_version_gains_the_new_columns(tmp_path):
    path = tmp_path / "old.db"
    with sqlite3.connect(path) as connection:
        connection.execute(
            "CREATE TABLE analyses (run_id INTEGER, customer_id VARCHAR(64), "
            "churn_probability FLOAT NOT NULL, PRIMARY KEY (run_id, customer_id))"
        )
        connection.execute("INSERT INTO analyses VALUES (1, 'A-1', 0.5)")
    engine = database.open_store(_db(path))
    analyses = database.read_table(engine, "analyses")
    assert {"churn_within_90d", "clv", "lifetime_value_saved"} <= set(analyses.columns)
    assert analyses["churn_probability"].tolist() == [0.5]
    assert "churn_within_90d" in database.read_table(engine, "campaign_queue").columns
    head = _count(path, "SELECT version_num FROM alembic_version")
    assert head == ScriptDirectory(str(database.MIGRATIONS)).get_current_head()


def test_export_writes_csv_and_parquet(demo, tmp_path):
    path = tmp_path / "crm.db"
    summary = run_batch(demo.analyzer, _db(path), min_risk="high", limit=30, workers=1)
    files = database.export_run(database.open_store(_db(path)), summary.run_id, tmp_path / "out")
    assert {f.name for f in files} == {
        f"{name}{suffix}"
        for name in ("scores", "analyses", "failures", "campaign_queue")
        for suffix in (".csv", ".parquet")
    }
    assert len(pd.read_parquet(tmp_path / "out" / "scores.parquet")) == len(demo.service.scores())


@pytest.mark.parametrize(
    ("url", "says"),
    [
        ("postgresql+psycopg://crm:s3cret-pw@127.0.0.1:1/crm", "crm:***@127.0.0.1:1/crm"),
        ("postgres ql://crm:s3cret-pw@host/crm", "it is not a database URL"),
        ("mysql://crm:s3cret-pw@host/crm", "its driver MySQLdb is not installed"),
        ("oracle+nope://crm:s3cret-pw@host/crm", "Can't load plugin"),
    ],
)
def test_a_database_url_that_cannot_be_used_is_named_without_its_password(url, says):
    with pytest.raises(database.StoreError) as refused:
        database.open_store(url)
    assert says in str(refused.value) and "s3cret-pw" not in str(refused.value)


def test_missing_database_directory_is_a_clear_error(tmp_path):
    with pytest.raises(database.StoreError, match="does not exist"):
        database.open_store(_db(tmp_path / "nowhere" / "crm.db"))
    assert not (tmp_path / "nowhere").exists()


def test_read_only_database_is_refused_and_left_unchanged(demo, tmp_path):
    path = tmp_path / "crm.db"
    run_batch(demo.analyzer, _db(path), min_risk="high", workers=1)
    before = _count(path, "SELECT COUNT(*) FROM runs")
    read_only = f"sqlite:///file:{path}?mode=ro&uri=true"
    with pytest.raises((database.StoreError, BatchError), match=r"readonly|read-only"):
        run_batch(demo.analyzer, read_only, min_risk="high", workers=1)
    assert _count(path, "SELECT COUNT(*) FROM runs") == before


@pytest.mark.skipif(os.geteuid() == 0, reason="root ignores directory permissions")
def test_read_only_directory_is_refused(tmp_path):
    folder = tmp_path / "locked"
    folder.mkdir()
    folder.chmod(0o555)
    try:
        with pytest.raises(database.StoreError, match="read-only"):
            database.open_store(_db(folder / "crm.db"))
    finally:
        folder.chmod(0o755)


def test_a_failed_write_rolls_back_its_chunk_and_resume_finishes(demo, tmp_path, monkeypatch):
    path = tmp_path / "crm.db"
    real_row = workers.analysis_row
    calls = {"n": 0}

    def failing_row(run_id, result):
        calls["n"] += 1
        row = real_row(run_id, result)
        if calls["n"] == batch_module.CHUNK + 5:  # inside the second chunk
            row["customer_id"] = None  # NOT NULL: the database refuses the whole chunk
        return row

    monkeypatch.setattr(batch_module, "CHUNK", 20)
    monkeypatch.setattr(workers, "analysis_row", failing_row)
    with pytest.raises(BatchError, match="--resume"):
        run_batch(demo.analyzer, _db(path), min_risk="low", limit=70, workers=1)
    assert _count(path, "SELECT COUNT(*) FROM analyses") == batch_module.CHUNK
    assert _count(path, "SELECT status FROM runs") == "failed"
    monkeypatch.setattr(workers, "analysis_row", real_row)
    summary = run_batch(demo.analyzer, _db(path), resume=True, workers=1)
    assert summary.status == "completed" and summary.run_id == 1
    assert summary.customers_analysed == 70 and summary.analysed_this_time == 50


def test_resume_without_an_unfinished_run_says_so(demo, tmp_path):
    with pytest.raises(BatchError, match="no unfinished run"):
        run_batch(demo.analyzer, _db(tmp_path / "crm.db"), resume=True)


# ---- a real process, killed and resumed ---------------------------------------------------


@pytest.fixture(scope="module")
def batch_env(tmp_path_factory):
    """Environment for `crm-agents batch` subprocesses: `BATCH_ROWS` demo customers and both
    models trained, so each start-up goes straight to the batch."""
    return _trained_env(tmp_path_factory.mktemp("batch-env"), "logistic_baseline")


def _trained_env(root: Path, model: str) -> dict:
    """`BATCH_ROWS` demo customers in `root`, with `model` and the time-to-churn model saved."""
    settings = Settings(
        raw_dir=root / "raw",
        artifacts_dir=root / "artifacts",
        synthetic_rows=BATCH_ROWS,
        model=model,
        cv_folds=2,
        cv_repeats=1,
        n_jobs=1,
    )
    save_model(*train(load_customers(None, settings), settings), settings.artifacts_dir)
    place_survival(settings)
    return {
        **os.environ,
        "CRM_RAW_DIR": str(root / "raw"),
        "CRM_ARTIFACTS_DIR": str(root / "artifacts"),
        "CRM_SYNTHETIC_ROWS": str(BATCH_ROWS),
    }


def _start(env: dict, db: Path, *extra: str) -> subprocess.Popen:
    command = [sys.executable, "-m", "crm_agents.cli.main", "batch", "--db", _db(db)]
    return subprocess.Popen(
        [*command, "--min-risk", "low", "--workers", "1", *extra],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def _wait_for_rows(
    db: Path, process: subprocess.Popen, at_least: int, seconds: float = 120
) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        assert process.poll() is None, process.communicate()
        try:
            if _count(db, "SELECT COUNT(*) FROM analyses") >= at_least:
                return
        except sqlite3.OperationalError:
            pass  # tables not created yet
        time.sleep(0.05)
    raise AssertionError(f"the batch stored fewer than {at_least} analyses in {seconds:.0f} s")


def _finish_with_resume(env: dict, db: Path) -> None:
    resumed = subprocess.run(
        [sys.executable, "-m", "crm_agents.cli.main", "batch", "--db", _db(db), "--resume"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert resumed.returncode == 0, resumed.stderr
    assert _count(db, "SELECT COUNT(*) FROM runs") == 1
    assert _count(db, "SELECT status FROM runs") == "completed"
    assert _count(db, "SELECT COUNT(*) FROM analyses") == BATCH_ROWS
    assert _count(db, "SELECT COUNT(DISTINCT customer_id) FROM analyses") == BATCH_ROWS
    assert _count(db, "SELECT COUNT(*) FROM scores") == BATCH_ROWS


@pytest.mark.slow
def test_kill_9_mid_run_then_resume_loses_and_duplicates_nothing(batch_env, tmp_path):
    db = tmp_path / "crm.db"
    process = _start(batch_env, db)
    _wait_for_rows(db, process, at_least=batch_module.CHUNK)
    process.send_signal(signal.SIGKILL)
    process.wait(30)
    assert _count(db, "SELECT COUNT(*) FROM analyses") % batch_module.CHUNK == 0
    assert _count(db, "SELECT status FROM runs") == "running"
    _finish_with_resume(batch_env, db)


@pytest.mark.slow
def test_sigterm_stops_after_the_chunk_in_hand_and_resume_finishes(batch_env, tmp_path):
    db = tmp_path / "crm.db"
    process = _start(batch_env, db)
    _wait_for_rows(db, process, at_least=batch_module.CHUNK)
    process.send_signal(signal.SIGTERM)
    _, err = process.communicate(timeout=60)
    assert process.returncode == 130, err
    assert "--resume" in err
    assert _count(db, "SELECT status FROM runs") == "interrupted"
    _finish_with_resume(batch_env, db)


def test_cli_refuses_a_missing_database_directory(batch_env, tmp_path):
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "crm_agents.cli.main",
            "batch",
            "--db",
            _db(tmp_path / "no" / "x.db"),
        ],
        cwd=ROOT,
        env=batch_env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    message = " ".join(result.stderr.split())  # the console wraps long lines
    assert result.returncode == 2
    assert "does not exist" in message and "Traceback" not in message


def test_a_customer_that_cannot_be_analysed_is_recorded_and_the_run_goes_on(
    demo, tmp_path, monkeypatch
):
    path = tmp_path / "crm.db"
    broken = demo.service.scores()["customerID"].iloc[3]
    real = demo.analyzer.run

    def analysis(customer_id, context=None, language=None):
        if customer_id == broken:
            raise ValueError("the offer playbook has no price for this plan")
        return real(customer_id, context, language)

    monkeypatch.setattr(demo.analyzer, "run", analysis)
    summary = run_batch(demo.analyzer, _db(path), min_risk="high", workers=1)
    assert summary.status == "completed"
    assert summary.customers_failed == 1
    assert summary.failures[0].customer_id == broken
    assert "no price for this plan" in summary.failures[0].reason
    assert summary.customers_analysed == summary.customers_eligible - 1
    assert _count(path, "SELECT COUNT(*) FROM failures") == 1
    monkeypatch.setattr(demo.analyzer, "run", real)
    with pytest.raises(BatchError, match="no unfinished run"):
        run_batch(demo.analyzer, _db(path), resume=True)  # a completed run is not repeated


def test_ids_in_another_case_than_stored_are_found(demo):
    stored = demo.service.scores()["customerID"].iloc[0]
    assert demo.service.canonical_id(stored.lower()) == stored
    assert demo.service.canonical_id(f"  {stored.swapcase()} ") == stored


@pytest.mark.slow
@pytest.mark.skipif(not Path("/proc").is_dir(), reason="needs Linux /proc to find the workers")
def test_kill_9_of_the_batch_takes_its_forked_workers_with_it(batch_env, tmp_path):
    db = tmp_path / "crm.db"
    process = _start(batch_env, db, "--workers", "2")
    _wait_for_rows(db, process, at_least=batch_module.CHUNK)
    workers = children(process.pid)
    assert len(workers) >= 2, "the batch should run forked workers"
    process.send_signal(signal.SIGKILL)
    process.wait(30)
    deadline = time.monotonic() + 10
    while any(alive(w) for w in workers) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert not any(alive(w) for w in workers)
    _finish_with_resume(batch_env, db)


def test_processes_opening_a_new_database_at_once_all_get_it_whole(tmp_path):
    import multiprocessing

    url = _db(tmp_path / "shared.db")
    fork = multiprocessing.get_context("fork")
    barrier, failures = fork.Barrier(4), fork.Queue()

    def open_it() -> None:
        barrier.wait()
        try:
            database.open_store(url)
        except Exception as err:  # reported to the test, not lost in the child
            failures.put(repr(err))

    processes = [fork.Process(target=open_it) for _ in range(4)]
    for process in processes:
        process.start()
    for process in processes:
        process.join(timeout=60)
    assert failures.empty(), failures.get()
    assert_schema_is_current(database.open_store(url))


@pytest.mark.slow
def test_forked_workers_analyse_with_a_boosted_model_the_parent_already_used(tmp_path):
    """Boosted trees predict with OpenMP, which is not fork-safe: the parent scores the base
    (starting OpenMP's threads) before it forks the workers, which predict again. They must run
    one thread each, or they wait forever."""
    env = _trained_env(tmp_path, "gradient_boosting")
    db = tmp_path / "crm.db"
    command = [sys.executable, "-m", "crm_agents.cli.main", "batch", "--db", _db(db)]
    finished = subprocess.run(
        [*command, "--min-risk", "low", "--workers", "2", "--limit", "6"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=240,
    )
    assert finished.returncode == 0, finished.stderr[-2000:]
    assert _count(db, "SELECT COUNT(*) FROM analyses") == 6
