"""Chinese paragraphs in the console wrap between characters, never inside an ID, a number or
a Latin word, and never with closing punctuation at the start of a line."""

from __future__ import annotations

import pytest
from rich.cells import cell_len
from rich.console import Console
from rich.panel import Panel
from rich.text import Text

from crm_agents.cli.flow import Flow, line_spans

SENTENCE = (
    "納入下一波活動：中風險。對中風險客戶而言，其 90 天內流失機率（54.3%）偏高；建議依風險"
    "等級而定，而非客戶 9757-BMEEG 的 90 天數字 US$1,074.96。"
)


def _lines(text: str, width: int) -> list[str]:
    return [text[a:b] for a, b in line_spans(text, width)]


@pytest.mark.parametrize("width", [12, 17, 23, 40, 76])
def test_lines_fit_and_keep_every_character(width):
    lines = _lines(SENTENCE, width)
    assert all(cell_len(line) <= width for line in lines)
    assert "".join(lines).replace(" ", "") == SENTENCE.replace(" ", "")


@pytest.mark.parametrize("width", [12, 17, 23, 40])
def test_ids_numbers_and_money_are_never_split(width):
    lines = _lines(SENTENCE, width)
    for unit in ("9757-BMEEG", "US$1,074.96", "54.3%"):
        assert any(unit in line for line in lines), (unit, lines)


@pytest.mark.parametrize("width", [14, 17, 23, 40])
def test_no_line_starts_with_closing_or_ends_with_opening_punctuation(width):
    for line in _lines(SENTENCE, width):
        assert line[0] not in "，。；：）、"
        assert line[-1] not in "（「"


def test_a_chinese_paragraph_fills_its_lines_instead_of_leaving_them_short():
    chinese = (
        "風險等級綜合了客戶的所有資料，並以實際流失結果驗證，"
        "而 90 天數字僅來自相同合約客戶在此在網時間的留存情形。"
    ) * 2
    console = Console(width=40, record=True, color_system=None)
    console.print(Panel(Flow(chinese, cjk=True)))
    rows = console.export_text().splitlines()[1:-2]  # inside the borders, the last line aside
    assert all(cell_len(row.strip("│ ")) >= 30 for row in rows)


def test_styles_survive_the_flow():
    console = Console(width=30, record=True)
    console.print(Flow(Text.assemble(("標題", "bold"), "，" + SENTENCE), cjk=True))
    assert "\x1b[1m標題" in console.export_text(styles=True)


def test_english_is_left_to_rich():
    text = "Call this week: high risk, and 31.0% likely to leave within 90 days."
    console = Console(width=30, record=True, color_system=None)
    console.print(Flow(text))
    assert "Call this week: high risk, and" in console.export_text()
