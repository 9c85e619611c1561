"""The Portfolio tab's views: a matrix coloured by risk level with count, share and revenue at
risk in each cell, a cell click mapped to its filters, readable list figures, and the charts."""

from __future__ import annotations

import re

import pytest

from core.settings import Settings
from tools.portfolio.overview import at_risk_over_time, at_risk_table, risk_value_matrix
from ui import charts, tables
from ui.tabs.portfolio import matching_line


@pytest.fixture(scope="module")
def matrix(demo_service):
    return risk_value_matrix(demo_service)


def _fills(styler) -> list[list[str]]:
    """Each body cell's background colour, row by row, as the app draws it."""
    translated = styler._compute()._translate(None, None)
    styles = {
        selector: dict(style["props"])
        for style in translated["cellstyle"]
        for selector in style["selectors"]
    }
    return [
        [
            styles.get(cell["id"], {}).get("background-color", "")
            for cell in row
            if cell["type"] == "td"
        ]
        for row in translated["body"]
    ]


def test_matrix_cells_are_coloured_by_risk_level_not_by_revenue(matrix):
    fills = _fills(tables.matrix_grid(matrix, "en"))
    assert [set(row) for row in fills] == [
        {tables.RISK_FILL["high"]},
        {tables.RISK_FILL["medium"]},
        {tables.RISK_FILL["low"]},
    ]


def test_each_matrix_cell_says_count_share_and_revenue_at_risk(matrix):
    grid = tables.matrix_grid(matrix, "en").data
    cell = matrix.set_index(["risk_level", "value_tier"]).loc[("low", "high")]
    share = cell["customers"] / matrix["customers"].sum()
    text = grid.loc[2, "high value"]
    assert text == (
        f"{int(cell['customers']):,} ({share:.1%}) · "
        f"${cell['monthly_revenue_at_risk']:,.0f}/month at risk"
    )


def test_the_matrix_speaks_chinese_with_currency_in_chinese(matrix):
    grid = tables.matrix_grid(matrix, "zh-TW").data
    assert list(grid.columns) == ["風險等級", "高價值", "中價值", "低價值"]
    assert all("US$" in text and "元" not in text for text in grid.iloc[:, 1])


@pytest.mark.parametrize(
    ("row", "column", "filters"),
    [
        (0, 1, ("high", "high")),
        (1, 2, ("medium", "mid")),
        (2, 3, ("low", "low")),
        (1, 0, ("medium", None)),
    ],
)
def test_a_clicked_cell_becomes_its_risk_level_and_value_tier(row, column, filters):
    assert tables.cell_of(row, column) == filters


def test_the_list_shows_money_percent_and_tenure_but_keeps_numbers_to_sort(demo_service):
    table = at_risk_table(demo_service, 5)
    styled = tables.readable(table, "en")
    shown = styled._compute()._translate(None, None)["body"][0]
    texts = [cell["display_value"] for cell in shown if cell["type"] == "td"]
    assert texts[1].endswith("%") and texts[4].startswith("$")
    assert "month" in texts[5]
    assert styled.data["churn probability %"].dtype.kind == "f"


def test_the_matching_line_counts_every_match_and_the_rows_shown():
    line = matching_line(307, 50, "medium", None, "en")
    assert line == (
        "**307** customers match (medium risk); the list shows the **50** most likely to churn."
    )
    assert "所有風險等級與價值等級" in matching_line(1500, 50, None, None, "zh-TW")


def test_the_probability_chart_draws_the_risk_thresholds(demo_service):
    settings = Settings(risk_medium=0.35, risk_high=0.8)
    figure = charts.probability_distribution(
        demo_service.scores()["churn_probability"], settings, "en"
    )
    lines = sorted(shape.x0 for shape in figure.layout.shapes)
    assert lines == pytest.approx([35.0, 80.0])
    assert [a.text for a in figure.layout.annotations] == [
        "medium risk from 35.0%",
        "high risk from 80.0%",
    ]


def test_the_revenue_chart_has_one_bar_per_risk_level_in_its_colour(matrix):
    figure = charts.revenue_at_risk(matrix, "en")
    assert [bar.name for bar in figure.data] == ["high risk", "medium risk", "low risk"]
    assert [bar.marker.color for bar in figure.data] == [
        charts.RISK_COLORS["high"],
        charts.RISK_COLORS["medium"],
        charts.RISK_COLORS["low"],
    ]
    high = matrix[matrix.risk_level == "high"].set_index("value_tier")
    assert list(figure.data[0].y) == pytest.approx(
        [high.loc[t, "monthly_revenue_at_risk"] for t in ("high", "mid", "low")]
    )


@pytest.mark.parametrize(
    ("lang", "revenue", "lifetime_value"),
    [
        ("en", "(revenue)", "lifetime value at risk (25% margin over 36 months, discounted)"),
        ("zh-TW", "（營收）", "面臨風險的顧客終身價值（36 個月毛利率 25%，已折現）"),
    ],
)
def test_the_at_risk_over_time_headers_say_bills_are_revenue_and_clv_is_margin(
    demo_service, lang, revenue, lifetime_value
):
    settings = Settings(margin_rate=0.25, lifetime_months=36)
    shown = tables.over_time(at_risk_over_time(demo_service), settings, lang).data
    assert revenue in shown.columns[2] and shown.columns[3] == lifetime_value
    assert shown.iloc[:, 0].tolist() == [
        {"en": f"next {m} months", "zh-TW": f"未來 {m} 個月"}[lang] for m in (3, 6, 12)
    ]


@pytest.mark.parametrize(("lang", "header"), [("en", "(USD)"), ("zh-TW", "（USD）")])
def test_the_exported_list_names_the_currency_of_its_money_columns(demo_service, lang, header):
    from agents.present.portfolio_words import at_risk_frame

    table = at_risk_table(demo_service, 5)
    exported = at_risk_frame(table, lang, spreadsheet=True)
    money = [c for c in exported.columns if c.endswith(header)]
    assert len(money) >= 1
    assert exported[money[0]].dtype.kind == "f"  # plain numbers a spreadsheet can sum
    assert not any(c.endswith(header) for c in at_risk_frame(table, lang).columns)


def test_the_list_shows_each_time_figure_with_its_interval_and_support(demo_service):
    from agents.present import portfolio_words

    table = at_risk_table(demo_service, 20, order="urgency")
    shown = portfolio_words.at_risk_frame(table, "en")
    interval = shown["95 % interval (90 days)"].tolist()
    assert all(
        re.fullmatch(r"\d+\.\d–\d+\.\d%( \(few comparable customers\))?", v) for v in interval
    )
    assert all(
        re.fullmatch(r"[\d,]+ / [\d,]+", v) for v in shown["customers / departures behind it"]
    )
    assert all(re.search(r"\(\$[\d,.]+–\$[\d,.]+\)$", v) for v in shown["lifetime value (CLV)"])
    exported = portfolio_words.at_risk_frame(table, "en", spreadsheet=True)
    assert (
        exported["lifetime value, interval low (USD)"] <= exported["lifetime value (CLV) (USD)"]
    ).all()


def test_the_over_time_figures_sit_inside_their_intervals(demo_service):
    table = at_risk_over_time(demo_service)
    for figure in ("expected_leavers", "revenue_lost", "lifetime_value_at_risk"):
        assert (table[f"{figure}_low"] <= table[figure]).all()
        assert (table[figure] <= table[f"{figure}_high"]).all()
    shown = tables.over_time(table, demo_service.settings, "en").data
    assert all("(" in str(v) for v in shown.iloc[:, 1])


def test_a_query_over_lifetime_value_carries_its_interval(demo_service):
    from tools.portfolio.query import query_customers

    result = query_customers(demo_service, measures=["sum"], column="clv")
    everyone = result.groups[0]
    interval = everyone.intervals["sum"]
    assert interval.low <= everyone.figures["sum"] <= interval.high
