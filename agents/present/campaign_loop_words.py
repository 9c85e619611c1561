"""The campaign loop in words: a campaign's plan (the smallest effect it can detect), its
results (effect with its interval, what it is worth, the decisions per offer), the next
campaign's targets, and an export's exclusions — the lines and tables the CLI and the
Campaigns tab both show."""

from __future__ import annotations

import pandas as pd

from core.formats import currency
from core.i18n import t
from core.types import Language
from tools.campaigns.planning import CampaignDraft
from tools.campaigns.results import CampaignResults, GroupResults
from tools.campaigns.targeting import Targets
from tools.offers.playbook import Playbook, load_playbook


def points(value: float | None, lang: Language) -> str:
    """A difference of two shares in percentage points (a dash when there is none)."""
    return "—" if value is None else t("campaigns.points", lang, value=f"{value * 100:.1f}")


def campaign_line(row, lang: Language) -> str:
    """One campaign in a sentence: its choices, stage, dates, owner and arms (`row`: a row of
    the store's campaigns with its arm counts)."""
    separator = t("list.separator", lang)
    return t(
        "campaigns.summary",
        lang,
        id=row["id"],
        name=row["name"],
        status=t(f"campaigns.status.{row['status']}", lang),
        offers=separator.join(row["offers"]) or t("campaigns.any_offer", lang),
        channels=separator.join(t(f"exports.channel.{c}", lang) for c in row["channels"]),
        starts=row["starts_on"],
        ends=row["ends_on"],
        owner=row["owner"],
        run=row["run_id"],
        treated=f"{row['treated']:,}",
        control=f"{row['control']:,}",
        share=f"{row['holdout_share']:.0%}",
    )


def plan_lines(draft: CampaignDraft, lang: Language) -> list[str]:
    """The smallest effect the campaign can detect against what its offers expect, and a
    warning when it is too small."""
    lines = [
        t(
            "campaigns.detectable",
            lang,
            mde=points(draft.detectable_effect, lang),
            expected=points(draft.expected_effect, lang),
        )
    ]
    if draft.detectable_effect is None:
        lines.append(t("campaigns.undetectable", lang))
    elif draft.too_small:
        lines.append(t("campaigns.too_small", lang))
    return lines


def why_inconclusive(group: GroupResults, lang: Language) -> str:
    effect = group.effect
    if effect is not None and effect.conclusive and group.needed_per_arm:
        control, needed = f"{effect.control:,}", f"{group.needed_per_arm:,}"
        return t("outcomes.why_small", lang, control=control, needed=needed)
    return t("outcomes.why_spans_zero", lang)


def _money_range(value, lang: Language) -> str:
    if value is None:
        return "—"
    return t(
        "outcomes.money_range",
        lang,
        value=currency(value.value, lang),
        low=currency(value.low, lang),
        high=currency(value.high, lang),
    )


def results_lines(found: CampaignResults, lang: Language) -> list[str]:
    """How many outcomes are in, the effect with its interval and method, what it is worth,
    and whether it is enough to conclude."""
    lines = [
        t(
            "outcomes.results",
            lang,
            id=found.campaign_id,
            measured=f"{found.with_outcome:,}",
            members=f"{found.members:,}",
        )
    ]
    overall = found.overall
    effect = overall.effect
    if effect is None:
        return [*lines, t("outcomes.no_outcomes", lang, id=found.campaign_id)]
    lines.append(
        t(
            "outcomes.effect",
            lang,
            treated_rate=f"{effect.treated_rate:.1%}",
            treated=f"{effect.treated:,}",
            control_rate=f"{effect.control_rate:.1%}",
            control=f"{effect.control:,}",
            difference=points(effect.difference, lang),
            low=points(effect.low, lang),
            high=points(effect.high, lang),
            cost=currency(overall.cost, lang),
        )
    )
    if overall.kept is not None:
        kept = overall.kept
        lines.append(
            t(
                "outcomes.worth",
                lang,
                kept=f"{kept.value:.1f}",
                low=f"{kept.low:.1f}",
                high=f"{kept.high:.1f}",
                revenue=_money_range(overall.revenue_saved, lang),
                clv=_money_range(overall.clv_saved, lang),
                ret=_return(overall, lang),
            )
        )
    if overall.conclusive:
        lines.append(t("outcomes.conclusive", lang))
    else:
        lines.append(t("outcomes.inconclusive", lang, why=why_inconclusive(overall, lang)))
    return lines


def _return(group: GroupResults, lang: Language) -> str:
    value = group.return_on_cost
    return "—" if value is None else f"{value:+.0%}"


def offer_frame(
    found: CampaignResults,
    decisions: pd.DataFrame,
    lang: Language,
    playbook: Playbook | None = None,
) -> pd.DataFrame:
    """One row per offer: treated against the controls it would have had, the effect, what it
    is worth and cost, its return, and how many of its recommendations people accepted and
    rejected."""
    playbook = playbook or load_playbook()
    decided = decisions.set_index("offer_id") if len(decisions) else None
    offers = sorted(set(found.by_offer) | (set(decided.index) if decided is not None else set()))
    rows = []
    for offer_id in offers:
        group = found.by_offer.get(offer_id)
        effect = group.effect if group else None
        marks = decided.loc[offer_id] if decided is not None and offer_id in decided.index else None
        rows.append(
            {  # the title last: a table's first column never wraps, and titles are long
                "treated": group.treated if group else 0,
                "control": group.control if group else 0,
                "effect": (
                    t(
                        "outcomes.interval",
                        lang,
                        difference=points(effect.difference, lang),
                        low=points(effect.low, lang),
                        high=points(effect.high, lang),
                    )
                    if effect
                    else "—"
                ),
                "clv_saved": _money_range(group.clv_saved, lang) if group else "—",
                "cost": currency(group.cost, lang) if group else "—",
                "return": _return(group, lang) if group else "—",
                "verdict": t(
                    "outcomes.shown" if group and group.conclusive else "outcomes.not_shown", lang
                ),
                "accepted": int(marks["accepted"]) if marks is not None else 0,
                "rejected": int(marks["rejected"]) if marks is not None else 0,
                "offer": playbook.get(offer_id).title_in(lang),
            }
        )
    frame = pd.DataFrame(rows)
    return frame.rename(columns={c: t(f"outcomes.column.{c}", lang) for c in frame.columns})


def targets_lines(targets: Targets, lang: Language) -> list[str]:
    """The verdict on persuadability: a segment found, or plainly none."""
    verdict = targets.verdict
    values = {
        "most": points(verdict.most_affected.difference, lang),
        "least": points(verdict.least_affected.difference, lang),
        "z": f"{verdict.z:.2f}",
    }
    key = "targets.none" if targets.ranking is None else "targets.persuadable"
    return [t(key, lang, **values)]


def targets_frame(ranking: pd.DataFrame, lang: Language) -> pd.DataFrame:
    return pd.DataFrame(
        {
            t("targets.column.customer", lang): ranking["customer_id"],
            t("targets.column.uplift", lang): [points(u, lang) for u in ranking["uplift"]],
            t("targets.column.value", lang): [currency(v, lang) for v in ranking["value"]],
            t("targets.column.value_moved", lang): [
                currency(v, lang) for v in ranking["value_moved"]
            ],
        }
    )


def export_lines(
    files: dict[str, str], contacts: dict[str, int], excluded_customers: int, lang: Language
) -> list[str]:
    """What an export wrote per channel (`files`: the name shown for each), and how many
    customers the contact policy kept off at least one channel."""
    lines = [
        t(
            "exports.written",
            lang,
            channel=t(f"exports.channel.{channel}", lang),
            count=f"{contacts[channel]:,}",
            file=name,
        )
        for channel, name in files.items()
    ]
    if excluded_customers:
        lines.append(t("exports.excluded", lang, count=f"{excluded_customers:,}"))
    else:
        lines.append(t("exports.none_excluded", lang))
    return lines


def exclusion_frame(counts: pd.DataFrame, lang: Language) -> pd.DataFrame:
    """Customers excluded per reason and channel, in words."""
    return pd.DataFrame(
        {
            t("exports.column.reason", lang): [
                t(f"exports.reason.{r}", lang) for r in counts["reason"]
            ],
            t("exports.column.channel", lang): [
                t(f"exports.channel.{c}", lang) for c in counts["channel"]
            ],
            t("exports.column.customers", lang): counts["customers"].astype(int),
        }
    )
