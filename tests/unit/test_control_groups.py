"""Control groups nobody can game, and the size a campaign needs before its effect can show."""

from __future__ import annotations

import numpy as np
import pytest

from models.uplift.control import bucket, in_campaign_holdout, in_global_control
from models.uplift.power import control_size_needed, minimum_detectable_effect

IDS = [f"{i:04d}-ABCDE" for i in range(20_000)]


def test_a_campaign_holds_out_its_share_of_customers():
    held = sum(in_campaign_holdout("spring-2027", c, 0.10) for c in IDS)
    assert abs(held / len(IDS) - 0.10) < 0.01


def test_the_holdout_is_fixed_by_the_campaign_and_the_customer_alone():
    first = [in_campaign_holdout("spring-2027", c, 0.10) for c in IDS[:500]]
    again = [in_campaign_holdout("spring-2027", c, 0.10) for c in IDS[:500]]
    assert first == again
    assert in_campaign_holdout("spring-2027", "7590-vhveg", 0.5) == in_campaign_holdout(
        "spring-2027", " 7590-VHVEG", 0.5
    )


def test_two_campaigns_hold_out_independent_groups():
    a = np.array([in_campaign_holdout("spring-2027", c, 0.5) for c in IDS])
    b = np.array([in_campaign_holdout("summer-2027", c, 0.5) for c in IDS])
    assert abs((a & b).mean() - 0.25) < 0.02  # as for two fair coins


def test_a_larger_share_keeps_everyone_a_smaller_one_held_out():
    small = {c for c in IDS if in_campaign_holdout("spring-2027", c, 0.05)}
    large = {c for c in IDS if in_campaign_holdout("spring-2027", c, 0.10)}
    assert small < large


def test_the_global_control_group_is_stable_and_reshuffled_only_by_its_salt():
    group = {c for c in IDS if in_global_control(c, 0.05, "2027")}
    assert abs(len(group) / len(IDS) - 0.05) < 0.01
    assert group == {c for c in IDS if in_global_control(c, 0.05, "2027")}
    reshuffled = {c for c in IDS if in_global_control(c, 0.05, "2028")}
    assert len(group & reshuffled) < 0.2 * len(group)


def test_buckets_spread_evenly_over_ten_thousand():
    counts = np.bincount([bucket("k", c) // 1000 for c in IDS], minlength=10)
    assert counts.min() > 0.9 * len(IDS) / 10


def test_a_share_outside_zero_to_one_is_refused():
    with pytest.raises(ValueError, match="from 0 up to"):
        in_campaign_holdout("c", "1-A", 1.0)


def test_the_sample_size_follows_fleiss_for_ten_versus_fourteen_percent():
    # Fleiss, Levin & Paik eq. 4.14 (no continuity correction): 1,035 per arm; the rule of
    # thumb 16·p̄q̄/d² gives about 1,056.
    assert control_size_needed(0.10, 0.14) == 1035


def test_a_small_holdout_needs_more_controls_than_an_even_split():
    assert control_size_needed(0.10, 0.14, ratio=9.0) < control_size_needed(0.10, 0.14)
    assert control_size_needed(0.10, 0.14, ratio=9.0) * 10 > control_size_needed(0.10, 0.14) * 2


def test_the_minimum_detectable_effect_is_the_effect_that_size_needs():
    needed = control_size_needed(0.10, 0.14, ratio=9.0)
    mde = minimum_detectable_effect(9 * needed, needed, 0.10)
    assert mde == pytest.approx(0.04, abs=5e-4)


def test_more_customers_detect_smaller_effects():
    assert minimum_detectable_effect(9000, 1000, 0.2) < minimum_detectable_effect(900, 100, 0.2)


def test_a_campaign_too_small_to_detect_anything_says_so():
    assert minimum_detectable_effect(3, 1, 0.5) is None
