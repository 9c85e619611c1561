"""Model health in words: what each drift measure is, whether a run moved from the model's
training data, a run's measures as a table (the CLI, the app and the API's `summary`), and a
customer's risk run by run with why it changed (the chat, Analyze and the CLI)."""

from __future__ import annotations

from agents.present.phrases import Table, field_value, model_name
from core.formats import percent
from core.i18n import t, worded
from core.types import Language
from data.schema import feature_label
from models.health.accuracy import MonthAccuracy
from models.health.drift import DriftMeasure, DriftReport, kind_of
from models.health.history import DriverChange, RiskChange
from models.health.registry import ModelVersion
from tools.service.risk_history import RiskHistory


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


#: Drivers named in a "why it changed" reading; the rest moved less.
SHOWN_DRIVERS = 5
#: A driver whose log-odds moved less than this is not named.
_NEGLIGIBLE = 0.01


def _level(level: str, lang: Language) -> str:
    return t(f"risk_level.{level}", lang) if level in ("high", "medium", "low") else level


def trend_line(history: RiskHistory, lang: Language) -> str:
    """The customer's probability run by run (oldest first)."""
    steps = [
        t("health.history.step", lang, run=p.run_id, probability=percent(p.probability))
        for p in history.points
    ]
    return t("health.history.trend", lang, steps=" → ".join(steps))


def _cause(change: RiskChange, lang: Language) -> str:
    if not change.split:
        return t("health.history.cause_unsplit", lang)
    if not change.model_changed:
        return t("health.history.cause_customer", lang)
    customer = change.customer_part or 0.0
    if abs(customer) < _NEGLIGIBLE:
        return t("health.history.cause_model", lang)
    return t(
        "health.history.cause_both",
        lang,
        customer=f"{customer:+.2f}",
        model=f"{change.model_part or 0.0:+.2f}",
    )


def _driver_line(driver: DriverChange, change: RiskChange, lang: Language) -> str:
    name = feature_label(driver.feature, lang)
    if driver.value_changed:
        before = field_value(driver.feature, driver.value_before, lang)
        after = field_value(driver.feature, driver.value_after, lang)
        what = t("health.history.value_moved", lang, feature=name, before=before, after=after)
    else:
        what = t("health.history.value_same", lang, feature=name)
    whose = ""
    if change.split and change.model_changed and driver.customer is not None:
        whose = t(
            "health.history.driver_parts",
            lang,
            customer=f"{driver.customer:+.2f}",
            model=f"{driver.model or 0.0:+.2f}",
        )
    return t("health.history.driver", lang, what=what, total=f"{driver.total:+.2f}", whose=whose)


def history_lines(history: RiskHistory, lang: Language) -> list[str]:
    """The trend, then (when it moved by the margin) how much, whose change it was and the
    drivers that moved it most."""
    who = history.customer_id
    if not history.points:
        return [t("health.history.none", lang, customer=who)]
    last = history.points[-1]
    if len(history.points) == 1:
        return [
            t(
                "health.history.one",
                lang,
                customer=who,
                run=last.run_id,
                probability=percent(last.probability),
                level=_level(last.risk_level, lang),
            )
        ]
    before = history.points[-2]
    lines = [trend_line(history, lang)]
    points = (last.probability - before.probability) * 100
    values = {
        "customer": who,
        "before": percent(before.probability),
        "after": percent(last.probability),
        "run_before": before.run_id,
        "run_after": last.run_id,
        "level_before": _level(before.risk_level, lang),
        "level_after": _level(last.risk_level, lang),
        "points": f"{points:+.1f}",
        "size": f"{abs(points):.1f}",
        "margin": f"{history.margin * 100:.0f}",
    }
    if not history.moved:
        return [*lines, t("health.history.steady", lang, **values)]
    key = "health.history.up" if points > 0 else "health.history.down"
    lines.append(t(key, lang, **values))
    change = history.change
    if change is None:  # runs stored before contributions were kept
        return [*lines, t("health.history.unexplained", lang)]
    lines.append(_cause(change, lang))
    moved = [d for d in change.drivers if abs(d.total) >= _NEGLIGIBLE][:SHOWN_DRIVERS]
    lines += [_driver_line(d, change, lang) for d in moved]
    # Inputs that changed but hardly moved the score: said, so no one looks for them in vain.
    idle = [d for d in change.drivers if d.value_changed and abs(d.total) < _NEGLIGIBLE]
    if idle:
        changes = [
            t(
                "health.history.value_moved",
                lang,
                feature=feature_label(d.feature, lang),
                before=field_value(d.feature, d.value_before, lang),
                after=field_value(d.feature, d.value_after, lang),
            )
            for d in idle
        ]
        lines.append(t("health.history.no_effect", lang, changes=worded(changes, lang)))
    if change.model_changed and abs(change.base_change) >= _NEGLIGIBLE:
        lines.append(t("health.history.base", lang, change=f"{change.base_change:+.2f}"))
    return lines


def _auc(value: float | None) -> str:
    return "—" if value is None else f"{value:.3f}"


def accuracy_table(months: list[MonthAccuracy], card_roc_auc: float, lang: Language) -> Table:
    """Estimated and realised accuracy side by side, month by month (newest first), against
    the model card's cross-validated ROC-AUC."""
    rows = []
    for m in months:
        seen = m.realised
        estimated = _auc(m.estimated_roc_auc)
        if m.estimate_reliable is False:
            estimated = t("health.accuracy.unreliable", lang, value=estimated)
        rows.append(
            (
                m.month,
                str(m.run_id),
                estimated,
                _auc(seen.roc_auc) if seen else t("health.accuracy.waiting", lang),
                f"{seen.rows:,}" if seen else "0",
                _auc(m.estimated_brier),
                _auc(seen.brier) if seen else "—",
                f"{seen.calibration_gap * 100:.1f} pt" if seen else "—",
                t("health.yes" if m.dropped else "health.no", lang),
            )
        )
    headers = tuple(
        t(f"health.accuracy.{c}", lang, card=f"{card_roc_auc:.3f}")
        for c in (
            "month",
            "run",
            "estimated_auc",
            "realised_auc",
            "outcomes",
            "estimated_brier",
            "realised_brier",
            "gap",
            "dropped",
        )
    )
    return Table(headers=headers, rows=tuple(rows))


def versions_table(versions: list[ModelVersion], lang: Language) -> Table:
    """Every model version kept, the live one marked, and how each challenger compared."""
    rows = tuple(
        (
            v.id,
            t(f"registry.status.{v.status}", lang),
            model_name(v.model, lang),
            t(f"retrain.data_{v.data_kind}", lang, name=v.data_name, rows=f"{v.data_rows:,}"),
            (
                f"{v.comparison.roc_auc_champion:.4f} → {v.comparison.roc_auc_challenger:.4f}"
                if v.comparison
                else "—"
            ),
            f"{v.decided_by} {v.decided_at:%Y-%m-%d}" if v.decided_at else "—",
        )
        for v in versions
    )
    headers = tuple(
        t(f"retrain.column.{c}", lang)
        for c in ("id", "status", "model", "dataset", "auc", "decided")
    )
    return Table(headers=headers, rows=rows)


def alerts_table(alerts: list[dict], lang: Language) -> Table:
    """Open risk alerts: who, what happened, from what to what, whose task."""
    rows = tuple(
        (
            str(a["run_id"]),
            a["customer_id"],
            t(f"health.alert.{a['kind']}", lang),
            f"{percent(a['probability_before'])} → {percent(a['probability_after'])}",
            a["owner"],
        )
        for a in alerts
    )
    headers = tuple(
        t(f"health.alert.column.{c}", lang) for c in ("run", "customer", "kind", "change", "owner")
    )
    return Table(headers=headers, rows=rows)
