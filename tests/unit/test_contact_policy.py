"""The contact policy: each (customer, channel) is sent or excluded with the first rule it
breaks — not approved, quiet hours, no consent, suppressed, SMS too long, frequency cap."""

from __future__ import annotations

from datetime import time

import pandas as pd
import pytest

from core.quiet_hours import quiet_hours
from tools.campaigns.contact_policy import ContactRules, contact_plan

SMS = "Customer Care: 10% off for 12 months. Reply YES to accept."
QUIET = {"sms": quiet_hours("21:00-08:00"), "call": quiet_hours("20:00-09:00")}


def _items(*rows: tuple[str, str]) -> pd.DataFrame:
    return pd.DataFrame(
        [{"customer_id": c, "status": s, "sms": SMS} for c, s in rows],
        columns=["customer_id", "status", "sms"],
    )


def _plan(
    items,
    channels=("email", "sms", "call"),
    cap=3,
    send_at=None,
    consent=None,
    suppressed=None,
    prior=None,
):
    rules = ContactRules(tuple(channels), cap, 30, QUIET, send_at)
    suppressed = (
        suppressed if suppressed is not None else pd.DataFrame(columns=["customer_id", "channel"])
    )
    prior = prior if prior is not None else pd.Series(dtype="int64")
    return contact_plan(items, rules, consent, suppressed, prior, "en")


def _reasons(excluded: pd.DataFrame) -> set[tuple[str, str, str]]:
    return set(zip(excluded["customer_id"], excluded["channel"], excluded["reason"], strict=True))


def test_accepted_and_edited_messages_go_out_on_every_channel():
    contacts, excluded = _plan(_items(("A", "accept"), ("B", "edit")))
    assert len(contacts) == 6 and excluded.empty


@pytest.mark.parametrize("decision", ["respond", "ignore", "pending"])
def test_messages_not_accepted_are_excluded_on_every_channel(decision):
    contacts, excluded = _plan(_items(("A", decision)))
    assert contacts.empty
    assert _reasons(excluded) == {("A", ch, "not_approved") for ch in ("email", "sms", "call")}


def test_a_send_time_in_quiet_hours_excludes_that_channel_only():
    contacts, excluded = _plan(_items(("A", "accept")), send_at=time(22, 30))
    assert list(contacts["channel"]) == ["email"]
    assert _reasons(excluded) == {("A", "sms", "quiet_hours"), ("A", "call", "quiet_hours")}


def test_quiet_hours_wrap_midnight_and_end_where_they_say():
    hours = quiet_hours("21:00-08:00")
    assert hours.covers(time(23, 0)) and hours.covers(time(7, 59))
    assert not hours.covers(time(8, 0)) and not hours.covers(time(20, 59))
    assert hours.allowed() == "08:00–21:00"


@pytest.mark.parametrize("text", ["9pm-8am", "25:00-08:00", "08:00-08:00", ""])
def test_quiet_hours_written_otherwise_are_refused_with_the_accepted_form(text):
    with pytest.raises(ValueError, match=r"HH:MM|00:00 to 23:59"):
        quiet_hours(text)


def test_a_no_in_a_consent_column_excludes_that_channel():
    consent = pd.DataFrame({"customer_id": ["A", "B"], "consent_sms": ["No", "Yes"]})
    _, excluded = _plan(_items(("A", "accept"), ("B", "accept")), consent=consent)
    assert _reasons(excluded) == {("A", "sms", "no_consent")}


def test_the_suppression_list_excludes_a_channel_or_all_of_them():
    suppressed = pd.DataFrame({"customer_id": ["A", "B"], "channel": ["call", "all"]})
    contacts, excluded = _plan(_items(("A", "accept"), ("B", "accept")), suppressed=suppressed)
    assert set(contacts.itertuples(index=False, name=None)) == {("A", "email"), ("A", "sms")}
    assert _reasons(excluded) == {("A", "call", "suppressed")} | {
        ("B", ch, "suppressed") for ch in ("email", "sms", "call")
    }


def test_an_sms_longer_than_one_segment_is_not_exported():
    items = _items(("A", "accept")).assign(sms="Thank you for staying with us. " * 8)
    _, excluded = _plan(items, channels=("sms",))
    assert _reasons(excluded) == {("A", "sms", "sms_too_long")}


def test_the_frequency_cap_counts_other_campaigns_and_keeps_channels_in_order():
    prior = pd.Series({"A": 1, "B": 3})
    contacts, excluded = _plan(
        _items(("A", "accept"), ("B", "accept"), ("C", "accept")), cap=2, prior=prior
    )
    sent = set(contacts.itertuples(index=False, name=None))
    assert sent == {("A", "email"), ("C", "email"), ("C", "sms")}
    assert _reasons(excluded) == {
        ("A", "sms", "frequency_cap"),
        ("A", "call", "frequency_cap"),
        ("B", "email", "frequency_cap"),
        ("B", "sms", "frequency_cap"),
        ("B", "call", "frequency_cap"),
        ("C", "call", "frequency_cap"),
    }


def test_a_channel_excluded_for_another_reason_does_not_use_up_the_cap():
    suppressed = pd.DataFrame({"customer_id": ["A"], "channel": ["email"]})
    contacts, _ = _plan(_items(("A", "accept")), cap=1, suppressed=suppressed)
    assert list(contacts["channel"]) == ["sms"]


def test_each_pair_has_one_reason_the_first_rule_it_breaks():
    consent = pd.DataFrame({"customer_id": ["A"], "consent_sms": ["No"]})
    suppressed = pd.DataFrame({"customer_id": ["A"], "channel": ["all"]})
    _, excluded = _plan(
        _items(("A", "accept")), send_at=time(23, 0), consent=consent, suppressed=suppressed
    )
    assert _reasons(excluded) == {
        ("A", "email", "suppressed"),
        ("A", "sms", "quiet_hours"),
        ("A", "call", "quiet_hours"),
    }
