"""The Ask chat: intents in English and Chinese, answers from tool results, read-only, tool
errors, the LLM tool-calling path over HTTP, and conversations that survive a restart."""

from __future__ import annotations

import json
import re

import pytest
from fake_openai import Reply
from langchain_core.messages import AIMessage, HumanMessage, ToolMessage

from agents.chat.intents import parse, planned_calls
from core.i18n import t
from crm_agents.composition import assemble
from graph.chat import build_chat_graph, chat_tools, make_chat_model, open_checkpointer


@pytest.fixture(scope="module")
def context(demo):
    return demo


@pytest.fixture
def chat(context):
    # Built per test (it is cheap): every test exercises the graph's assembly itself.
    return build_chat_graph(context.kits, context.analyzer)


def _ask(chat, question: str, language: str = "en", thread: str | None = None) -> list:
    config = {"configurable": {"thread_id": thread}} if thread else None
    state = chat.invoke(
        {"messages": [HumanMessage(question)], "language": language, "fallback": None}, config
    )
    return state["messages"]


def _high(context) -> str:
    scored = context.service.scores()
    return scored[scored.risk_level == "high"].customerID.iloc[0]


def _low(context) -> str:
    scored = context.service.scores()
    return scored[scored.risk_level == "low"].customerID.iloc[0]


def _tools_called(messages) -> list[str]:
    return [c["name"] for m in messages if isinstance(m, AIMessage) for c in m.tool_calls]


@pytest.mark.parametrize(
    ("question", "kind"),
    [
        ("Why will 7590-VHVEG churn?", "why"),
        ("What is 7590-VHVEG's risk?", "risk"),
        ("What should we offer 7590-VHVEG?", "offer"),
        ("Write the email for 7590-VHVEG", "email"),
        ("Write the SMS for 7590-VHVEG", "sms"),
        ("Give me the call script for 7590-VHVEG", "call_script"),
        ("Top 5 at-risk high-value customers", "top"),
        ("What if 7590-VHVEG moved to a one-year contract?", "what_if"),
        ("Compare 7590-VHVEG and 5575-GNVDE", "compare"),
        ("How does the model work and how good is it?", "model"),
        ("為什麼 7590-VHVEG 會流失？", "why"),
        ("7590-VHVEG 的流失風險多高？", "risk"),
        ("該提供 7590-VHVEG 什麼優惠？", "offer"),
        ("幫 7590-VHVEG 寫簡訊", "sms"),
        ("列出前 5 名高價值客戶", "top"),
        ("如果 7590-VHVEG 改用自動扣繳呢？", "what_if"),
        ("比較 7590-VHVEG 和 5575-GNVDE", "compare"),
        ("模型的準確度如何？", "model"),
        ("Delete customer 7590-VHVEG", "read_only"),
        ("What's the weather?", "help"),
    ],
)
def test_intent_router_understands_the_supported_questions(question, kind):
    assert parse(question).kind == kind


def test_chinese_questions_are_answered_in_chinese():
    assert parse("為什麼 7590-VHVEG 會流失？").language == "zh-TW"
    assert parse("Why will 7590-VHVEG churn?").language == "en"


def test_top_n_reads_the_number_and_the_tier():
    intent = parse("show the top 7 at-risk mid-value customers")
    assert planned_calls(intent) == [("list_at_risk", {"limit": 7, "value_tier": "mid"})]


def test_what_if_reads_several_changes():
    intent = parse("what if 7590-VHVEG added tech support and moved to auto-pay?")
    assert intent.changes == {"TechSupport": "Yes", "PaymentMethod": "Credit card (automatic)"}


def test_why_question_runs_the_analysis_and_answers_with_its_reasons(chat, context):
    customer = _high(context)
    messages = _ask(chat, f"Why will {customer} churn?")
    assert _tools_called(messages) == ["analyze_customer"]
    assert customer in messages[-1].content and "Main reasons" in messages[-1].content


def test_the_analysis_tool_gives_the_chat_the_analysis_figures(chat, context):
    customer = _high(context)
    messages = _ask(chat, f"Why will {customer} churn?")
    payload = json.loads(next(m for m in messages if isinstance(m, ToolMessage)).content)
    result = context.analyzer.run(customer)
    assert payload["customer_id"] == customer
    assert payload["probability"] == result.risk.probability
    assert (payload["risk_level"], payload["value_tier"]) == (
        result.risk.risk_level,
        result.risk.value_tier,
    )
    assert payload["summary"] == result.risk.summary
    assert [r["title"] for r in payload["reasons"]] == [r.title for r in result.reasons.reasons]
    assert [r["explanation"] for r in payload["reasons"]] == [
        r.explanation for r in result.reasons.reasons
    ]
    assert payload["warning_signs"] == result.reasons.warning_signs
    assert payload["skipped"] == result.skipped
    plan = result.campaign
    assert payload["campaign"] == {
        "offer_title": plan.offer_title,
        "total_cost": plan.offer.total_cost,
        "expected_value": plan.offer.expected_value,
        "worth_its_cost": plan.worth_its_cost,
        "why_it_fits": plan.why_it_fits,
    }
    assert payload["communications"]["sms"]["text"] == result.communications.sms.text
    assert "written_by" not in payload["communications"] and "trace" not in payload
    assert "offer_id" not in payload["communications"]


def test_risk_answer_quotes_the_tool_probability(chat, context):
    customer = _high(context)
    messages = _ask(chat, f"what is {customer}'s risk?")
    probability = context.service.predict(customer).probability
    assert f"{probability * 100:.1f}%" in messages[-1].content


def test_sms_answer_shows_its_length_and_limit(chat, context):
    messages = _ask(chat, f"write the SMS for {_high(context)}")
    sms_text = messages[-1].content.split("\n\n")[0]
    assert f"{len(sms_text)} / 160 characters" in messages[-1].content


def test_low_risk_customer_gets_no_message(chat, context):
    messages = _ask(chat, f"write the email for {_low(context)}")
    assert "monitor, no message" in messages[-1].content


def test_top_customers_table_lists_the_highest_scores(chat, context):
    messages = _ask(chat, "top 3 at-risk customers")
    best = context.service.scores().customerID.head(3).tolist()
    assert all(c in messages[-1].content for c in best)


def test_compare_calls_both_customers(chat, context):
    scored = context.service.scores()
    a, b = scored.customerID.iloc[0], scored.customerID.iloc[-1]
    messages = _ask(chat, f"compare {a} and {b}")
    assert _tools_called(messages).count("predict_churn") == 2
    assert a in messages[-1].content and b in messages[-1].content


def test_what_if_answer_shows_before_and_after(chat, context):
    customer = _high(context)
    messages = _ask(chat, f"what if {customer} moved to a two-year contract?")
    result = context.service.what_if(customer, {"Contract": "Two year"})
    assert f"{result.probability_after * 100:.1f}%" in messages[-1].content


def test_model_question_answers_from_the_model_card(chat, context):
    messages = _ask(chat, "how good is the model?")
    assert f"{context.service.card.metrics.roc_auc:.3f}" in messages[-1].content


def test_chinese_offer_answer_uses_the_chinese_offer_title(chat, context):
    messages = _ask(chat, f"該提供 {_high(context)} 什麼優惠？", language="en")
    assert "建議提供" in messages[-1].content


def test_unknown_customer_gets_the_tool_error_with_suggestions(chat):
    messages = _ask(chat, "why will 0000-ZZZZZ churn?")
    tool_message = next(m for m in messages if isinstance(m, ToolMessage))
    assert tool_message.status == "error"
    assert "No customer with ID 0000-ZZZZZ" in messages[-1].content


def _english_words(text: str, allowed: tuple[str, ...] = ()) -> list[str]:
    """Latin words in a zh-TW answer other than IDs, metric and data set names and the allowed
    ones."""
    words = re.findall(r"[A-Za-z][A-Za-z_-]+", re.sub(r"\b\d{4}-[A-Z]{5}\b", "", text))
    return [
        w for w in words if w not in {"ROC-AUC", "PR-AUC", "Brier", "sha256", "Telco", *allowed}
    ]


@pytest.mark.parametrize(
    ("question", "language"), [("What's the weather like?", "en"), ("今天天氣如何？", "zh-TW")]
)
def test_out_of_scope_gets_three_example_questions_from_the_data_that_each_work(
    chat, context, question, language
):
    reply = _ask(chat, question)[-1].content
    header = t("chat.try", language)
    tries = [line[2:] for line in reply.split(header)[1].splitlines() if line.startswith("- ")]
    assert len(tries) == 3
    assert any(customer in tries[0] for customer in context.service.customers.index)
    for example in tries:
        answer = _ask(chat, example)[-1].content
        assert header not in answer and re.search(r"\d+(\.\d+)?%", answer)  # figures, not help


def test_an_unknown_customer_in_a_chinese_question_is_answered_in_chinese(chat):
    messages = _ask(chat, "0000-ZZZZZ 的流失風險多高？")
    assert "找不到編號 0000-ZZZZZ" in messages[-1].content
    assert _english_words(messages[-1].content) == []


def test_the_model_card_in_a_chinese_answer_has_no_english_labels(chat, context):
    messages = _ask(chat, "模型準確嗎？")
    # Model names, and the names of methods (as Brier): C-index, AUC, Kaplan–Meier, Schoenfeld.
    survival = context.service.survival.evaluation
    names = (context.service.card.model, *survival.candidates, *survival.covariates)
    methods = ("C-index", "AUC", "Kaplan", "Meier", "Schoenfeld")
    assert _english_words(messages[-1].content, (*names, *methods)) == []


def test_malformed_id_says_what_ids_look_like_with_an_id_of_the_data(chat, context):
    messages = _ask(chat, "what is 12-ABCDE's risk?")
    assert context.service.customers.index[0] in messages[-1].content


def test_the_help_text_uses_ids_of_the_data_in_use(chat, context):
    answer_text = _ask(chat, "What's the weather tomorrow?")[-1].content
    ids = context.service.customers.index
    assert ids[0] in answer_text and ids[1] in answer_text
    assert "7590-VHVEG" not in answer_text  # not an ID of the demo data


def test_unanswerable_question_lists_what_the_chat_can_do(chat):
    messages = _ask(chat, "What's the weather tomorrow?")
    assert "I can answer" in messages[-1].content and not _tools_called(messages)


def test_write_requests_are_refused_and_nothing_is_called(chat, context):
    messages = _ask(chat, f"delete customer {_high(context)} and update her contract")
    assert "only read" in messages[-1].content
    assert not _tools_called(messages)


#: Every tool the chat may reach; each only reads. A new tool must be reviewed and added here.
READ_ONLY = {
    "lookup_customer",
    "predict_churn",
    "segment_value",
    "predict_time_to_churn",
    "list_at_risk",
    "what_if",
    "evaluate_offers",
    "model_card",
    "query_customers",
    "risk_history",
    "analyze_customer",
}


def test_the_chat_graph_binds_only_read_only_tools(context):
    chat = build_chat_graph(context.kits, context.analyzer)
    tool_node = chat.nodes["tools"].bound
    assert set(tool_node.tools_by_name) == READ_ONLY


def _analysis_tool(context):
    return next(
        t for t in chat_tools(context.kits, context.analyzer) if t.name == "analyze_customer"
    )


def test_the_analysis_tool_answers_in_the_language_asked(context):
    tool = _analysis_tool(context)
    payload = tool.invoke({"customer_id": _high(context), "language": "zh-TW"})
    assert "流失" in payload["summary"]


def test_the_analysis_tool_answers_an_unknown_id_with_a_message(context):
    message = _analysis_tool(context).invoke({"customer_id": "0000-NOONE"})
    assert isinstance(message, str) and "No customer with ID 0000-NOONE" in message


def test_the_chat_uses_the_analysis_writers_breaker(demo_service):
    from agents.llm.writer import OpenAIWriter

    settings = demo_service.settings.model_copy(
        update={"openai_base_url": "http://127.0.0.1:9/v1", "llm_timeout": 1.0}
    )
    writer = OpenAIWriter(settings)
    for _ in range(writer.breaker.failures_to_open):
        writer.breaker.record_failure("HTTP 503 from the endpoint")
    chat = assemble(
        settings, service=demo_service, writer=writer, chat_model=make_chat_model(settings)
    ).chat
    state = chat.invoke(
        {"messages": [HumanMessage("How good is the model?")], "language": "en", "fallback": None}
    )
    assert "HTTP 503 from the endpoint" in state["fallback"]


def test_the_chat_client_leaves_retries_to_the_breaker(context):
    settings = context.settings.model_copy(update={"openai_base_url": "http://127.0.0.1:9/v1"})
    assert make_chat_model(settings).max_retries == 0
    assert make_chat_model(context.settings.model_copy(update={"openai_base_url": None})) is None


def test_the_chat_database_folder_is_made_when_missing(tmp_path):
    saver = open_checkpointer(tmp_path / "new" / "nested" / "chat.db")
    assert (tmp_path / "new" / "nested").is_dir()
    saver.conn.close()


def test_a_conversation_survives_a_restart(context, tmp_path):
    path = tmp_path / "chat.db"
    first = build_chat_graph(context.kits, context.analyzer, checkpointer=open_checkpointer(path))
    _ask(first, f"what is {_high(context)}'s risk?", thread="t-1")
    restarted = build_chat_graph(
        context.kits, context.analyzer, checkpointer=open_checkpointer(path)
    )
    history = restarted.get_state({"configurable": {"thread_id": "t-1"}}).values["messages"]
    assert isinstance(history[0], HumanMessage) and _high(context) in history[0].content
    messages = _ask(restarted, "how good is the model?", thread="t-1")
    assert len([m for m in messages if isinstance(m, HumanMessage)]) == 2


def test_threads_are_kept_apart(context, tmp_path):
    chat = build_chat_graph(
        context.kits, context.analyzer, checkpointer=open_checkpointer(tmp_path / "chat.db")
    )
    _ask(chat, f"what is {_high(context)}'s risk?", thread="alice")
    bob = _ask(chat, "how good is the model?", thread="bob")
    assert all(_high(context) not in str(m.content) for m in bob)


# ---- the LLM path over HTTP ------------------------------------------------------------


@pytest.fixture
def server(fake_openai):
    fake_openai.reset()
    yield fake_openai
    fake_openai.reset()


def _llm_chat(context, server):
    settings = context.settings.model_copy(
        update={"openai_base_url": server.base_url, "llm_model": "test-model", "llm_timeout": 2.0}
    )
    return build_chat_graph(context.kits, context.analyzer, model=make_chat_model(settings))


def _tool_call(name: str, args: dict) -> Reply:
    call = {
        "id": "call_1",
        "type": "function",
        "function": {"name": name, "arguments": json.dumps(args)},
    }
    return Reply(tool_calls=[call])


def test_llm_chooses_the_tools_and_answers_from_them(context, server):
    customer = _high(context)
    probability = context.service.predict(customer).probability
    server.script(
        "chat",
        _tool_call("predict_churn", {"customer_id": customer}),
        Reply(f"{customer} is at high risk: {probability * 100:.1f}%."),
    )
    state = _llm_chat(context, server).invoke(
        {"messages": [HumanMessage(f"risk of {customer}?")], "language": "en", "fallback": None}
    )
    assert _tools_called(state["messages"]) == ["predict_churn"]
    assert state["messages"][-1].content.endswith(f"{probability * 100:.1f}%.")
    assert state["fallback"] is None
    # What the LLM is offered is exactly the read-only set, nothing that writes.
    assert {t["function"]["name"] for t in server.requests[0]["body"]["tools"]} == READ_ONLY


def test_an_invented_figure_from_the_llm_falls_back_to_the_router(context, server):
    customer = _high(context)
    server.script(
        "chat",
        _tool_call("predict_churn", {"customer_id": customer}),
        Reply(f"{customer} will churn with 99.9% certainty; offer 60% off."),
    )
    state = _llm_chat(context, server).invoke(
        {"messages": [HumanMessage(f"risk of {customer}?")], "language": "en", "fallback": None}
    )
    assert "figures not in the tool results" in state["fallback"]
    assert "99.9%" not in state["messages"][-1].content
    assert "churn probability" in state["messages"][-1].content


def test_an_llm_answer_giving_a_tool_figure_as_the_wrong_fact_falls_back(context, server):
    scored, profiles = context.service.scores(), context.service.customers
    high = scored[scored.risk_level == "high"].customerID
    customer = next(c for c in high if profiles.loc[c, "tenure"] > 1)
    tenure = int(profiles.loc[customer, "tenure"])
    server.script(
        "chat",
        _tool_call("lookup_customer", {"customer_id": customer}),
        Reply(f"{customer} has been a customer for {tenure - 1} months."),
    )
    state = _llm_chat(context, server).invoke(
        {
            "messages": [HumanMessage(f"Tell me about {customer}")],
            "language": "en",
            "fallback": None,
        }
    )
    assert "is not the customer's tenure" in state["fallback"]


def test_an_llm_outage_falls_back_to_the_router(context, server):
    server.script("chat", Reply.error(500), Reply.error(500), Reply.error(500))
    customer = _high(context)
    settings = context.settings.model_copy(
        update={"openai_base_url": server.base_url, "llm_retries": 0, "llm_timeout": 2.0}
    )
    chat = build_chat_graph(context.kits, context.analyzer, model=make_chat_model(settings))
    state = chat.invoke(
        {
            "messages": [HumanMessage(f"why will {customer} churn?")],
            "language": "en",
            "fallback": None,
        }
    )
    assert state["fallback"].startswith("LLM failed")
    assert "Main reasons" in state["messages"][-1].content


# ---- the graph's wiring -----------------------------------------------------------------


def test_the_chat_graph_is_named_and_publishes_the_run_context(context):
    chat = build_chat_graph(context.kits, context.analyzer)
    assert chat.name == "chat"
    assert {"language", "backend", "risk_high"} <= set(chat.get_context_jsonschema()["properties"])


def test_a_failing_tool_answers_the_chat_instead_of_stopping_it(context):
    from agents.kit import Kits
    from graph.analysis import Analyzer, build_analysis_graph

    class Down(type(context.service)):
        def predict(self, customer_id):
            raise RuntimeError("the scoring service is down")

    s = context.service
    kits = Kits(Down(s.data, s.model, s.card, s.settings), context.playbook, context.writer)
    chat = build_chat_graph(kits, Analyzer(build_analysis_graph(kits), kits))
    messages = _ask(chat, f"What is {_high(context)}'s risk?")
    errors = [m for m in messages if isinstance(m, ToolMessage) and m.status == "error"]
    assert errors and "the scoring service is down" in errors[0].content
    assert isinstance(messages[-1], AIMessage)


def test_the_tools_answer_under_the_runs_context(context):
    from agents.context import Context

    customer = _high(context)
    probability = context.service.predict(customer).probability
    raised = Context(risk_medium=min(probability + 0.01, 0.98), risk_high=0.99)
    chat = build_chat_graph(context.kits, context.analyzer)
    state = chat.invoke(
        {"messages": [HumanMessage(f"What is {customer}'s risk?")], "language": "en"},
        context=raised,
    )
    payloads = [json.loads(m.content) for m in state["messages"] if isinstance(m, ToolMessage)]
    assert payloads and payloads[0]["risk_level"] == "low"


def test_the_analysis_tool_runs_under_the_runs_context(context):
    from agents.context import Context

    chat = build_chat_graph(context.kits, context.analyzer)
    state = chat.invoke(
        {"messages": [HumanMessage(f"Why will {_high(context)} churn?")]},
        context=Context(risk_high=0.999, risk_medium=0.998),
    )
    payload = json.loads(next(m for m in state["messages"] if isinstance(m, ToolMessage)).content)
    assert payload["risk_level"] == "low" and payload["campaign"] is None


def test_a_turn_without_a_language_answers_in_the_settings_language(demo_service):
    settings = demo_service.settings.model_copy(update={"language": "zh-TW"})
    service = type(demo_service)(demo_service.data, demo_service.model, demo_service.card, settings)
    chat = assemble(settings, service=service).chat
    state = chat.invoke({"messages": [HumanMessage(f"{service.example_id()}?")]})
    assert "流失機率" in state["messages"][-1].content
