"""One presenter per object a user reads: its words and figures, in the user's language.

The app (Markdown), the command line (rich) and the chat (Markdown) format the same result;
each takes from here what to say — headings, labels, table rows, the call script's lines — and
only adds its own markup. Every figure is formatted here, once; every word comes from the
phrase catalogue.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from agents.outputs import ChurnReasons, RiskAssessment
from agents.trace import OFFLINE, TraceStep, note_words
from core.formats import currency, duration_months, percent
from core.i18n import has, t
from core.types import Language
from data.schema import BINARY_INT_COLUMNS, CATEGORICAL_VALUES, feature_label
from tools.schemas import Driver, SegmentChurn


@dataclass(frozen=True)
class Table:
    """Headers and rows of text, ready for any medium."""

    headers: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]

    def markdown(self, cell: Callable[[str], str] = lambda text: text) -> str:
        lines = [
            "| " + " | ".join(cell(h) for h in self.headers) + " |",
            "|" + "---|" * len(self.headers),
            *["| " + " | ".join(cell(c) for c in row) + " |" for row in self.rows],
        ]
        return "\n".join(lines)


# ---- risk ----------------------------------------------------------------------------------


def value_in_words(feature: str, value: object, lang: Language) -> str:
    """A profile value as a user reads it: category values in words, others as they are."""
    words = feature in CATEGORICAL_VALUES or feature in BINARY_INT_COLUMNS
    key = f"value.{value}"
    return t(key, lang) if words and has(key, lang) else str(value)


#: How a numeric field reads: money with its currency, a share as a percentage, tenure in time.
_FIELD_FORMATS: dict[str, Callable[[float, Language], str]] = {
    "MonthlyCharges": currency,
    "TotalCharges": currency,
    "tenure": duration_months,
    "usage_drop_rate": lambda share, _: percent(share),
}


def field_value(feature: str, value: object, lang: Language) -> str:
    """A customer's field as a table or chart shows it: words, currency, percent or duration."""
    shown = _FIELD_FORMATS.get(feature)
    if shown is not None and isinstance(value, int | float) and not isinstance(value, bool):
        return shown(value, lang)
    return value_in_words(feature, value, lang)


def risk_headline(risk: RiskAssessment, lang: Language) -> str:
    return t(
        "present.headline",
        lang,
        probability=percent(risk.probability),
        risk=t(f"risk_level.{risk.risk_level}", lang),
        tier=t(f"value_tier.{risk.value_tier}", lang),
        at_stake=currency(risk.value_at_risk, lang),
        months=risk.clv_horizon_months,
    )


def money_at_stake(risk: RiskAssessment, lang: Language) -> str:
    return t(
        "present.monthly",
        lang,
        monthly=currency(risk.monthly_charges, lang),
        at_stake=currency(risk.value_at_risk, lang),
        months=risk.clv_horizon_months,
    )


def model_name(model: str, lang: Language, survival: bool = False) -> str:
    """A churn-model (or time-to-churn) candidate in words (an unknown name, e.g. a newer
    model's, as it is)."""
    key = f"model_card.{'survival_name' if survival else 'name'}.{model}"
    return t(key, lang) if has(key, lang) else model


def writer_name(written_by: str, lang: Language) -> str:
    """Who wrote a text: the offline writer in words, an LLM by its model and host."""
    return t("present.offline_writer", lang) if written_by == OFFLINE else written_by


def tool_name(tool: str, lang: Language) -> str:
    """A tool by what it does; an unknown one by its name."""
    return t(f"tool.{tool}", lang) if has(f"tool.{tool}", lang) else tool


def trace_note(step: TraceStep, lang: Language) -> str:
    """A step's note in words of `lang` (a note from elsewhere, such as an error, as it is)."""
    if step.note_key:
        return note_words(step.note_key, step.note_values, lang)
    return step.note or ""


def node_name(node: str, lang: Language) -> str:
    """A graph node by the agent it is (an unknown node by its name)."""
    return t(f"node.{node}", lang) if has(f"node.{node}", lang) else node


def written_by(writer: str, lang: Language) -> str:
    return t("present.written_by", lang, writer=writer_name(writer, lang))


def driver_value(driver: Driver, lang: Language) -> str:
    shown = field_value(driver.feature, driver.value, lang)
    return shown + (t("present.simulated_mark", lang) if driver.simulated else "")


def driver_label(driver: Driver, lang: Language) -> str:
    return t(
        "present.driver.label",
        lang,
        feature=feature_label(driver.feature, lang),
        value=driver_value(driver, lang),
    )


def actionable_driver(feature: str | None, lang: Language) -> str:
    """The strongest driver an offer can change, in words; a dash when none pushes to churn."""
    return feature_label(feature, lang) if feature else t("word.none", lang)


def similar_line(similar: SegmentChurn, lang: Language) -> str:
    """How often customers like this one leave (observed), or are predicted to."""
    if similar.tenure_to is None:
        tenure = t("present.similar.band_open", lang, low=similar.tenure_from)
    else:
        tenure = t("present.similar.band", lang, low=similar.tenure_from, high=similar.tenure_to)
    return t(
        f"present.similar.{similar.basis}",
        lang,
        contract=value_in_words("Contract", similar.contract, lang),
        internet=value_in_words("InternetService", similar.internet_service, lang),
        tenure=tenure,
        count=f"{similar.customers:,}",
        rate=percent(similar.churn_rate),
    )


def actionable_line(driver: Driver | None, lang: Language) -> str:
    """The strongest driver an offer can change, with the customer's value."""
    if driver is None:
        return t("present.actionable.none", lang)
    return t("present.actionable.line", lang, driver=driver_label(driver, lang))


def driver_table(drivers: Iterable[Driver], lang: Language) -> Table:
    rows = tuple(
        (
            feature_label(d.feature, lang),
            driver_value(d, lang),
            f"{d.contribution:+.3f}",
            t("present.driver.raises" if d.contribution > 0 else "present.driver.lowers", lang),
        )
        for d in drivers
    )
    headers = tuple(
        t(f"present.driver.{k}", lang) for k in ("feature", "value", "contribution", "effect")
    )
    return Table(headers, rows)


def column_label(column: str, lang: Language) -> str:
    """A column of the profile or the scores, in words."""
    key = f"column.{column}"
    return t(key, lang) if has(key, lang) else feature_label(column, lang)


def group_in_words(column: str, value: str, lang: Language) -> str:
    """A group's value: a tier or level in words, a category value in words."""
    if column in ("risk_level", "value_tier"):
        return t(f"word.{value}", lang)
    return value_in_words(column, value, lang)


# ---- reasons -------------------------------------------------------------------------------


@dataclass(frozen=True)
class ReasonsView:
    heading: str
    reasons: tuple[tuple[str, str], ...]
    warnings_heading: str
    warnings: tuple[str, ...]
    background: str
    simulated_note: str | None

    def titles(self, lang: Language) -> tuple[str, ...]:
        return tuple(title for title, _ in self.reasons) or (t("present.reasons.none", lang),)


def reasons_view(reasons: ChurnReasons, lang: Language) -> ReasonsView:
    signals = t("list.separator", lang).join(
        feature_label(s, lang) for s in reasons.simulated_signals
    )
    return ReasonsView(
        heading=t("present.reasons.heading", lang),
        reasons=tuple((r.title, r.explanation) for r in reasons.reasons),
        warnings_heading=t("present.reasons.warnings", lang),
        warnings=tuple(reasons.warning_signs),
        background=reasons.background,
        simulated_note=t("present.reasons.simulated", lang, signals=signals) if signals else None,
    )
