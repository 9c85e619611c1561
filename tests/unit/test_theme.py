"""One look: a risk level has one colour in badges, charts and tables; value tiers never borrow
a risk level's colour; the app is launched with the one theme and its CSS."""

from __future__ import annotations

import pytest

from ui import theme


def test_value_tiers_never_look_like_a_risk_level():
    assert not set(theme.VALUE_COLORS.values()) & set(theme.RISK_COLORS.values())


def test_the_risk_badge_uses_the_palette_of_the_charts(demo):
    from ui import views

    risk = demo.analyzer.run(demo.service.scores().customerID.iloc[0]).risk
    badges = views.badges(risk, "en")
    assert theme.RISK_COLORS[risk.risk_level] in badges
    assert theme.VALUE_COLORS[risk.value_tier] in badges


@pytest.mark.slow
def test_the_app_is_launched_with_the_one_theme_and_its_css(tmp_path):
    from app_server import app_settings, start

    demo, _ = start(app_settings(tmp_path))
    try:
        assert demo.blocks.theme is theme.THEME
        assert theme.CSS.strip() in demo.blocks.css
    finally:
        demo.close()
