"""A chat answer (Markdown) in a terminal of any width, with no ID or word broken.

Rich's Markdown squeezes a wide table into the terminal by cutting cells ("9943-V…") and
breaking words. Here each table is drawn by rich with every column at least as wide as its
longest word (the first column, an ID or a name, never wraps); when those widths cannot fit,
the table is written as one block per row ("header: value" lines) instead. Everything else
stays Markdown.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from rich import box
from rich.cells import cell_len
from rich.console import Group, RenderableType
from rich.markdown import Markdown
from rich.table import Table
from rich.text import Text

from core.i18n import t
from core.languages import spec
from core.types import Language
from crm_agents.cli.common import fitted_widths, longest_word
from crm_agents.cli.flow import Flow

_SEPARATOR = re.compile(r"^\|?\s*:?-{3,}:?\s*(\|\s*:?-{3,}:?\s*)*\|?$")


def _cells(line: str) -> list[str]:
    inner = line.strip().removeprefix("|").removesuffix("|")
    parts = re.split(r"(?<!\\)\|", inner)
    return [p.strip().replace("\\|", "|").replace("**", "") for p in parts]


def _blocks(markdown: str) -> Iterator[tuple[str, list[str]]]:
    """("table" | "text", lines), in order."""
    kind, lines = "text", []
    for line in markdown.splitlines():
        this = "table" if line.lstrip().startswith("|") else "text"
        if this != kind and lines:
            yield kind, lines
            lines = []
        kind = this
        lines.append(line)
    if lines:
        yield kind, lines


def _table(lines: list[str], width: int, lang: Language) -> RenderableType:
    rows = [_cells(line) for line in lines if not _SEPARATOR.match(line.strip())]
    headers, body = rows[0], [r + [""] * (len(rows[0]) - len(r)) for r in rows[1:]]
    columns = list(zip(headers, *body, strict=False))
    natural = [max(cell_len(c) for c in column) for column in columns]
    # The first column (an ID or a name) never wraps; the others not inside a word.
    floor = natural[:1] + [longest_word(list(c)) for c in columns[1:]]
    room = width - _overhead(len(columns))
    if sum(floor) > room:
        return _records(headers, body, lang)
    # Widths chosen here, not by rich: its squeezing ignores the columns' minimum widths and
    # pushes the last columns off the edge.
    widths = fitted_widths(natural, floor, room) or natural
    table = Table(box=box.SIMPLE_HEAD, pad_edge=False)
    for position, (header, fitted) in enumerate(zip(headers, widths, strict=True)):
        table.add_column(header, width=fitted, no_wrap=position == 0, overflow="fold")
    for row in body:
        table.add_row(*row)
    return table


def _overhead(columns: int) -> int:
    """Cells a SIMPLE_HEAD table without edge padding adds to its columns' widths: the two
    edges, a space between columns and one either side of each inner cell."""
    return 3 * columns - 1


def _records(headers: list[str], body: list[list[str]], lang: Language) -> RenderableType:
    """One block per row: its first cell in bold, then a "header: value" line per cell."""
    parts: list[RenderableType] = []
    for row in body:
        parts.append(Text(row[0], style="bold"))
        for header, value in zip(headers[1:], row[1:], strict=True):
            parts.append(Text("  " + t("format.labelled", lang, label=header, value=value)))
        parts.append(Text(""))
    return Group(*parts)


_INLINE = re.compile(r"\*\*(.+?)\*\*|`([^`]+)`")


def _inline(line: str) -> Text:
    """One line of the chat's Markdown as styled text: **bold** and `code` (all it uses)."""
    text, position = Text(), 0
    for match in _INLINE.finditer(line):
        text.append(line[position : match.start()])
        bold, code = match.groups()
        text.append(bold if bold is not None else code, style="bold" if bold else "cyan")
        position = match.end()
    text.append(line[position:])
    return text


def _chinese(lines: list[str]) -> RenderableType:
    """Chinese text, one paragraph per line (as the chat writes it), flowed between
    characters: Rich's Markdown would join the lines and break only at spaces."""
    return Group(*(Flow(_inline(line), cjk=True) for line in lines))


def answer_view(markdown: str, width: int, lang: Language) -> RenderableType:
    """The answer for a terminal `width` columns wide (`lang`: the answer's language)."""
    han = spec(lang).script == "han"
    parts = [
        _table(lines, width, lang)
        if kind == "table"
        else _chinese(lines)
        if han
        else Markdown("\n".join(lines))
        for kind, lines in _blocks(markdown)
    ]
    return Group(*parts)
