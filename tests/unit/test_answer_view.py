"""Chat answers in a terminal: no customer ID or word is cut or broken, at any width."""

from __future__ import annotations

import re

import pytest
from rich.console import Console

from crm_agents.cli.answer_view import answer_view

ANSWER = "\n".join(
    [
        "Most likely to leave within 90 days (call these first):",
        "",
        "| customer | churn probability % | chance of leaving within 90 days % "
        "| lifetime value (CLV) | top driver an offer can change |",
        "|---|---|---|---|---|",
        "| 9943-VSZUV | 29.7% | 95.4% | $16.40 | contract type |",
        "| 2266-NGWOT | 54.9% | 88.1% | $1,205.10 | payment method |",
        "",
        "Estimates from the model.",
    ]
)


def _shown(width: int, lang: str = "en", answer: str = ANSWER) -> str:
    console = Console(record=True, width=width)
    console.print(answer_view(answer, width, lang))
    return console.export_text()


@pytest.mark.parametrize("width", [40, 60, 80, 100, 160])
def test_customer_ids_and_words_are_never_cut_or_broken(width):
    shown = _shown(width)
    assert "9943-VSZUV" in shown and "2266-NGWOT" in shown
    assert "…" not in shown
    words = set(re.findall(r"[\w$.,%()-]+", shown))
    for word in ("probability", "lifetime", "$1,205.10", "payment", "Estimates"):
        assert word in words, (width, word)


def test_a_table_that_fits_stays_a_table():
    shown = _shown(200)
    row = next(line for line in shown.splitlines() if "2266-NGWOT" in line)
    assert "54.9%" in row and "$1,205.10" in row and "payment method" in row


def test_a_table_too_wide_becomes_one_block_per_customer_in_the_answers_language():
    shown = _shown(40)
    assert "  churn probability %: 54.9%" in shown
    chinese = "| 客戶 | 方案可改變的主要因素 | 月費 |\n|---|---|---|\n"
    chinese += "| 2266-NGWOT | 合約類型 | US$95.10 |"
    assert "  月費：US$95.10" in _shown(24, "zh-TW", chinese)


def test_a_chinese_answer_keeps_one_paragraph_per_line_and_wraps_between_characters():
    from rich.console import Console

    from crm_agents.cli.answer_view import answer_view

    answer = (
        "**9757-BMEEG** — 預估 3 個月內可能流失（95% 區間：2 個月至4 個月）："
        "同類客戶到那時已有一半離開。\n"
        "顧客終身價值 US$89.75（US$56.01–US$141.21）：未來 60 個月的預期毛利。"
    )
    console = Console(width=60, record=True, color_system=None)
    console.print(answer_view(answer, 60, "zh-TW"))
    lines = console.export_text().splitlines()
    assert lines[0].startswith("9757-BMEEG — 預估") and "**" not in lines[0]
    assert any(line.startswith("顧客終身價值") for line in lines)  # its own paragraph
    assert any("US$56.01–US$141.21" in line for line in lines)  # money never split


WIDE = "\n".join(
    [
        "| customer | churn probability % | chance of leaving within 90 days % "
        "| lifetime value (CLV) | risk | value | monthly charges | top driver "
        "| top driver an offer can change |",
        "|---|---|---|---|---|---|---|---|---|",
        "| 7454-ZHCKK | 93.3% | 21.7% (17.5%–26.7%) | $355.79 ($284.32–$434.22) | high | high "
        "| $80.38 | months as a customer | contract type |",
    ]
)


@pytest.mark.parametrize("width", [80, 100, 120, 140])
def test_a_table_of_many_columns_never_loses_its_last_column_off_the_edge(width):
    shown = _shown(width, answer=WIDE)
    assert max(len(line.rstrip()) for line in shown.splitlines()) <= width
    words = set(re.findall(r"[\w$.,%()–-]+", shown))
    for word in ("change", "contract", "type", "($284.32–$434.22)", "7454-ZHCKK"):
        assert word in words, (width, word)
