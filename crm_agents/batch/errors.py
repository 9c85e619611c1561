"""The batch's one error type, in a module of its own so that the command line can name it
without importing the batch (and, through it, the agents and the store)."""

from __future__ import annotations

from core.i18n import WordedError


class BatchError(WordedError, RuntimeError):
    """The batch cannot start or continue; the message says why and what to do."""
