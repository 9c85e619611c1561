"""Paragraphs that wrap the way their writing does. Rich breaks lines only at spaces, so a
Chinese sentence — one long run without spaces — leaves a short line before it and is then cut
at the panel's edge wherever that falls. Chinese lines may break between any two characters,
but never before closing punctuation (，。）) nor after opening punctuation (（「), and never
inside a run of Latin letters, digits or an ID (`9757-BMEEG`, `US$1,074.96`)."""

from __future__ import annotations

import re

from rich.cells import cell_len
from rich.console import Console, ConsoleOptions, RenderResult
from rich.measure import Measurement
from rich.text import Text

_CJK = "\u2e80-\u2fff\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
_OPENING = "（「『【〔《〈"
_CLOSING = "，。、；：？！）」』】〕》〉…"
_PUNCTUATION = re.escape(_OPENING + _CLOSING)
_TOKEN = re.compile(rf"\s+|[{_CJK}]|[{_PUNCTUATION}]|[^\s{_CJK}{_PUNCTUATION}]+")


def _units(text: str) -> list[tuple[int, int]]:
    """Spans of `text` no line may break inside: a CJK character with the punctuation glued to
    it, a Latin or digit run, or a run of spaces."""
    units: list[list[int]] = []
    glue_next = False
    for match in _TOKEN.finditer(text):
        start, end = match.span()
        token = match.group()
        spaces = token.isspace()
        if not spaces and units and (glue_next or token[0] in _CLOSING):
            previous = units[-1]
            if not text[previous[0] : previous[1]].isspace():
                previous[1] = end
                glue_next = token[0] in _OPENING
                continue
        units.append([start, end])
        glue_next = token[0] in _OPENING
    return [(a, b) for a, b in units]


def line_spans(text: str, width: int) -> list[tuple[int, int]]:
    """Where each line of `text` starts and ends when flowed to `width` cells (spaces at a break
    dropped; a unit wider than a line is cut)."""
    spans: list[tuple[int, int]] = []
    offset = 0
    for paragraph in text.split("\n"):
        first = last = None  # the line being filled
        for a, b in _units(paragraph):
            if paragraph[a:b].isspace():
                continue
            a, b = a + offset, b + offset
            if first is None:
                first, last = a, b
            elif cell_len(text[first:b]) <= width:
                last = b
                continue
            else:
                spans.append((first, last))
                first, last = a, b
            while cell_len(text[first:last]) > width:  # an ID wider than a line
                cut = first
                while cell_len(text[first : cut + 1]) <= width:
                    cut += 1
                spans.append((first, cut))
                first = cut
        spans.append((first, last) if first is not None else (offset, offset))
        offset += len(paragraph) + 1
    return spans


class Flow:
    """A paragraph for the console: Chinese text flowed to the width it is drawn at, any other
    left to Rich, which breaks at spaces. Styles of a `Text` are kept."""

    def __init__(self, text: str | Text, style: str = "", cjk: bool = False):
        self.text = text if isinstance(text, Text) else Text(text, style=style)
        self.cjk = cjk

    def __rich_measure__(self, console: Console, options: ConsoleOptions) -> Measurement:
        """As narrow as its widest unbreakable piece, as wide as its longest line."""
        if not self.cjk:
            return Measurement.get(console, options, self.text)
        plain = self.text.plain
        widest = max((cell_len(plain[a:b]) for a, b in _units(plain)), default=1)
        longest = max((cell_len(line) for line in plain.split("\n")), default=1)
        return Measurement(min(widest, options.max_width), min(longest, options.max_width))

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        if not self.cjk:
            yield self.text
            return
        for first, last in line_spans(self.text.plain, options.max_width):
            line = self.text[first:last]
            line.no_wrap, line.overflow = True, "ignore"
            yield line
