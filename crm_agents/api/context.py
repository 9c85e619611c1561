"""What the API's routes share, built once: the assembly (data, models, graphs) from the
composition root, the results database, the limiters, the metrics and the analysis runner."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from functools import cached_property

from sqlalchemy.engine import Engine

from core.rate_limits import Lockout, RateLimiter
from core.settings import Settings
from crm_agents.api.jobs import Jobs
from crm_agents.api.metrics import Metrics
from crm_agents.approvals import reviews_on
from crm_agents.composition import Assembly
from graph.review import Reviews


@dataclass
class ApiContext:
    assembly: Assembly
    store: Engine
    #: The API's own settings (limits); the assembly's when not given.
    api_settings: Settings | None = None
    metrics: Metrics = field(default_factory=Metrics)

    @property
    def settings(self) -> Settings:
        return self.api_settings or self.assembly.settings

    @cached_property
    def per_key(self) -> RateLimiter:
        return RateLimiter(self.settings.api_rate_per_key)

    @cached_property
    def per_address(self) -> RateLimiter:
        return RateLimiter(self.settings.api_rate_per_address)

    @cached_property
    def logins(self) -> RateLimiter:
        """The app's login attempts per address (the same limiter as the API's)."""
        return RateLimiter(self.settings.login_rate_per_address)

    @cached_property
    def wrong_keys(self) -> Lockout:
        return Lockout(attempts=self.settings.api_wrong_keys)

    @cached_property
    def analyses(self) -> ThreadPoolExecutor:
        """Where analyses run: at most `api_analysis_workers` at once, the rest queued."""
        return ThreadPoolExecutor(
            max_workers=self.settings.api_analysis_workers, thread_name_prefix="api-analysis"
        )

    @cached_property
    def api_jobs(self) -> Jobs:
        """Analyses asked for through the API, run on `analyses`."""
        return Jobs(
            self.store, self.assembly.analyzer, self.analyses, self.metrics, self.settings.redact
        )

    @cached_property
    def reviews(self) -> Reviews:
        """The analysis graph over the store's checkpoints: approvals made here or anywhere."""
        return reviews_on(self.assembly, self.store)
