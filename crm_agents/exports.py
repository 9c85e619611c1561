"""A ready campaign exported for a marketing-automation tool: one file per channel — email CSV,
SMS CSV (each message within one segment), call list in the order to call — after the contact
policy (`tools/campaigns/contact_policy.py`), with every exclusion and its reason. The product
sends nothing itself: the files are imported by the tool that does.

Only accepted (or edited) messages are exported; controls never have any. The contacts are
recorded so that the frequency cap counts them in the next campaigns.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, time, timedelta
from pathlib import Path

import pandas as pd
from sqlalchemy import and_, delete, func, insert, select, update
from sqlalchemy.engine import Engine

from core.i18n import Phrase
from core.quiet_hours import quiet_hours
from core.settings import Settings
from core.sms import sms_length, sms_limit
from core.types import Language
from crm_agents.store.approvals import ApprovalError, approval_rows
from crm_agents.store.campaigns import campaign_rows, offered_analyses
from crm_agents.store.database import writing
from crm_agents.store.outbox import emit
from crm_agents.store.schema import campaigns, contacts
from data.loading import CustomerData
from data.schema import CONSENT_COLUMNS, ID_COLUMN
from data.spreadsheet import write_csv
from models.urgency import urgency_order
from tools.campaigns.contact_policy import ContactRules, contact_plan
from tools.campaigns.planning import CampaignError

EXPORTABLE = ("ready", "exported", "measuring")
FILES = {"email": "email.csv", "sms": "sms.csv", "call": "call_list.csv"}


@dataclass
class ExportSummary:
    campaign_id: int
    folder: Path
    files: dict[str, Path] = field(default_factory=dict)
    contacts: dict[str, int] = field(default_factory=dict)
    #: customer_id, channel, reason, detail
    excluded: pd.DataFrame = field(default_factory=pd.DataFrame)

    @property
    def excluded_customers(self) -> int:
        """Customers kept off at least one channel."""
        return int(self.excluded["customer_id"].nunique()) if len(self.excluded) else 0

    def exclusion_counts(self) -> pd.DataFrame:
        """Customers excluded per reason and channel."""
        if self.excluded.empty:
            return pd.DataFrame(columns=["reason", "channel", "customers"])
        return (
            self.excluded.groupby(["reason", "channel"], sort=False)
            .size()
            .rename("customers")
            .reset_index()
        )


def read_suppression(path: Path) -> pd.DataFrame:
    """A suppression list: `customer_id` and optionally `channel` (email, sms, call or all;
    empty: all), or a CampaignError naming what is wrong and what is accepted."""
    try:
        frame = pd.read_csv(path, dtype=str, keep_default_na=False)
    except (OSError, pd.errors.ParserError, UnicodeDecodeError) as err:
        raise CampaignError(
            Phrase("exports.unreadable", {"file": path.name, "reason": str(err)})
        ) from None
    if "customer_id" not in frame.columns:
        raise CampaignError(
            Phrase("exports.suppression_columns", {"file": path.name, "found": list(frame)})
        )
    channel = frame["channel"] if "channel" in frame else pd.Series("", index=frame.index)
    channel = channel.str.strip().str.lower().replace("", "all")
    allowed = {*CONSENT_COLUMNS, "all"}
    wrong = channel[~channel.isin(allowed)]
    if not wrong.empty:
        lines = ", ".join(str(i + 2) for i in wrong.index[:10])
        raise CampaignError(
            Phrase(
                "exports.suppression_channel",
                {"file": path.name, "lines": lines, "allowed": sorted(allowed)},
            )
        )
    return pd.DataFrame({"customer_id": frame["customer_id"].str.strip(), "channel": channel})


def prior_contacts(engine: Engine, campaign_id: int, around: date, days: int) -> pd.Series:
    """Contacts per customer planned within `days` of `around` by other campaigns."""
    query = (
        select(contacts.c.customer_id, func.count())
        .where(
            contacts.c.campaign_id != campaign_id,
            contacts.c.planned_on > around - timedelta(days=days),
            contacts.c.planned_on < around + timedelta(days=days),
        )
        .group_by(contacts.c.customer_id)
    )
    with engine.connect() as connection:
        rows = connection.execute(query).all()
    return pd.Series({customer: int(n) for customer, n in rows}, dtype="int64")


def _ordered(engine: Engine, run_id: int, items: pd.DataFrame) -> pd.DataFrame:
    """The items in the order to act on them (`models/urgency.py`): the call list's order."""
    analysed = offered_analyses(engine, run_id).set_index("customer_id")
    joined = items.join(
        analysed[["risk_level", "churn_within_90d", "clv", "expected_value"]], on="customer_id"
    )
    return urgency_order(joined, then="expected_value", key="customer_id")


def _channel_file(
    channel: str, rows: pd.DataFrame, campaign: pd.Series, window: str, language: Language
) -> pd.DataFrame:
    base = pd.DataFrame(
        {
            "campaign_id": campaign["id"],
            "campaign": campaign["name"],
            "customer_id": rows["customer_id"],
            "offer_id": rows["offer_id"],
            "send_on": campaign["starts_on"],
            "send_window": window,
        }
    )
    if channel == "email":
        return base.assign(subject=rows["email_subject"], body=rows["email_body"])
    if channel == "sms":
        length = rows["sms"].map(lambda text: sms_length(text, language))
        return base.assign(text=rows["sms"], characters=length, segment=sms_limit(language))
    return base.assign(priority=range(1, len(rows) + 1), script=rows["call_script"])


def export_campaign(
    engine: Engine,
    campaign_id: int,
    folder: Path,
    settings: Settings,
    data: CustomerData | None = None,
    suppression: Path | None = None,
    send_at: time | None = None,
    suppressed_too: pd.DataFrame | None = None,
) -> ExportSummary:
    """Write the campaign's files into `folder` and record its contacts; the campaign becomes
    exported. Refused (nothing written) unless every item has been decided. `suppressed_too`
    (customer_id, channel: email, sms, call or all) adds to the suppression file's list."""
    found = campaign_rows(engine, campaign_id)
    if found.empty:
        raise ApprovalError(Phrase("approvals.no_campaign", {"id": campaign_id}))
    campaign = found.iloc[0]
    if campaign["status"] not in EXPORTABLE:
        waiting = approval_rows(engine, campaign_id, status=("pending", "deciding"))
        raise ApprovalError(
            Phrase(
                "exports.not_ready",
                {
                    "id": campaign_id,
                    "status": Phrase(f"campaigns.status.{campaign['status']}"),
                    "waiting": len(waiting),
                },
            )
        )
    items = _ordered(engine, int(campaign["run_id"]), approval_rows(engine, campaign_id))
    suppressed = (
        read_suppression(suppression)
        if suppression is not None
        else pd.DataFrame(columns=["customer_id", "channel"])
    )
    if suppressed_too is not None and not suppressed_too.empty:
        suppressed = pd.concat([suppressed, suppressed_too], ignore_index=True)
    consent = None
    if data is not None:
        columns = [c for c in CONSENT_COLUMNS.values() if c in data.customers.columns]
        if columns:
            consent = (
                data.customers[columns].reset_index().rename(columns={ID_COLUMN: "customer_id"})
            )
    quiet = {channel: quiet_hours(text) for channel, text in settings.quiet_hours.items()}
    rules = ContactRules(
        channels=tuple(campaign["channels"]),
        cap=settings.contact_cap,
        window_days=settings.contact_window_days,
        quiet=quiet,
        send_at=send_at,
    )
    prior = prior_contacts(engine, campaign_id, campaign["starts_on"], rules.window_days)
    planned, excluded = contact_plan(items, rules, consent, suppressed, prior, settings.language)
    summary = ExportSummary(campaign_id, folder, excluded=excluded)
    by_customer = items.set_index("customer_id", drop=False)
    for channel in rules.channels:
        chosen = planned.loc[planned["channel"] == channel, "customer_id"]
        rows = by_customer.loc[list(chosen)]
        window = quiet[channel].allowed() if channel in quiet else ""  # empty: any time
        frame = _channel_file(
            channel, rows.reset_index(drop=True), campaign, window, settings.language
        )
        summary.files[channel] = write_csv(frame, folder / FILES[channel])
        summary.contacts[channel] = len(frame)
    write_csv(excluded, folder / "exclusions.csv")
    _record(engine, summary, planned, campaign["starts_on"])
    return summary


def _record(engine: Engine, summary: ExportSummary, planned: pd.DataFrame, on: date) -> None:
    """This campaign's contacts (replacing an earlier export's), its stage and the
    `campaign.exported` webhook event, in one transaction."""
    campaign_id = summary.campaign_id
    rows = [
        {"campaign_id": campaign_id, "customer_id": c, "channel": ch, "planned_on": on}
        for c, ch in planned.itertuples(index=False)
    ]
    with writing(), engine.begin() as connection:
        connection.execute(delete(contacts).where(contacts.c.campaign_id == campaign_id))
        if rows:
            connection.execute(insert(contacts), rows)
        connection.execute(
            update(campaigns)
            .where(and_(campaigns.c.id == campaign_id, campaigns.c.status == "ready"))
            .values(status="exported")
        )
        event = {
            "campaign_id": campaign_id,
            "contacts": summary.contacts,
            "excluded_customers": summary.excluded_customers,
            "files": sorted(path.name for path in summary.files.values()),
        }
        emit(connection, "campaign.exported", event)
