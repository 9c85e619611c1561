"""The nightly batch on PostgreSQL, in a throw-away cluster: the same rows, queue order and
resume as on SQLite, forked workers included, and a database of an earlier version gains the
new columns."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text

from core.settings import Settings
from crm_agents.batch.run import run_batch
from crm_agents.store import database
from data.loading import load_customers
from models.churn.persistence import save_model
from models.churn.training import train
from tests.integration.test_batch import assert_most_urgent_first, assert_schema_is_current
from tests.postgres_cluster import postgres_cluster, server_binaries
from tests.survival_cache import place_survival

ROOT = Path(__file__).resolve().parents[2]

pytestmark = [
    pytest.mark.database,
    pytest.mark.skipif(
        server_binaries() is None,
        reason="no PostgreSQL server: `make test` installs Debian's postgresql package",
    ),
]


@pytest.fixture
def postgres_url():
    with postgres_cluster() as url:
        yield url


def test_a_batch_on_postgres_stores_every_score_and_queues_the_most_urgent_first(
    demo, postgres_url
):
    summary = run_batch(demo.analyzer, postgres_url, min_risk="medium", limit=60, workers=2)
    engine = database.open_store(postgres_url)
    assert summary.status == "completed" and summary.customers_analysed == 60
    scores = database.read_table(engine, "scores", summary.run_id)
    assert len(scores) == len(demo.service.scores())
    expected = demo.service.scores().set_index("customerID").loc[scores["customer_id"]]
    assert scores["clv"].to_numpy() == pytest.approx(expected["clv"].to_numpy())
    queue = database.read_table(engine, "campaign_queue")
    assert len(queue) > 0
    assert_most_urgent_first(queue)
    assert queue["priority"].tolist() == list(range(1, len(queue) + 1))
    assert database.count_rows(engine, database.analyses, summary.run_id) == 60


def test_a_second_batch_on_postgres_gets_a_new_run_and_leaves_the_first_intact(demo, postgres_url):
    first = run_batch(demo.analyzer, postgres_url, min_risk="high", limit=20, workers=1)
    second = run_batch(demo.analyzer, postgres_url, min_risk="high", limit=20, workers=1)
    engine = database.open_store(postgres_url)
    assert second.run_id == first.run_id + 1
    assert database.count_rows(engine, database.analyses, first.run_id) == 20


def test_a_new_postgres_database_is_built_by_the_migrations_to_the_declared_schema(
    postgres_url,
):
    assert_schema_is_current(database.open_store(postgres_url))


def test_a_postgres_database_of_an_earlier_version_gains_the_new_columns(postgres_url):
    with create_engine(postgres_url).begin() as connection:
        connection.execute(
            text(
                "CREATE TABLE analyses (run_id INTEGER, customer_id VARCHAR(64), "
                "churn_probability FLOAT NOT NULL, PRIMARY KEY (run_id, customer_id))"
            )
        )
        connection.execute(text("INSERT INTO analyses VALUES (1, 'A-1', 0.5)"))
    engine = database.open_store(postgres_url)
    analyses = database.read_table(engine, "analyses")
    assert {"churn_within_90d", "clv", "lifetime_value_saved"} <= set(analyses.columns)
    assert analyses["churn_probability"].tolist() == [0.5]
    assert "churn_within_90d" in database.read_table(engine, "campaign_queue").columns


def test_the_batch_command_writes_to_crm_database_url_and_never_prints_its_password(
    postgres_url, tmp_path
):
    settings = Settings(
        raw_dir=tmp_path / "raw",  # the demo data, as in the command's environment below
        artifacts_dir=tmp_path / "artifacts",
        synthetic_rows=1200,
        model="logistic_baseline",
        cv_folds=2,
        cv_repeats=1,
    )
    save_model(*train(load_customers(None, settings), settings), settings.artifacts_dir)
    place_survival(settings)
    with_password = postgres_url.replace("crm@", "crm:s3cret-pw@")  # trust ignores it
    result = subprocess.run(
        [sys.executable, "-m", "crm_agents.cli.main", "batch", "--limit", "10", "--workers", "1"],
        cwd=ROOT,
        env={
            **os.environ,
            "CRM_RAW_DIR": str(tmp_path / "raw"),
            "CRM_ARTIFACTS_DIR": str(settings.artifacts_dir),
            "CRM_STATE_DIR": str(tmp_path / "state"),
            "CRM_SYNTHETIC_ROWS": "1200",
            "CRM_DATABASE_URL": with_password,
        },
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr
    output = result.stdout + result.stderr
    assert "s3cret-pw" not in output and "crm:***@" in " ".join(output.split())
    engine = database.open_store(postgres_url)
    assert len(database.read_table(engine, "analyses")) == 10
