"""Find, read and validate the customer table; say where it came from.

Source order: an explicit path (`--data`), `CRM_DATA_PATH`, the first CSV in `data/raw/`,
else the embedded synthetic demo data. The origin travels with the table so that every
screen, report and model card can say which data it stands on.
"""

from __future__ import annotations

import csv
import hashlib
import io
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

import pandas as pd
from pydantic import BaseModel

from core.i18n import Phrase, t
from core.languages import BASE_LANGUAGE
from core.settings import Settings
from core.types import Language
from data.columnar import is_columnar, parquet_parts, read_parquet_customers
from data.schema import ID_COLUMN, TARGET_COLUMN, feature_label
from data.signals import attach_signals
from data.synthetic import generate_customers
from data.validation import LINES, ROWS, DataValidationError, validate_customers

ACCEPTED_ENCODINGS = ("utf-8-sig",)


class DataOrigin(BaseModel):
    kind: Literal["file", "synthetic"]
    path: str | None = None
    sha256: str | None = None
    seed: int | None = None
    rows: int
    simulated_signals: list[str]

    @property
    def is_synthetic(self) -> bool:
        return self.kind == "synthetic"

    def describe(self, lang: Language = BASE_LANGUAGE) -> str:
        rows = f"{self.rows:,}"
        if self.kind == "synthetic":
            base = t("data.synthetic", lang, seed=self.seed, rows=rows)
        else:
            name, sha = Path(self.path or "").name, (self.sha256 or "")[:12]
            base = t("data.file", lang, name=name, rows=rows, sha=sha)
        if self.simulated_signals:
            signals = t("list.separator", lang).join(
                feature_label(s, lang) for s in self.simulated_signals
            )
            base += t("data.signals_simulated", lang, signals=signals)
        return base


@dataclass(frozen=True)
class CustomerData:
    """The validated customer table (indexed by customerID) and its origin."""

    customers: pd.DataFrame
    origin: DataOrigin

    @property
    def has_labels(self) -> bool:
        return TARGET_COLUMN in self.customers.columns


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def data_sha256(path: Path) -> str:
    """A fingerprint of the data's bytes: the file's SHA-256, or for a folder of Parquet parts
    one over each part's name and SHA-256 (renaming or changing a part changes it)."""
    if not path.is_dir():
        return file_sha256(path)
    digest = hashlib.sha256()
    for part in parquet_parts(path):
        digest.update(f"{part.relative_to(path).as_posix()}\0{file_sha256(part)}\n".encode())
    return digest.hexdigest()


def resolve_source(path: Path | None, settings: Settings) -> Path | None:
    """The file to read, or None for the synthetic demo data."""
    if path is not None:
        return Path(path)
    if settings.data_path is not None:
        return Path(settings.data_path)
    if settings.raw_dir.is_dir():
        csvs = sorted(settings.raw_dir.glob("*.csv"))
        if csvs:
            return csvs[0]
    return None


def read_customer_file(path: Path) -> pd.DataFrame:
    """Read a CSV as text, or Parquet (a file or a folder of parts) as typed columns, rejecting
    wrong files with a message that says what is expected."""
    source = str(path)
    if not path.exists():
        raise DataValidationError(source, [Phrase("validation.no_file")])
    if is_columnar(path):
        return read_parquet_customers(path)
    payload = path.read_bytes()
    if not payload.strip():
        raise DataValidationError(source, [Phrase("validation.empty")])
    try:
        text = payload.decode(ACCEPTED_ENCODINGS[0])
    except UnicodeDecodeError as err:
        raise DataValidationError(
            source, [Phrase("validation.not_utf8", {"byte": err.start})]
        ) from None
    header = text.splitlines()[0]
    if "," not in header:
        try:
            found = csv.Sniffer().sniff(header, delimiters=";\t|").delimiter
            what = {";": "semicolons", "\t": "tabs", "|": "pipes"}[found]
            problem = Phrase("validation.separated", {"separator": Phrase(f"validation.{what}")})
        except csv.Error:
            problem = Phrase("validation.no_header")
        raise DataValidationError(source, [problem])
    try:
        raw = pd.read_csv(io.StringIO(text), dtype=str, keep_default_na=False)
    except pd.errors.ParserError as err:
        raise DataValidationError(
            source, [Phrase("validation.malformed_csv", {"error": str(err)})]
        ) from None
    raw.columns = [str(c).strip() for c in raw.columns]
    return raw


def load_customers(path: Path | None, settings: Settings) -> CustomerData:
    """The validated customers with behaviour signals, from a file or the synthetic demo."""
    source = resolve_source(path, settings)
    if source is None:
        customers = generate_customers(settings.synthetic_rows, settings.seed)
        origin_kwargs = {"kind": "synthetic", "seed": settings.seed}
    else:
        customers = validate_customers(
            read_customer_file(source),
            str(source),
            settings.customer_id_pattern,
            settings.accepted_ranges,
            ROWS if is_columnar(source) else LINES,
        )
        origin_kwargs = {
            "kind": "file",
            "path": str(source.resolve()),
            "sha256": data_sha256(source),
        }
    customers, simulated = attach_signals(customers, settings.seed, share=True)
    customers.index = pd.Index(customers[ID_COLUMN].to_numpy())  # IDs as the index, no copy
    origin = DataOrigin(rows=len(customers), simulated_signals=simulated, **origin_kwargs)
    return CustomerData(customers=customers, origin=origin)
