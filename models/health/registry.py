"""Every model version kept, with its card, and which one is live.

A version is a bundle of files (the churn model and its card, the drift reference, the
time-to-churn model) copied into `versions/<id>/` beside the live files, and one line in
`registry.json`. Exactly one version is the champion: its files are the live ones that the app,
the CLI and the batch load. A retrain registers a challenger; a person approves it (it becomes
the champion, the old one is retired) or rejects it; a rollback makes the champion before the
current one live again. Copies are written atomically and the model card last, so a crash never
leaves a live model with another version's card (loading checks the card's hash of the model).

The registry is plain files in the artifacts folder (no MLflow server to run); its statuses play
the part of MLflow's `champion`/`challenger` aliases.
"""

from __future__ import annotations

import os
import tempfile
from datetime import UTC, datetime
from pathlib import Path
from typing import Literal

from pydantic import BaseModel

from core.i18n import Phrase, WordedError
from models.health.challenge import Comparison, ConcordanceComparison

REGISTRY_FILE = "registry.json"
VERSIONS = "versions"
Status = Literal["champion", "challenger", "retired", "rejected"]


class RegistryError(WordedError, ValueError):
    """A decision the registry cannot take: the message says why and what it needs."""


class ModelVersion(BaseModel):
    id: str
    created: datetime
    status: Status
    files: list[str]
    model: str
    feature_set: str
    model_sha256: str
    dataset: str  # the data's description, as the card has it
    data_kind: Literal["file", "synthetic"] = "file"
    data_name: str = ""  # the file's name, or the demo's seed
    data_rows: int = 0
    comparison: Comparison | None = None
    survival_comparison: ConcordanceComparison | None = None
    #: Which models of the bundle are the challenger's (each only if it won its comparison).
    new_models: list[str] = []
    decided_by: str | None = None
    decided_at: datetime | None = None
    #: When it became the champion, each time (a rollback makes an earlier one live again).
    live_since: list[datetime] = []


class _Book(BaseModel):
    versions: list[ModelVersion] = []


def _write(path: Path, payload: bytes) -> None:
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(payload)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


class Registry:
    """The versions of one artifacts folder. `last` names the file written last on a promotion
    (the churn model's card)."""

    def __init__(self, folder: Path, last: str) -> None:
        self.folder = folder
        self.last = last

    @property
    def _path(self) -> Path:
        return self.folder / REGISTRY_FILE

    def _book(self) -> _Book:
        if not self._path.exists():
            return _Book()
        return _Book.model_validate_json(self._path.read_text(encoding="utf-8"))

    def _save(self, book: _Book) -> None:
        self.folder.mkdir(parents=True, exist_ok=True)
        _write(self._path, book.model_dump_json(indent=2).encode())

    def versions(self) -> list[ModelVersion]:
        return self._book().versions

    def get(self, version_id: str) -> ModelVersion:
        found = next((v for v in self.versions() if v.id == version_id), None)
        if found is None:
            known = [v.id for v in self.versions()] or ["—"]
            raise RegistryError(Phrase("registry.unknown", {"id": version_id, "known": known}))
        return found

    def champion(self) -> ModelVersion | None:
        return next((v for v in self.versions() if v.status == "champion"), None)

    def register(self, source: Path, files: list[str], status: Status, **described) -> ModelVersion:
        """Copy `files` from `source` into a new version; a champion registered here is the
        live bundle as it is (a registry's first version)."""
        book = self._book()
        version_id = f"v{len(book.versions) + 1:04d}"
        target = self.folder / VERSIONS / version_id
        target.mkdir(parents=True, exist_ok=True)
        present = [name for name in files if (source / name).exists()]
        for name in present:
            _write(target / name, (source / name).read_bytes())
        now = datetime.now(UTC)
        version = ModelVersion(
            id=version_id,
            created=now,
            status=status,
            files=present,
            live_since=[now] if status == "champion" else [],
            **described,
        )
        book.versions.append(version)
        self._save(book)
        return version

    def _go_live(self, book: _Book, chosen: ModelVersion, by: str) -> ModelVersion:
        source = self.folder / VERSIONS / chosen.id
        ordered = sorted(chosen.files, key=lambda name: name == self.last)
        for name in ordered:
            _write(self.folder / name, (source / name).read_bytes())
        now = datetime.now(UTC)
        for version in book.versions:
            if version.status == "champion":
                version.status = "retired"
        chosen.status = "champion"
        chosen.decided_by, chosen.decided_at = by, now
        chosen.live_since.append(now)
        self._save(book)
        return chosen

    def approve(self, version_id: str, by: str) -> ModelVersion:
        """The challenger goes live — only if it won its comparison."""
        book = self._book()
        chosen = next((v for v in book.versions if v.id == version_id), None)
        if chosen is None:
            self.get(version_id)  # raises with the versions known
        if chosen.status != "challenger":
            raise RegistryError(
                Phrase("registry.not_challenger", {"id": version_id, "status": chosen.status})
            )
        if not chosen.new_models:
            raise RegistryError(Phrase("registry.did_not_win", {"id": version_id}))
        return self._go_live(book, chosen, by)

    def reject(self, version_id: str, by: str) -> ModelVersion:
        book = self._book()
        chosen = next((v for v in book.versions if v.id == version_id), None)
        if chosen is None:
            self.get(version_id)  # raises with the versions known
        if chosen.status != "challenger":
            raise RegistryError(
                Phrase("registry.not_challenger", {"id": version_id, "status": chosen.status})
            )
        chosen.status = "rejected"
        chosen.decided_by, chosen.decided_at = by, datetime.now(UTC)
        self._save(book)
        return chosen

    def rollback(self, by: str) -> ModelVersion:
        """The champion before the current one goes live again."""
        book = self._book()
        current = next((v for v in book.versions if v.status == "champion"), None)
        earlier = [
            v for v in book.versions if v.status == "retired" and v.live_since and v is not current
        ]
        if current is None or not earlier:
            raise RegistryError(Phrase("registry.no_earlier"))
        previous = max(earlier, key=lambda v: v.live_since[-1])
        return self._go_live(book, previous, by)
