"""What a dev-set answer must hold, computed here from the product's own scores and data — never
typed into the conversations. A conversation names customers by role (`{high}`, `{low}`, …) and
figures by what they are (`{ share = { of = {...}, within = {...} } }`); this module turns each
into the strings an answer has to contain, in the conversation's language.

Figures are computed with pandas from the scored table and the raw columns (counts, shares,
observed churn rates, means, revenue at risk, group maxima), or read from the customer tools the
answer should have used (an offer's title, a what-if's new probability): the first kind checks
the router's arithmetic, the second that the right tool's result reached the answer.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import pandas as pd

from agents.present import phrases
from core import formats
from core.i18n import t
from core.types import Language
from crm_agents.composition import Assembly

#: Roles a conversation may name customers by; each is filled from the scored table.
ROLES = ("high", "high2", "high3", "medium", "low", "low2")
#: An ID in the right shape that no customer has (a question about a stranger).
UNKNOWN_ID = "0000-ZZZZZ"


@dataclass(frozen=True)
class Expected:
    """Strings an answer must contain (`present`; each one of the alternatives in `any_of`)
    and must not (`absent`)."""

    present: tuple[str, ...] = ()
    absent: tuple[str, ...] = ()
    any_of: tuple[tuple[str, ...], ...] = ()


class Facts:
    """The figures of the data in use, for the dev set's expectations."""

    def __init__(self, app: Assembly) -> None:
        self.app = app
        service = app.service
        scores = service.scores().set_index("customerID")
        self.table = service.customers.set_index("customerID").loc[scores.index].join(scores)
        high = list(scores.index[scores.risk_level == "high"])
        medium = list(scores.index[scores.risk_level == "medium"])
        low = list(scores.index[scores.risk_level == "low"])
        self.customers = {
            "high": high[0],
            "high2": high[1],
            "high3": high[2],
            "medium": medium[0],
            "low": low[0],
            "low2": low[1],
            "unknown": UNKNOWN_ID,
        }
        if UNKNOWN_ID in self.table.index:
            raise ValueError(f"{UNKNOWN_ID} is a customer here: pick another unknown ID")

    # ---- placeholders ---------------------------------------------------------------------
    def fill(self, text: str) -> str:
        """`text` with every `{role}` (and `{role_lower}`, `{role_nodash}`) replaced by an ID."""
        for role, cid in self.customers.items():
            text = text.replace(f"{{{role}_lower}}", cid.lower())
            text = text.replace(f"{{{role}_nodash}}", cid.replace("-", ""))
            text = text.replace(f"{{{role}}}", cid)
        return text

    def filled(self, value: Any) -> Any:
        if isinstance(value, str):
            return self.fill(value)
        if isinstance(value, list):
            return [self.filled(v) for v in value]
        if isinstance(value, dict):
            return {k: self.filled(v) for k, v in value.items()}
        return value

    # ---- figures --------------------------------------------------------------------------
    def rows(self, where: Mapping[str, Any] | None) -> pd.DataFrame:
        """The customers matching every condition: a value, a list of values, or
        `{ at_least = …, at_most = … }`."""
        table = self.table
        mask = pd.Series(True, index=table.index)
        for column, wanted in (where or {}).items():
            values = table[column]
            if isinstance(wanted, dict):
                if "at_least" in wanted:
                    mask &= values >= wanted["at_least"]
                if "at_most" in wanted:
                    mask &= values <= wanted["at_most"]
            else:
                allowed = wanted if isinstance(wanted, list) else [wanted]
                mask &= values.isin(allowed)
        return table[mask]

    @staticmethod
    def churn_rate(rows: pd.DataFrame) -> float:
        return float((rows.Churn == "Yes").mean())

    def group_extreme(self, column: str, measure: str, order: str, within: Mapping | None) -> str:
        rows = self.rows(within)
        if measure == "churn_rate":
            by_group = rows.groupby(column).Churn.apply(lambda c: (c == "Yes").mean())
        elif measure == "mean_probability":
            by_group = rows.groupby(column).churn_probability.mean()
        elif measure == "count":
            by_group = rows.groupby(column).size()
        elif measure == "revenue_at_risk":
            by_group = (rows.churn_probability * rows.monthly_charges).groupby(rows[column]).sum()
        else:
            raise ValueError(f"no group measure {measure!r}")
        return str(by_group.idxmax() if order == "max" else by_group.idxmin())

    # ---- expectations ---------------------------------------------------------------------
    def expected(self, spec: Mapping[str, Any], lang: Language) -> Expected:
        """The strings one expectation (`spec`, one key) asks of an answer in `lang`."""
        if len(spec) != 1:
            raise ValueError(f"an expectation has one kind, not {sorted(spec)}")
        ((kind, arg),) = spec.items()
        pct, money = formats.percent, formats.currency
        if kind == "contains":
            return Expected(tuple(arg if isinstance(arg, list) else [arg]))
        if kind == "absent":
            return Expected(absent=tuple(arg if isinstance(arg, list) else [arg]))
        if kind == "any_of":
            return Expected(any_of=(tuple(arg),))
        if kind == "customers":
            return Expected(tuple(self.customers[role] for role in arg))
        if kind == "probability":
            return Expected((pct(self.table.churn_probability[self.customers[arg]]),))
        if kind == "risk_word":
            level = self.table.risk_level[self.customers[arg]]
            return Expected((t(f"risk_level.{level}", lang),))
        if kind == "offer":
            desk = self.app.kits.default.desk.evaluate(self.customers[arg])
            title = self.app.playbook.get(desk.options[0].offer_id).title_in(lang)
            return Expected((title,))
        if kind == "what_if":
            cid = self.customers[arg["customer"]]
            after = self.app.service.what_if(cid, arg["change"]).probability_after
            return Expected((pct(after),))
        if kind == "count":
            return Expected((f"{len(self.rows(arg)):,}",))
        if kind == "share":
            within = self.rows(arg.get("within"))
            part = within.index.isin(self.rows({**arg.get("within", {}), **arg["of"]}).index)
            return Expected((pct(part.mean()),))
        if kind == "churn_rate":
            return Expected((pct(self.churn_rate(self.rows(arg))),))
        if kind == "churn_rates_by":
            rows = self.rows(arg.get("within"))
            rates = rows.groupby(arg["column"]).Churn.apply(lambda c: (c == "Yes").mean())
            return Expected(tuple(pct(v) for v in rates))
        if kind == "mean_probability":
            return Expected((pct(self.rows(arg).churn_probability.mean()),))
        if kind == "mean_of":
            value = self.rows(arg.get("within"))[arg["column"]].mean()
            return Expected((f"{value:,.2f}" if arg["column"] != "tenure" else f"{value:,.1f}",))
        if kind == "revenue_at_risk":
            rows = self.rows(arg)
            return Expected((money((rows.churn_probability * rows.monthly_charges).sum(), lang),))
        if kind == "top_group":
            value = self.group_extreme(
                arg["column"], arg["measure"], arg.get("order", "max"), arg.get("within")
            )
            return Expected((phrases.value_in_words(arg["column"], value, lang),))
        if kind == "top_customers":
            rows = self.rows(arg.get("within"))
            top = rows.sort_values("churn_probability", ascending=False).index[: arg["n"]]
            return Expected(tuple(top))
        if kind == "clv":
            return Expected((money(self.table.clv[self.customers[arg]], lang),))
        if kind == "months_left":
            months = self.table.median_months_left[self.customers[arg]]
            return Expected((formats.duration_months(int(months), lang),))
        if kind == "chance_90d":
            return Expected((pct(self.table.churn_within_90d[self.customers[arg]]),))
        if kind == "read_only":  # the refusal's first clause, in the asker's language
            return Expected((t("chat.read_only", lang).split(":")[0].split("，")[0],))
        if kind == "which_customer":  # the question back, naming the candidates
            asked = t("chat.which_one", lang, candidates="|").split("|")[0]
            return Expected((asked, *(self.customers[role] for role in arg)))
        if kind == "not_found":
            return Expected((UNKNOWN_ID,), absent=(pct(0.0),))
        raise ValueError(f"no expectation of kind {kind!r}")
