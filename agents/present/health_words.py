"""Model health in words: what each drift measure is, whether a run moved from the model's
training data, and a run's measures as a table (the CLI, the app and the API's `summary`)."""

from __future__ import annotations

from agents.present.phrases import Table
from core.i18n import t, worded
from core.types import Language
from data.schema import feature_label
from models.health.drift import DriftMeasure, DriftReport, kind_of


def measure_label(name: str, kind: str, lang: Language) -> str:
    """A feature's plain name, or what the score measure is (churn score, expected churn rate,
    customers per risk level or value tier)."""
    return feature_label(name, lang) if kind == "feature" else t(f"health.measure.{kind}", lang)


def _figure(value: float, statistic: str) -> str:
    # PSI is a plain index; a difference of churn rates reads in percentage points.
    return f"{value:.3f}" if statistic == "psi" else f"{value * 100:+.1f} pt"


def drift_line(shifted: bool | None, measures: list[str], note: dict | None, lang: Language) -> str:
    """One line on a run: shifted (and in which of its `measures`), steady, or not measured
    (and why: `note`, a phrase in its JSON form)."""
    if shifted is None:
        reason = worded(note, lang) if note else t("health.no_measure", lang)
        return t("health.unmeasured", lang, reason=reason)
    if not shifted:
        return t("health.steady", lang)
    names = [measure_label(name, kind_of(name), lang) for name in measures]
    return t("health.shifted", lang, measures=worded(names, lang))


def _row(measure: DriftMeasure, lang: Language) -> tuple[str, ...]:
    # The short columns first: a terminal table keeps its first column whole and wraps the
    # last, which suits a measure's name.
    return (
        t("health.yes" if measure.shifted else "health.no", lang),
        _figure(measure.value, measure.statistic),
        _figure(measure.threshold, measure.statistic).lstrip("+"),
        _figure(measure.noise, measure.statistic).lstrip("+"),
        t(f"health.statistic.{measure.statistic}", lang),
        measure_label(measure.name, measure.kind, lang),
    )


def drift_table(report: DriftReport, lang: Language, only_shifted: bool = False) -> Table:
    """Every measure, the most moved (relative to its threshold) first."""
    ranked = report.worst(len(report.measures))
    rows = tuple(_row(m, lang) for m in ranked if m.shifted or not only_shifted)
    headers = tuple(
        t(f"health.column.{c}", lang)
        for c in ("shifted", "value", "threshold", "chance", "statistic", "measure")
    )
    return Table(headers=headers, rows=rows)
