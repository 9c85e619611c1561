"""A scored base written part by part, whole or not at all: the parts go to a hidden partial
file that replaces the target only when the last part is in, so a large base is never held in
memory twice and a failed run leaves no half-written file.

CSV parts are spreadsheet-safe (`data.spreadsheet`); Parquet parts keep their types.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor, wait
from contextlib import contextmanager
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from data.columnar import is_columnar
from data.spreadsheet import LINE_END, spreadsheet_safe

AppendPart = Callable[[pd.DataFrame], None]


@contextmanager
def table_writer(path: Path) -> Iterator[AppendPart]:
    """Yields `append(part)`; parts must have the same columns, in order, and at least one part
    must come (an empty one for an empty table). Parquet when `path` ends in .parquet/.pq, else
    CSV. A part is written while the caller computes the next one (one part in hand at most);
    the caller must not change a part it has appended."""
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(f".{path.name}.partial")
    parts = _parquet_parts if is_columnar(path) else _csv_parts
    try:
        with (
            ThreadPoolExecutor(1, thread_name_prefix="table-writer") as pool,
            parts(partial) as write,
        ):
            pending: Future | None = None

            def append(part: pd.DataFrame) -> None:
                nonlocal pending
                if pending is not None:
                    pending.result()  # a failed write stops the table here
                pending = pool.submit(write, part)

            try:
                yield append
            finally:
                # Whatever happened, the file is closed only after its last part is in.
                if pending is not None:
                    wait([pending])
            if pending is not None:
                pending.result()
        os.replace(partial, path)
    finally:
        partial.unlink(missing_ok=True)


@contextmanager
def _parquet_parts(partial: Path) -> Iterator[AppendPart]:
    writer: pq.ParquetWriter | None = None
    schema: pa.Schema | None = None

    def append(part: pd.DataFrame) -> None:
        nonlocal writer, schema
        # The first part sets the schema; later parts are cast to it, so a column that happens
        # to be all-missing in one part does not change its type in the file.
        table = pa.Table.from_pandas(part, schema=schema, preserve_index=False)
        if writer is None:
            schema = table.schema
            writer = pq.ParquetWriter(partial, schema)
        writer.write_table(table)

    try:
        yield append
    finally:
        if writer is not None:
            writer.close()


@contextmanager
def _csv_parts(partial: Path) -> Iterator[AppendPart]:
    with open(partial, "w", encoding="utf-8", newline="") as handle:
        first = True

        def append(part: pd.DataFrame) -> None:
            nonlocal first
            spreadsheet_safe(part).to_csv(
                handle, index=False, header=first, lineterminator=LINE_END
            )
            first = False

        yield append
