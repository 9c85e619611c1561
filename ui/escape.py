"""Data and model text shown as text, never as markup.

Customer IDs, file names, LLM-written sentences and error messages reach Markdown panels, HTML
badges, toasts and the chat. Gradio renders those as Markdown and HTML, so every such string
passes through here first: HTML is escaped, and in Markdown every character that can start
markup anywhere in a line (`*`, `_`, backticks, brackets, `|`, `~`, backslash) is
backslash-escaped (CommonMark shows `\\*` as `*`), as is a first character that would open a
heading, quote or list. IDs such as 7590-VHVEG read as they are.
"""

from __future__ import annotations

import html
import re

_INLINE = re.compile(r"([\\`*_\[\]|~])")
_LINE_START = re.compile(r"^(\s*)([#>+\-=]|\d+[.)])")


def md(value: object) -> str:
    """`value` as literal text inside Markdown."""
    text = _INLINE.sub(r"\\\1", html.escape(str(value), quote=False)).replace("\n", " ")
    return _LINE_START.sub(_escape_line_start, text)


def _escape_line_start(match: re.Match[str]) -> str:
    marker = match.group(2)
    if marker[0].isdigit():  # "12." opens a list: escape the dot, a digit cannot be escaped
        return match.group(1) + marker[:-1] + "\\" + marker[-1]
    return match.group(1) + "\\" + marker


def md_block(value: object) -> str:
    """Like `md`, keeping line breaks (for paragraphs of generated text)."""
    return "\n".join(md(line) for line in str(value).split("\n"))


def html_text(value: object) -> str:
    """`value` as literal text inside HTML (toasts, badges)."""
    return html.escape(str(value), quote=True)


def no_html(value: object) -> str:
    """Markdown we wrote ourselves (tables, bold) around data: only HTML is neutralised."""
    return html.escape(str(value), quote=False)
