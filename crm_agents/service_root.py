"""The retention service from settings: the data and the models trained on it. The composition
root builds the agents on it; a command that only scores (`crm-agents score`) builds the
service alone, without importing the agents' graphs."""

from __future__ import annotations

from collections.abc import Callable

from core.formats import use_currency
from core.settings import Settings
from crm_agents.model_check import ensure_model, ensure_survival
from crm_agents.store.database import open_store, store_url
from crm_agents.store.health import StoredRiskHistory
from data.loading import CustomerData, load_customers
from tools.service.retention import RetentionService


def build_service(
    settings: Settings,
    data: CustomerData | None = None,
    say: Callable[[str], None] = lambda line: None,
    progress: Callable[[str], None] = lambda stage: None,
) -> RetentionService:
    """Data (the settings' file, else the demo) and the models trained on it — churn and time
    to churn — trained now when missing or stale, unless the settings forbid it."""
    use_currency(settings.currency)  # the data's currency: every amount is written in it
    data = data if data is not None else load_customers(settings.data_path, settings)
    model, card = ensure_model(data, settings, say=say, progress=progress)
    survival = ensure_survival(data, settings, say=say, progress=progress)
    history = StoredRiskHistory(lambda: open_store(store_url(settings)))
    return RetentionService(data, model, card, settings, survival=survival, history=history)
