"""Who is held out: control groups nobody can pick by hand.

A customer's bucket (0–9,999) is a SHA-256 hash of a key and their ID, so the split is fixed
before anyone sees the list, the same on every machine and every run, and independent between
campaigns (each campaign's ID is part of its key). A campaign holds out the customers whose
bucket falls under its share; the global control group — customers no campaign touches, as
Braze keeps one — is the buckets under its share for a key of its own. Changing that key
(`salt`) reshuffles the global group: done rarely and on purpose (say, once a year), because
every comparison with the old group ends there.
"""

from __future__ import annotations

import hashlib

BUCKETS = 10_000


def bucket(key: str, customer_id: str) -> int:
    """The customer's bucket under `key`, 0–9,999. IDs match without regard to case, as
    everywhere in the product."""
    digest = hashlib.sha256(f"{key}\x1f{customer_id.strip().casefold()}".encode()).digest()
    return int.from_bytes(digest[:8], "big") % BUCKETS


def _check_share(share: float) -> None:
    if not 0 <= share < 1:
        raise ValueError(f"a control share is from 0 up to (not including) 1; got {share}")


def in_campaign_holdout(campaign_id: str, customer_id: str, share: float) -> bool:
    """Whether the campaign leaves this customer out, as its control."""
    _check_share(share)
    return bucket(f"campaign:{campaign_id}", customer_id) < round(share * BUCKETS)


def in_global_control(customer_id: str, share: float, salt: str) -> bool:
    """Whether the customer belongs to the global control group that no campaign contacts."""
    _check_share(share)
    return bucket(f"global:{salt}", customer_id) < round(share * BUCKETS)
