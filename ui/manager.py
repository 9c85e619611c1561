"""The page's components by name, so that tabs find each other's by what they are, never by
their position in a tuple (the pattern of LLaMA-Factory's web UI: `add_elems`, `get_elem`).

Each tab module builds its components and registers them under its own name
(`analyze.customer`, `trace.diagram`); `app.py` only composes: it builds every tab, then wires
every tab, and each wiring looks up what it needs here.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from ui.backend import Backend
from ui.labels import Labels


class Manager:
    """The components of one page, by `tab.element` name, with what every tab shares."""

    def __init__(self, backend: Backend, labels: Labels) -> None:
        self.backend = backend
        self.labels = labels
        self._elems: dict[str, Any] = {}

    def add_elems(self, tab: str, elems: dict[str, Any]) -> None:
        for name, elem in elems.items():
            key = f"{tab}.{name}"
            if key in self._elems:
                raise ValueError(f"the component {key} is registered twice")
            self._elems[key] = elem

    def get_elem(self, name: str) -> Any:
        """The component named `tab.element`."""
        try:
            return self._elems[name]
        except KeyError:
            known = ", ".join(sorted(self._elems))
            raise KeyError(f"no component is registered as {name!r}; known: {known}") from None

    def get_elems(self, names: Iterable[str]) -> list[Any]:
        return [self.get_elem(name) for name in names]

    def elems_of(self, tab: str) -> dict[str, Any]:
        """The components `tab` registered, by their names within it."""
        prefix = f"{tab}."
        return {k.removeprefix(prefix): v for k, v in self._elems.items() if k.startswith(prefix)}

    @property
    def language(self) -> Any:
        """The language switch in the header, which every tab listens to."""
        return self.get_elem("header.language")
