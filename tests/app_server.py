"""Start the app in-process on a free port, over demo data with a freshly trained model."""

from __future__ import annotations

import socket
from pathlib import Path

from survival_cache import place_survival

from core.settings import Settings
from data.loading import load_customers
from models.churn.persistence import save_model
from models.churn.training import train


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def app_settings(root: Path, chat_db: Path | None = None) -> Settings:
    """Settings for a test app: demo data, its own model, its own chat database."""
    settings = Settings(
        raw_dir=root / "raw",
        artifacts_dir=root / "artifacts",
        chat_db=chat_db or root / "chat.db",
        synthetic_rows=1500,
        model="logistic_splines",
        cv_folds=3,
        cv_repeats=1,
        n_jobs=1,
        port=free_port(),
    )
    if not (settings.artifacts_dir / "model_card.json").exists():
        save_model(*train(load_customers(None, settings), settings), settings.artifacts_dir)
    place_survival(settings)
    return settings


def start(settings: Settings):
    """The launched Blocks and its URL; call `.close()` on the Blocks to stop it."""
    from app import launch

    demo = launch(settings, block=False)
    return demo, f"http://{settings.host}:{settings.port}/"
