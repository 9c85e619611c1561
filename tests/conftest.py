"""Shared fixtures: the real Telco file when present, small synthetic data otherwise."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

import pytest

from core.settings import Settings
from crm_agents.composition import Assembly, assemble
from crm_agents.model_check import ensure_survival
from data.loading import CustomerData, load_customers
from data.synthetic import generate_customers
from models.churn.persistence import save_model
from models.churn.training import train
from tools.service.retention import RetentionService

# Tests never reach a real LLM or pick up a developer's settings: the backend is chosen per test.
for _name in list(os.environ):
    if _name.startswith(("CRM_", "OPENAI_", "LANGSMITH_", "LANGCHAIN_")):
        del os.environ[_name]
# Nor write runtime state (databases, models, downloads) into the project's own state folder.
os.environ["CRM_STATE_DIR"] = tempfile.mkdtemp(prefix="crm-test-state-")

REAL_CSV = (
    Path(__file__).resolve().parents[2] / "shared" / "data" / "WA_Fn-UseC_-Telco-Customer-Churn.csv"
)


@pytest.fixture(scope="session")
def real_csv() -> Path:
    if not REAL_CSV.exists():
        pytest.skip(f"real Telco file not found at {REAL_CSV} (tests on it need ../shared/data)")
    return REAL_CSV


HILLSTROM_CSV = REAL_CSV.parent / "hillstrom.csv"


@pytest.fixture(scope="session")
def hillstrom_csv() -> Path:
    if not HILLSTROM_CSV.exists():
        pytest.skip(f"Hillstrom file not found at {HILLSTROM_CSV} (uplift tests on real data)")
    return HILLSTROM_CSV


@pytest.fixture(scope="session")
def real_data(real_csv: Path) -> CustomerData:
    return load_customers(real_csv, Settings())


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    """Settings isolated from the machine: no data/raw, artifacts in a temporary folder."""
    return Settings(
        raw_dir=tmp_path / "raw",
        processed_dir=tmp_path / "processed",
        artifacts_dir=tmp_path / "artifacts",
        synthetic_rows=1500,
        cv_folds=3,
        cv_repeats=1,
        n_jobs=1,
        model="logistic_splines",
    )


@pytest.fixture
def telco_csv(tmp_path: Path):
    """Write a small valid Telco-format CSV (synthetic rows) and return its path."""

    def write(n: int = 300, seed: int = 7, **columns) -> Path:
        frame = generate_customers(n, seed)
        for name, values in columns.items():
            frame[name] = values
        path = tmp_path / f"telco_{n}_{seed}.csv"
        frame.to_csv(path, index=False)
        return path

    return write


@pytest.fixture(scope="session")
def real_service(real_data: CustomerData, tmp_path_factory) -> RetentionService:
    s = Settings(
        artifacts_dir=tmp_path_factory.mktemp("artifacts"),
        model="logistic_splines",
        cv_folds=3,
        cv_repeats=1,
    )
    model, card = train(real_data, s)
    card = save_model(model, card, s.artifacts_dir)
    survival = ensure_survival(real_data, s, say=lambda line: None)
    return RetentionService(real_data, model, card, s, survival=survival)


@pytest.fixture(scope="session")
def demo_service(tmp_path_factory) -> RetentionService:
    """A service over 2,000 synthetic customers with its own trained models, churn and time to
    churn (no real file)."""
    root = tmp_path_factory.mktemp("demo")
    s = Settings(
        raw_dir=root / "raw",
        artifacts_dir=root / "artifacts",
        synthetic_rows=2000,
        model="logistic_splines",
        cv_folds=3,
        cv_repeats=1,
        n_jobs=1,
    )
    data = load_customers(None, s)
    model, card = train(data, s)
    card = save_model(model, card, s.artifacts_dir)
    survival = ensure_survival(data, s, say=lambda line: None)
    return RetentionService(data, model, card, s, survival=survival)


@pytest.fixture(scope="session")
def demo(demo_service) -> Assembly:
    """The product assembled over the demo service (offline writer, no chat history)."""
    return assemble(demo_service.settings, service=demo_service)


@pytest.fixture(scope="session")
def real(real_service) -> Assembly:
    """The product assembled over the real Telco file (offline writer, no chat history)."""
    return assemble(real_service.settings, service=real_service)


@pytest.fixture
def fresh_service(demo_service):
    """A service of its own over the demo data and model: empty caches, a chosen cache size
    (the shared fixture's caches belong to every other test)."""

    def make(cache_size: int) -> RetentionService:
        s = demo_service
        return RetentionService(
            s.data, s.model, s.card, s.settings, cache_size=cache_size, survival=s.survival
        )

    return make


@pytest.fixture(scope="session")
def fake_openai():
    """The scripted OpenAI-protocol server, one per session; reset before each use."""
    from fake_openai import FakeOpenAI

    server = FakeOpenAI().start()
    yield server
    server.stop()
