"""Data and model text shown as text, never as markup.

Customer IDs, file names, LLM-written sentences and error messages reach Markdown panels, HTML
badges, toasts and the chat. Gradio renders those as Markdown and HTML, so every such string
passes through here first: HTML is escaped, and in Markdown every punctuation character that
could start markup is backslash-escaped (CommonMark shows `\\*` as `*`).
"""

from __future__ import annotations

import html
import re

_MARKDOWN = re.compile(r"([\\`*_{}\[\]()#+\-.!|~>])")


def md(value: object) -> str:
    """`value` as literal text inside Markdown."""
    return _MARKDOWN.sub(r"\\\1", html.escape(str(value), quote=False)).replace("\n", " ")


def md_block(value: object) -> str:
    """Like `md`, keeping line breaks (for paragraphs of generated text)."""
    return "\n".join(md(line) for line in str(value).split("\n"))


def html_text(value: object) -> str:
    """`value` as literal text inside HTML (toasts, badges)."""
    return html.escape(str(value), quote=True)


def no_html(value: object) -> str:
    """Markdown we wrote ourselves (tables, bold) around data: only HTML is neutralised."""
    return html.escape(str(value), quote=False)
