"""The Ask evaluation set, offline: at least 60 conversations, at least 95 % answered right.

`pytest tests/unit/test_chat_evaluation.py -s` prints the rate and every failure.
"""

from __future__ import annotations

from chat_evaluation import conversations, frame_for_report, run
from langgraph.checkpoint.memory import InMemorySaver

from graph.chat import build_chat_graph

TARGET = 0.95


def test_the_offline_router_answers_the_evaluation_set(demo):
    chat = build_chat_graph(demo.kits, demo.analyzer, checkpointer=InMemorySaver())
    cases = conversations(demo)
    assert len(cases) >= 60
    assert len({c.name for c in cases}) == len(cases)
    results = []
    for i, case in enumerate(cases):
        passed, detail = run(chat, case, thread=f"evaluation-{i}")
        results.append((case.name, passed, detail))
    report = frame_for_report(results)
    rate = report.passed.mean()
    failures = report[~report.passed]
    print(f"\nAsk evaluation: {report.passed.sum()} of {len(report)} passed ({rate:.1%})")
    for row in failures.itertuples():
        print(f"  FAILED {row.conversation}: {row.detail}")
    assert rate >= TARGET, failures.to_string()
