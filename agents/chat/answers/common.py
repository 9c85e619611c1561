"""What every skill's answer starts from: this turn's tool results (`Results`: each tool's
payloads in call order, a refusal as its message), the data in use (`Reference`), and the first
result of a tool or the first refusal among them."""

from __future__ import annotations

from dataclasses import dataclass

from agents.present import phrases
from core.i18n import t
from core.types import Language
from data.schema import CUSTOMER_ID_EXAMPLE
from tools.offers.playbook import Playbook
from tools.refusals import refusal_words

Results = dict[str, list[dict | str]]
#: Only when no data is at hand; the chat passes IDs of the table in use.
EXAMPLES = (CUSTOMER_ID_EXAMPLE, "5575-GNVDE")


@dataclass(frozen=True)
class Reference:
    """What the offline router knows of the data in use, for help texts: the offer playbook
    (titles in each language), two IDs of the table, and what the example questions are built
    from — the riskiest customer, the category value most high-risk customers share, a column
    to compare groups by, and whether the data says who actually churned."""

    playbook: Playbook
    examples: tuple[str, str] = EXAMPLES
    riskiest: str = EXAMPLES[0]
    segment: tuple[str, str] = ("Contract", "Month-to-month")
    group_by: str = "InternetService"
    has_labels: bool = True

    def tries(self, lang: Language) -> list[str]:
        """Three questions the router answers on this data, in `lang`."""
        column, value = self.segment
        rate = "chat.try_rate" if self.has_labels else "chat.try_probability"
        return [
            t("chat.try_why", lang, customer=self.riskiest),
            t(
                "chat.try_count",
                lang,
                column=phrases.column_label(column, lang),
                value=phrases.value_in_words(column, value, lang),
            ),
            t(rate, lang, column=phrases.column_label(self.group_by, lang)),
        ]

    def help(self, lang: Language) -> str:
        words = {"example": self.examples[0], "other": self.examples[1]}
        tries = "\n".join(f"- {question}" for question in self.tries(lang))
        return t("chat.help", lang, **words) + "\n\n" + t("chat.try", lang) + "\n" + tries


def first_result(results: Results, tool: str) -> dict | str | None:
    found = results.get(tool) or []
    return found[0] if found else None


def tool_error(results: Results, lang: Language) -> str | None:
    found = (p for payloads in results.values() for p in payloads if isinstance(p, str))
    payload = next(found, None)
    return None if payload is None else refusal_words(payload, lang)
