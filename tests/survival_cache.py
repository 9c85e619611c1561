"""The demo data's time-to-churn model, fitted once per test process and placed in any
artifacts folder that needs it: most tests are not about fitting it, and each app, CLI or
batch start-up would otherwise cross-validate six survival models again (~10 s each)."""

from __future__ import annotations

from core.settings import Settings
from data.loading import load_customers
from models.survival.card import SURVIVAL_FILE, fit_champion
from models.survival.evaluation import evaluate_survival

_FITTED: dict[tuple, str] = {}


def place_survival(settings: Settings) -> None:
    """Write the fitted model for the settings' demo data into their artifacts folder (unless
    one is there); the product then loads it as it would load its own."""
    target = settings.artifacts_dir / SURVIVAL_FILE
    if target.exists():
        return
    key = (settings.synthetic_rows, settings.seed, settings.cv_folds, settings.cv_repeats)
    if key not in _FITTED:
        data = load_customers(None, settings)
        signals = tuple(data.origin.simulated_signals)
        evaluation = evaluate_survival(data.customers, settings, signals)
        _FITTED[key] = fit_champion(data.customers, evaluation, data.origin).model_dump_json()
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(_FITTED[key], encoding="utf-8")
