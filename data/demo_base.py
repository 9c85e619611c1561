"""A synthetic customer base of any size, written chunk by chunk (memory stays that of one
chunk): the demo generator's customers, for benchmarks and for trying the product at scale.

Seeded: the same rows, seed and chunk size give the same file, byte for byte in CSV and value
for value in Parquet. Chunk k is drawn with the seed sequence (seed, k), so chunks are
independent draws; each solves its own churn intercept (about 26.5 % churn each).

Customer IDs keep the Telco shape (4 digits, a dash, 5 capitals) and are distinct over the
whole base: row i gets the number (a·i + b) mod 10⁴·26⁵ spelled in that shape, with a coprime
to the modulus, so no two rows share one however many chunks are written (random IDs drawn per
chunk would collide by the hundreds at 10 million).

Behaviour signals are left out, as in the Telco file: the product simulates them and says so.
The Churn column is left out unless asked for: a base to score has no outcome yet, and a
labelled base would make a model trained on other data look stale.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from data.schema import ID_COLUMN, TARGET_COLUMN
from data.spreadsheet import LINE_END
from data.synthetic import generate_customers

DemoFormat = Literal["csv", "parquet"]
CHUNK_ROWS = 1_000_000
_LETTERS = np.array(list("ABCDEFGHIJKLMNOPQRSTUVWXYZ"))
_LETTER_SPACE = 26**5
_ID_SPACE = 10_000 * _LETTER_SPACE


@dataclass(frozen=True)
class DemoBase:
    path: Path
    rows: int
    parts: int
    seed: int
    labels: bool
    format: DemoFormat


def _multiplier(seed: int) -> int:
    """A step near the golden section of the ID space (consecutive rows land far apart),
    coprime to it (2, 5 and 13 are its prime factors), varied by the seed."""
    a = (int(_ID_SPACE * 0.6180339887) + 2 * seed) | 1  # odd
    while a % 5 == 0 or a % 13 == 0:
        a += 2
    return a


def customer_ids(start: int, count: int, seed: int) -> np.ndarray:
    """The IDs of rows start … start + count − 1: distinct over any range of rows."""
    rows = np.arange(start, start + count, dtype=object)  # Python ints: a·i exceeds 64 bits
    offset = (seed * 2_654_435_761 + 1_234_567_891) % _ID_SPACE
    numbers = ((rows * _multiplier(seed) + offset) % _ID_SPACE).astype(np.int64)
    digits, letters = np.divmod(numbers, _LETTER_SPACE)
    spelled = np.char.add(np.char.zfill(digits.astype(str), 4), "-")
    for power in (26**4, 26**3, 26**2, 26, 1):
        spelled = np.char.add(spelled, _LETTERS[(letters // power) % 26])
    return spelled.astype(object)


def demo_chunks(
    rows: int, seed: int, labels: bool, chunk_rows: int = CHUNK_ROWS
) -> Iterator[pd.DataFrame]:
    for k, start in enumerate(range(0, rows, chunk_rows)):
        count = min(chunk_rows, rows - start)
        chunk_seed = int(np.random.SeedSequence([seed, k]).generate_state(1)[0])
        frame = generate_customers(count, chunk_seed)
        frame[ID_COLUMN] = customer_ids(start, count, seed)
        yield frame if labels else frame.drop(columns=[TARGET_COLUMN])


def default_path(folder: Path, rows: int, seed: int, fmt: DemoFormat) -> Path:
    """`customers-<rows>-seed<seed>.csv`, or a folder of the same name for Parquet parts."""
    name = f"customers-{rows}-seed{seed}"
    return folder / (f"{name}.csv" if fmt == "csv" else name)


def write_demo_base(
    path: Path,
    rows: int,
    *,
    seed: int = 42,
    fmt: DemoFormat = "parquet",
    labels: bool = False,
    chunk_rows: int = CHUNK_ROWS,
    progress: Callable[[int], None] = lambda done: None,
) -> DemoBase:
    """Write `rows` customers to `path`: a CSV file; one Parquet file (a row group per chunk)
    when the path ends in .parquet; else a folder of Parquet parts, one per chunk. Whole or not
    at all: written beside the target and renamed into place."""
    if rows < 1:
        raise ValueError("rows must be at least 1")
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(f".{path.name}.partial")
    _remove(partial)
    chunks = demo_chunks(rows, seed, labels, chunk_rows)
    try:
        if fmt == "csv":
            parts = _write_csv(chunks, partial, progress)
        elif path.suffix.lower() == ".parquet":
            parts = _write_parquet_file(chunks, partial, progress)
        else:
            parts = _write_parquet_parts(chunks, partial, progress)
        _remove(path)
        os.replace(partial, path)
    finally:
        _remove(partial)
    return DemoBase(path, rows, parts, seed, labels, fmt)


def _remove(path: Path) -> None:
    if path.is_dir():
        for part in path.iterdir():
            part.unlink()
        path.rmdir()
    else:
        path.unlink(missing_ok=True)


def _write_csv(chunks: Iterator[pd.DataFrame], target: Path, progress) -> int:
    done = 0
    with target.open("w", encoding="utf-8", newline="") as handle:
        for k, chunk in enumerate(chunks):
            # Generated text never starts with a formula trigger: safe to open as it is.
            chunk.to_csv(handle, index=False, header=k == 0, lineterminator=LINE_END)
            done += len(chunk)
            progress(done)
    return 1


def _write_parquet_file(chunks: Iterator[pd.DataFrame], target: Path, progress) -> int:
    done, writer = 0, None
    try:
        for chunk in chunks:
            table = pa.Table.from_pandas(chunk, preserve_index=False)
            writer = writer or pq.ParquetWriter(target, table.schema)
            writer.write_table(table)
            done += len(chunk)
            progress(done)
    finally:
        if writer is not None:
            writer.close()
    return 1


def _write_parquet_parts(chunks: Iterator[pd.DataFrame], target: Path, progress) -> int:
    target.mkdir()
    done = parts = 0
    for chunk in chunks:
        chunk.to_parquet(target / f"part-{parts:05d}.parquet", index=False)
        parts += 1
        done += len(chunk)
        progress(done)
    return parts
