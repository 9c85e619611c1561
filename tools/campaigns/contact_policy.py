"""Who may be contacted, by which channel, before a campaign is exported.

Every (customer, channel) the campaign would send is checked in this order, and the first
rule it breaks is its reason:

1. `not_approved` — a person sent the messages back or ignored them;
2. `quiet_hours` — the planned send time falls in the channel's quiet hours;
3. `no_consent` — the data's consent column for the channel (`consent_sms`, …) says No;
4. `suppressed` — the suppression list names the customer for the channel (or all channels);
5. `sms_too_long` — the SMS no longer fits one segment;
6. `frequency_cap` — the customer has had `cap` contacts within the window across other
   campaigns; channels are kept in the campaign's order until the cap is reached.

Pure pandas: the files and the database are read by `crm_agents/exports.py`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import time

import pandas as pd

from core.quiet_hours import QuietHours
from core.sms import sms_problem
from core.types import Language
from data.schema import CONSENT_COLUMNS

REASONS = (
    "not_approved",
    "quiet_hours",
    "no_consent",
    "suppressed",
    "sms_too_long",
    "frequency_cap",
)


@dataclass(frozen=True)
class ContactRules:
    channels: tuple[str, ...]
    cap: int
    window_days: int
    quiet: dict[str, QuietHours]
    send_at: time | None = None


def contact_plan(
    items: pd.DataFrame,
    rules: ContactRules,
    consent: pd.DataFrame | None,
    suppressed: pd.DataFrame,
    prior_contacts: pd.Series,
    language: Language,
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(contacts, exclusions). `items`: one row per treated customer with `customer_id`,
    `status` (the decision) and `sms`; `consent`: `customer_id` and any consent columns;
    `suppressed`: `customer_id`, `channel` ("all" for every channel); `prior_contacts`: contacts
    per customer within the window in other campaigns. Contacts are (customer_id, channel) in
    the items' order; each exclusion has its reason and a detail."""
    pairs = pd.DataFrame(
        [(c, ch) for c in items["customer_id"] for ch in rules.channels],
        columns=["customer_id", "channel"],
    )
    reason = pd.Series(None, index=pairs.index, dtype=object)
    detail = pd.Series("", index=pairs.index, dtype=object)

    def rule(mask: pd.Series, name: str, why: pd.Series | str = "") -> None:
        hit = mask & reason.isna()
        reason[hit] = name
        detail[hit] = why[hit] if isinstance(why, pd.Series) else why

    status = pairs["customer_id"].map(items.set_index("customer_id")["status"])
    rule(~status.isin(("accept", "edit")), "not_approved", status)
    if rules.send_at is not None:
        for channel, hours in rules.quiet.items():
            if hours.covers(rules.send_at):
                rule(pairs["channel"] == channel, "quiet_hours", str(hours))
    if consent is not None:
        by_customer = consent.set_index("customer_id")
        for channel, column in CONSENT_COLUMNS.items():
            if column in by_customer:
                said_no = pairs["customer_id"].map(by_customer[column].eq("No"))
                rule(
                    (pairs["channel"] == channel) & said_no.fillna(False).astype(bool),
                    "no_consent",
                    column,
                )
    listed = set(zip(suppressed["customer_id"], suppressed["channel"], strict=True))
    rule(
        pd.Series(
            [(c, ch) in listed or (c, "all") in listed for c, ch in pairs.itertuples(index=False)],
            index=pairs.index,
        ),
        "suppressed",
    )
    sms = pairs["customer_id"].map(items.set_index("customer_id")["sms"])
    too_long = (pairs["channel"] == "sms") & sms.map(
        lambda text: isinstance(text, str) and sms_problem(text, language) is not None
    )
    rule(too_long, "sms_too_long")
    # The cap last: only channels that passed everything else use up a customer's contacts.
    room = rules.cap - pairs["customer_id"].map(prior_contacts).fillna(0).astype(int)
    used = reason.isna().groupby(pairs["customer_id"]).cumsum()
    rule(used > room, "frequency_cap", f"{rules.cap} in {rules.window_days} days")
    contacts = pairs[reason.isna()].reset_index(drop=True)
    excluded = pairs.assign(reason=reason, detail=detail)[reason.notna()].reset_index(drop=True)
    return contacts, excluded
