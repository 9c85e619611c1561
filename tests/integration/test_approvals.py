"""Approvals: a campaign's treated customers wait for a person; accept, edit (re-checked),
respond and ignore are recorded with who and when; a refused edit leaves the item pending;
of two decisions on one item exactly one wins, also from two processes; the campaign is ready
when nothing is left. Every test runs on SQLite and on a real PostgreSQL (`database`)."""

from __future__ import annotations

import multiprocessing
import threading

import pytest

from crm_agents.approvals import ApprovalError, accept_all, decide, open_review, reviews_on
from crm_agents.store import database
from crm_agents.store.approvals import approval_rows, campaign_status, open_approvals
from crm_agents.store.campaigns import members_of
from graph.review import Decided, Pending
from tests.integration.conftest import new_campaign, treated


def _decide_in_a_process(demo, url, campaign_id, customer, who, barrier, answers) -> None:
    """Another app process: its own engine, connections and checkpointer (forked, so the
    product built by the fixtures is inherited, not built again)."""
    engine = database.open_store(url)
    reviews = reviews_on(demo, engine)
    barrier.wait()
    try:
        decide(engine, reviews, campaign_id, customer, {"type": "accept", "by": who})
        answers.put((who, "won"))
    except ApprovalError as err:
        answers.put((who, str(err)))


def test_sending_for_approval_makes_one_pending_item_per_treated_customer_and_none_for_controls(
    engine, demo
):
    campaign_id = new_campaign(engine, demo)
    opened = open_approvals(engine, campaign_id)
    items = approval_rows(engine, campaign_id)
    assert opened == len(items) == len(treated(engine, campaign_id))
    assert set(items["customer_id"]) == set(treated(engine, campaign_id))
    assert (items["status"] == "pending").all()
    assert campaign_status(engine, campaign_id) == "approval"


def test_a_campaign_goes_for_approval_once(engine, demo):
    campaign_id = new_campaign(engine, demo)
    open_approvals(engine, campaign_id)
    with pytest.raises(ApprovalError, match="not a draft"):
        open_approvals(engine, campaign_id)


def test_an_item_opens_paused_at_approval_with_agent_inbox_choices(in_review):
    engine, campaign_id, reviews = in_review
    customer = treated(engine, campaign_id)[0]
    opened = open_review(engine, reviews, campaign_id, customer)
    assert isinstance(opened, Pending)
    assert opened.request["config"] == {
        "allow_accept": True,
        "allow_edit": True,
        "allow_respond": True,
        "allow_ignore": True,
    }
    assert opened.request["action_request"]["args"]["customer_id"] == customer
    assert customer in opened.request["description"]


def test_an_accept_records_who_and_when_and_keeps_the_texts_to_send(in_review):
    engine, campaign_id, reviews = in_review
    customer = treated(engine, campaign_id)[0]
    outcome = decide(engine, reviews, campaign_id, customer, {"type": "accept", "by": "mei"})
    assert isinstance(outcome, Decided) and outcome.result.approval.ready_to_send
    row = approval_rows(engine, campaign_id).set_index("customer_id").loc[customer]
    assert (row["status"], row["decided_by"]) == ("accept", "mei")
    assert row["decided_at"] is not None
    assert row["sms"] == outcome.result.communications.sms.text


def test_an_edit_that_passes_the_checks_replaces_the_words_sent(in_review):
    engine, campaign_id, reviews = in_review
    customer = treated(engine, campaign_id)[0]
    edit = {"type": "edit", "args": {"email_subject": "Thank you for staying with us"}, "by": "li"}
    outcome = decide(engine, reviews, campaign_id, customer, edit)
    assert isinstance(outcome, Decided)
    row = approval_rows(engine, campaign_id).set_index("customer_id").loc[customer]
    assert row["status"] == "edit"
    assert row["email_subject"] == "Thank you for staying with us"
    assert "email_subject" in row["edited"]


def test_an_edit_with_a_figure_no_tool_produced_is_refused_and_the_item_stays_pending(in_review):
    engine, campaign_id, reviews = in_review
    customer = treated(engine, campaign_id)[0]
    edit = {"type": "edit", "args": {"sms": "Stay with us for only $1 a month!"}, "by": "li"}
    outcome = decide(engine, reviews, campaign_id, customer, edit)
    assert isinstance(outcome, Pending)
    assert any("$1" in p for p in outcome.problems)
    row = approval_rows(engine, campaign_id).set_index("customer_id").loc[customer]
    assert (row["status"], row["refused_edits"]) == ("pending", 1)
    # The same thread takes the next answer.
    assert isinstance(
        decide(engine, reviews, campaign_id, customer, {"type": "accept", "by": "li"}), Decided
    )


def test_an_sms_edit_longer_than_one_segment_is_refused(in_review):
    engine, campaign_id, reviews = in_review
    customer = treated(engine, campaign_id)[0]
    edit = {"type": "edit", "args": {"sms": "Thank you for staying with us. " * 8}, "by": "li"}
    outcome = decide(engine, reviews, campaign_id, customer, edit)
    assert isinstance(outcome, Pending)
    assert any("segment" in p for p in outcome.problems)


def test_a_respond_keeps_the_note_and_is_not_ready_to_send(in_review):
    engine, campaign_id, reviews = in_review
    customer = treated(engine, campaign_id)[0]
    answer = {"type": "respond", "args": "Too pushy for a loyal customer", "by": "mei"}
    outcome = decide(engine, reviews, campaign_id, customer, answer)
    assert isinstance(outcome, Decided) and not outcome.result.approval.ready_to_send
    row = approval_rows(engine, campaign_id).set_index("customer_id").loc[customer]
    assert (row["status"], row["note"]) == ("respond", "Too pushy for a loyal customer")


def test_a_second_decision_on_a_decided_item_is_told_who_decided(in_review):
    engine, campaign_id, reviews = in_review
    customer = treated(engine, campaign_id)[0]
    decide(engine, reviews, campaign_id, customer, {"type": "ignore", "by": "mei"})
    with pytest.raises(ApprovalError, match="decided already: ignore by mei"):
        decide(engine, reviews, campaign_id, customer, {"type": "accept", "by": "li"})


def test_a_control_customer_cannot_be_approved(in_review):
    engine, campaign_id, reviews = in_review
    members = members_of(engine, campaign_id)
    control = members.loc[members["arm"] == "control", "customer_id"].iloc[0]
    with pytest.raises(ApprovalError, match="no messages waiting"):
        decide(engine, reviews, campaign_id, control, {"type": "accept", "by": "mei"})


def test_an_answer_without_who_is_refused_before_anything_is_held(in_review):
    engine, campaign_id, reviews = in_review
    customer = treated(engine, campaign_id)[0]
    with pytest.raises(ApprovalError, match="by"):
        decide(engine, reviews, campaign_id, customer, {"type": "accept"})
    assert approval_rows(engine, campaign_id).set_index("customer_id").loc[customer, "status"] == (
        "pending"
    )


def test_two_people_deciding_one_item_at_once_exactly_one_wins(in_review):
    engine, campaign_id, reviews = in_review
    customer = treated(engine, campaign_id)[0]
    barrier, results = threading.Barrier(2), {}

    def attempt(who: str) -> None:
        barrier.wait()
        try:
            decide(engine, reviews, campaign_id, customer, {"type": "accept", "by": who})
            results[who] = "won"
        except ApprovalError as err:
            results[who] = str(err)

    threads = [threading.Thread(target=attempt, args=(w,)) for w in ("mei", "li")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(results.values()).count("won") == 1
    loser = next(v for v in results.values() if v != "won")
    assert "decided" in loser or "being decided" in loser


def test_bulk_accept_decides_every_pending_item_and_the_campaign_becomes_ready(in_review):
    engine, campaign_id, reviews = in_review
    first = treated(engine, campaign_id)[0]
    decide(engine, reviews, campaign_id, first, {"type": "ignore", "by": "mei"})
    done = accept_all(engine, reviews, campaign_id, by="mei")
    assert sorted(done.accepted) == sorted(treated(engine, campaign_id)[1:])
    assert done.left == {}
    assert campaign_status(engine, campaign_id) == "ready"


def test_two_processes_see_each_others_decisions_and_exactly_one_of_two_at_once_wins(
    in_review, store_url, demo
):
    engine, campaign_id, reviews = in_review
    first, second = treated(engine, campaign_id)[:2]
    fork = multiprocessing.get_context("fork")
    barrier, answers = fork.Barrier(2), fork.Queue()
    processes = [
        fork.Process(
            target=_decide_in_a_process,
            args=(demo, store_url, campaign_id, first, who, barrier, answers),
        )
        for who in ("mei", "li")
    ]
    for process in processes:
        process.start()
    for process in processes:
        process.join(timeout=120)
    results = dict(answers.get(timeout=5) for _ in processes)
    assert sorted(results.values()).count("won") == 1
    winner = next(who for who, result in results.items() if result == "won")
    loser = next(result for result in results.values() if result != "won")
    assert winner in loser  # told who has it or decided it
    # This process sees the other's decision, and the other sees this one's.
    row = approval_rows(engine, campaign_id).set_index("customer_id").loc[first]
    assert (row["status"], row["decided_by"]) == ("accept", winner)
    decide(engine, reviews, campaign_id, second, {"type": "ignore", "by": "ana"})
    process = fork.Process(
        target=_decide_in_a_process,
        args=(demo, store_url, campaign_id, second, "li", fork.Barrier(1), answers),
    )
    process.start()
    process.join(timeout=120)
    assert "decided already: ignore by ana" in answers.get(timeout=5)[1]
