"""Parquet input: one file, or a folder of parts (as Spark, Dask and warehouse exports write
them), read as typed columns and then validated exactly as a CSV is (`validate_customers`).

A part is any `*.parquet` / `*.pq` file under the folder, in name order; names starting with
`.` or `_` (`_SUCCESS`, `_metadata`, `.crc` files) are bookkeeping, not data. Every part must
have the same columns: a base split over parts is still one table.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from core.i18n import Phrase
from data.validation import DataValidationError

PARQUET_SUFFIXES = (".parquet", ".pq")


def is_columnar(path: Path) -> bool:
    """Whether `path` names Parquet input (a Parquet file, or a folder of parts)."""
    return path.is_dir() or path.suffix.lower() in PARQUET_SUFFIXES


def _is_part(path: Path, folder: Path) -> bool:
    names = path.relative_to(folder).parts
    return (
        path.is_file()
        and path.suffix.lower() in PARQUET_SUFFIXES
        and not any(n.startswith((".", "_")) for n in names)
    )


def parquet_parts(path: Path) -> list[Path]:
    """The files holding the table: `path` itself, or the parts under a folder in name order."""
    source = str(path)
    if not path.exists():
        raise DataValidationError(source, [Phrase("validation.no_file")])
    if not path.is_dir():
        return [path]
    parts = sorted(p for p in path.rglob("*") if _is_part(p, path))
    if not parts:
        raise DataValidationError(source, [Phrase("validation.no_parts")])
    return parts


def _read_part(part: Path, source: str) -> pa.Table:
    try:
        return pq.read_table(part)
    except (pa.ArrowException, OSError) as err:
        where = part.name if part != Path(source) else source
        raise DataValidationError(
            source, [Phrase("validation.not_parquet", {"part": where, "error": str(err)})]
        ) from None


def read_parquet_customers(path: Path) -> pd.DataFrame:
    """The table of a Parquet file or folder, with its columns' own types (numbers stay
    numbers; validation accepts them as they are)."""
    source = str(path)
    tables: list[pa.Table] = []
    for part in parquet_parts(path):
        table = _read_part(part, source)
        if tables and table.column_names != tables[0].column_names:
            problem = Phrase(
                "validation.parts_differ",
                {
                    "part": part.relative_to(path).as_posix(),
                    "columns": table.column_names,
                    "first": tables[0].column_names,
                },
            )
            raise DataValidationError(source, [problem])
        tables.append(table)
    try:
        table = pa.concat_tables(tables, promote_options="permissive")
    except pa.ArrowException as err:  # the same names with types that cannot be reconciled
        problem = Phrase("validation.not_parquet", {"part": source, "error": str(err)})
        raise DataValidationError(source, [problem]) from None
    del tables
    # self_destruct frees each Arrow column once converted: the table is not held twice.
    frame = table.to_pandas(self_destruct=True, split_blocks=True)
    del table
    pa.default_memory_pool().release_unused()  # Arrow's decoding buffers back to the system
    if frame.index.name is not None or isinstance(frame.index, pd.MultiIndex):
        frame = frame.reset_index()  # written from a frame indexed by customerID
    frame.columns = [str(c).strip() for c in frame.columns]
    return frame
