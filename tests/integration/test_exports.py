"""Exports: one file per channel with only the accepted messages, never a control; refused
until every item is decided; every exclusion counted with its reason; the contacts recorded
for the frequency cap of the next campaigns; outcomes move the campaign to measuring."""

from __future__ import annotations

import random
from datetime import date, time

import pandas as pd
import pytest

from crm_agents.approvals import ApprovalError, accept_all, decide, reviews_on
from crm_agents.exports import export_campaign, read_suppression
from crm_agents.outcomes import store_outcomes
from crm_agents.store.approvals import campaign_status, open_approvals
from crm_agents.store.campaigns import members_of
from tests.integration.conftest import new_campaign, treated
from tools.campaigns.planning import CampaignError

CHANNELS = ["email", "sms", "call"]


def _ready(engine, demo, **choices) -> tuple[int, list[str]]:
    """A campaign on every channel, sent for approval, its first customer ignored and the
    rest accepted."""
    campaign_id = new_campaign(engine, demo, channels=choices.pop("channels", CHANNELS), **choices)
    open_approvals(engine, campaign_id)
    reviews = reviews_on(demo, engine)
    customers = treated(engine, campaign_id)
    decide(engine, reviews, campaign_id, customers[0], {"type": "ignore", "by": "mei"})
    accept_all(engine, reviews, campaign_id, by="mei")
    return campaign_id, customers


def _settings(demo, **changes):
    return demo.settings.model_copy(update={"contact_cap": 50, **changes})


def test_an_export_waits_until_every_item_is_decided(engine, demo, tmp_path):
    campaign_id = new_campaign(engine, demo)
    open_approvals(engine, campaign_id)
    with pytest.raises(ApprovalError, match="waiting for a decision"):
        export_campaign(engine, campaign_id, tmp_path, _settings(demo))
    assert not any(tmp_path.iterdir())


def test_each_channel_gets_a_file_of_the_accepted_messages_and_no_control(engine, demo, tmp_path):
    campaign_id, customers = _ready(engine, demo)
    summary = export_campaign(engine, campaign_id, tmp_path, _settings(demo))
    members = members_of(engine, campaign_id)
    controls = set(members.loc[members["arm"] == "control", "customer_id"])
    for channel, name in (("email", "email.csv"), ("sms", "sms.csv"), ("call", "call_list.csv")):
        written = pd.read_csv(tmp_path / name, dtype=str)
        assert set(written["customer_id"]) == set(customers[1:]), channel
        assert not set(written["customer_id"]) & controls
        assert summary.contacts[channel] == len(customers) - 1
    assert campaign_status(engine, campaign_id) == "exported"
    counts = summary.exclusion_counts()
    assert set(counts["reason"]) == {"not_approved"}
    assert counts["customers"].tolist() == [1, 1, 1]


def test_the_sms_file_says_each_message_fits_its_segment_and_the_send_window(
    engine, demo, tmp_path
):
    campaign_id, _ = _ready(engine, demo)
    export_campaign(engine, campaign_id, tmp_path, _settings(demo))
    sms = pd.read_csv(tmp_path / "sms.csv")
    assert (sms["characters"] <= sms["segment"]).all()
    assert set(sms["send_window"]) == {"08:00–21:00"}


def test_the_call_list_is_in_the_order_to_call(engine, demo, tmp_path):
    campaign_id, _ = _ready(engine, demo)
    export_campaign(engine, campaign_id, tmp_path, _settings(demo))
    calls = pd.read_csv(tmp_path / "call_list.csv")
    assert calls["priority"].tolist() == list(range(1, len(calls) + 1))


def test_an_edited_message_is_exported_as_edited(engine, demo, tmp_path):
    campaign_id = new_campaign(engine, demo)
    open_approvals(engine, campaign_id)
    reviews = reviews_on(demo, engine)
    first = treated(engine, campaign_id)[0]
    edit = {"type": "edit", "args": {"email_subject": "Thank you for staying"}, "by": "li"}
    decide(engine, reviews, campaign_id, first, edit)
    accept_all(engine, reviews, campaign_id, by="li")
    export_campaign(engine, campaign_id, tmp_path, _settings(demo))
    emails = pd.read_csv(tmp_path / "email.csv", dtype=str).set_index("customer_id")
    assert emails.loc[first, "subject"] == "Thank you for staying"


def test_suppression_consent_and_quiet_hours_exclude_with_their_reasons(engine, demo, tmp_path):
    campaign_id, customers = _ready(engine, demo)
    listed = tmp_path / "suppress.csv"
    listed.write_text(f"customer_id,channel\n{customers[1]},\n{customers[2]},email\n")
    summary = export_campaign(
        engine,
        campaign_id,
        tmp_path / "out",
        _settings(demo),
        suppression=listed,
        send_at=time(22, 0),
    )
    excluded = summary.excluded
    reasons = set(
        zip(excluded["customer_id"], excluded["channel"], excluded["reason"], strict=True)
    )
    assert (customers[1], "email", "suppressed") in reasons
    assert (customers[2], "email", "suppressed") in reasons
    assert (customers[3], "sms", "quiet_hours") in reasons
    assert summary.contacts["sms"] == summary.contacts["call"] == 0
    written = pd.read_csv(tmp_path / "out" / "exclusions.csv")
    assert len(written) == len(summary.excluded)


def test_a_suppression_list_without_customer_ids_is_refused_with_what_it_needs(tmp_path):
    listed = tmp_path / "suppress.csv"
    listed.write_text("id,channel\n0001-AAAAA,sms\n")
    with pytest.raises(CampaignError, match="no customer_id column"):
        read_suppression(listed)


def test_a_suppression_list_with_an_unknown_channel_names_the_line(tmp_path):
    listed = tmp_path / "suppress.csv"
    listed.write_text("customer_id,channel\n0001-AAAAA,sms\n0002-BBBBB,fax\n")
    with pytest.raises(CampaignError, match=r"line\(s\) 3"):
        read_suppression(listed)


def test_the_frequency_cap_counts_the_contacts_of_earlier_campaigns(engine, demo, tmp_path):
    starts = date(2030 + random.randrange(500), 3, 2)  # a window no other test's campaign shares
    settings = _settings(demo, contact_cap=2, contact_window_days=30)
    first, _ = _ready(engine, demo, starts_on=starts, ends_on=starts, channels=["email"])
    export_campaign(engine, first, tmp_path / "first", settings)
    second, customers = _ready(engine, demo, starts_on=starts, ends_on=starts)
    summary = export_campaign(engine, second, tmp_path / "second", settings)
    capped = summary.excluded[summary.excluded["reason"] == "frequency_cap"]
    # Had an email from the first campaign: one more contact (email) within the cap of 2.
    assert set(capped["channel"]) == {"sms", "call"}
    assert summary.contacts["email"] == len(customers) - 1


def test_exporting_again_replaces_the_campaigns_own_contacts(engine, demo, tmp_path):
    campaign_id, _ = _ready(engine, demo)
    first = export_campaign(engine, campaign_id, tmp_path / "a", _settings(demo, contact_cap=3))
    again = export_campaign(engine, campaign_id, tmp_path / "b", _settings(demo, contact_cap=3))
    assert again.contacts == first.contacts  # its own contacts do not count against it


def test_outcomes_of_an_exported_campaign_start_its_measuring(engine, demo, tmp_path):
    campaign_id, customers = _ready(engine, demo)
    export_campaign(engine, campaign_id, tmp_path, _settings(demo))
    outcomes = pd.DataFrame(
        {
            "campaign_id": campaign_id,
            "customer_id": customers[:3],
            "outcome": "retained",
            "observed_on": date(2027, 3, 1),
        }
    )
    store_outcomes(engine, outcomes, "test.csv")
    assert campaign_status(engine, campaign_id) == "measuring"
