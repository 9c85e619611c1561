"""Finding a customer: IDs as stored or in another case, close matches for a typo, a clear
refusal for what is not an ID, and one customer's fields as plain Python values (kept, least
recently used go first)."""

from __future__ import annotations

import difflib
import threading
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
from cachetools import LRUCache

from core.settings import Settings
from data.schema import CUSTOMER_ID_EXAMPLE
from data.validation import id_pattern_phrase
from tools.refusals import Refusal


class CustomerNotFoundError(Refusal, LookupError):
    """The customer ID is malformed or not in the loaded data."""


class UnscorableCustomerError(Refusal, ValueError):
    """The customer's churn probability cannot be computed from their data (it is not a
    number): they are reported as such, never given a risk level."""


def _plain(value: object) -> str | int | float:
    if isinstance(value, np.integer):
        return int(value)
    if isinstance(value, np.floating):
        return float(value)
    return value  # type: ignore[return-value]


@dataclass
class CustomerIndex:
    customers: pd.DataFrame
    settings: Settings
    cache_size: int
    _positions: dict[str, int] | None = field(default=None, init=False, repr=False)
    _columns: dict[str, np.ndarray] = field(default_factory=dict, init=False, repr=False)
    _by_folded: dict[str, str] = field(default_factory=dict, init=False, repr=False)
    _fields: LRUCache = field(init=False, repr=False)
    # Filled from the app's threads: the lazy tables and the cache change under one lock.
    _lock: threading.RLock = field(default_factory=threading.RLock, init=False, repr=False)

    def __post_init__(self) -> None:
        self._fields = LRUCache(self.cache_size)

    def cached(self) -> int:
        with self._lock:
            return len(self._fields)

    def positions(self) -> dict[str, int]:
        """Row number by stored ID, built once with the columns as arrays and the case-folded
        IDs (IDs match without regard to case; validation refuses two that differ only so)."""
        if self._positions is None:
            with self._lock:
                if self._positions is None:
                    self._columns = {
                        c: self.customers[c].to_numpy() for c in self.customers.columns
                    }
                    self._by_folded = {str(c).casefold(): c for c in self.customers.index}
                    self._positions = {c: i for i, c in enumerate(self.customers.index)}
        return self._positions

    def example_id(self) -> str:
        """An ID from the table in use, for messages and placeholders."""
        return str(self.customers.index[0]) if len(self.customers) else CUSTOMER_ID_EXAMPLE

    def canonical_id(self, customer_id: str) -> str:
        """The ID as stored, or an error that says what IDs look like and what is close."""
        wanted = str(customer_id).strip()
        if wanted in self.positions():
            return wanted
        stored = self._by_folded.get(wanted.casefold())
        if stored is not None:
            return stored
        if not self.settings.id_pattern.fullmatch(wanted):
            raise CustomerNotFoundError(
                "refusal.not_an_id",
                wanted=wanted[:80],
                pattern=id_pattern_phrase(self.settings.customer_id_pattern),
                example=self.example_id(),
            )
        folded = difflib.get_close_matches(wanted.casefold(), self._by_folded, n=3, cutoff=0.6)
        close = [self._by_folded[f] for f in folded]
        rows = f"{len(self.customers):,}"
        if close:
            raise CustomerNotFoundError(
                "refusal.not_found_close", wanted=wanted, rows=rows, close=close
            )
        raise CustomerNotFoundError(
            "refusal.not_found", wanted=wanted, rows=rows, example=self.example_id()
        )

    def fields(self, customer_id: str) -> dict[str, str | int | float]:
        """All fields of one customer (an ID as stored) as plain Python values."""
        with self._lock:
            cached = self._fields.get(customer_id)
        if cached is not None:
            return cached
        i = self.positions()[customer_id]
        fields = {c: _plain(values[i]) for c, values in self._columns.items() if c != "customerID"}
        with self._lock:
            self._fields[customer_id] = fields
        return fields
