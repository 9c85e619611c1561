"""The Ask evaluation set: conversations a manager would have, in English and Chinese, single
and multi-turn, each with what the last answer must hold — figures computed here from the scored
table and the tools, never typed in. `test_chat_evaluation.py` runs them and reports the rate.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import pandas as pd
from langgraph.graph.state import CompiledStateGraph

from crm_agents.composition import Assembly

Check = Callable[[str], bool]


@dataclass(frozen=True)
class Conversation:
    name: str
    turns: tuple[str, ...]
    expect: tuple[str, ...]  # strings the last answer must contain
    absent: tuple[str, ...] = ()  # strings it must not contain


def _pct(p: float) -> str:
    return f"{p * 100:.1f}%"


def _count(n: int) -> str:
    return f"**{n:,}**"


def conversations(app: Assembly) -> list[Conversation]:
    service = app.service
    scores = service.scores().set_index("customerID")
    table = service.customers.loc[scores.index].join(scores)
    high = scores[scores.risk_level == "high"].index
    low = scores[scores.risk_level == "low"].index
    x, y, z = high[0], high[1], low[0]
    px, py = scores.churn_probability[x], scores.churn_probability[y]
    desk_x = app.kits.default.desk.evaluate(x)
    best_en = app.playbook.get(desk_x.options[0].offer_id).title_in("en")
    best_zh = app.playbook.get(desk_x.options[0].offer_id).title_in("zh-TW")
    after_1y = service.what_if(x, {"Contract": "One year"}).probability_after
    n_high = int((table.risk_level == "high").sum())
    n_fiber = int((table.InternetService == "Fiber optic").sum())
    fiber = table[table.InternetService == "Fiber optic"]
    churn_fiber = (fiber.Churn == "Yes").mean()
    by_contract = table.groupby("Contract").Churn.apply(lambda c: (c == "Yes").mean())
    mean_bill_senior = table[table.SeniorCitizen == 1].MonthlyCharges.mean()
    at_risk = (table.churn_probability * table.monthly_charges).groupby(table.value_tier).sum()
    share_echeck = (table.PaymentMethod == "Electronic check").mean()
    median_tenure = table.tenure.median()
    mean_p_paperless = table[table.PaperlessBilling == "Yes"].churn_probability.mean()
    top5 = list(scores.index[:5])
    top5_high_value = list(scores[scores.value_tier == "high"].index[:5])
    top_fiber = list(fiber.sort_values("churn_probability", ascending=False).index[:3])
    lower = x.lower()
    cases = [
        # ---- one customer, English -----------------------------------------------------
        Conversation("risk", (f"What is {x}'s risk?",), (_pct(px), "high risk")),
        Conversation("risk, lower-case ID", (f"what is {lower}'s churn risk?",), (_pct(px),)),
        Conversation("why", (f"Why will {x} churn?",), ("Main reasons",)),
        Conversation(
            "ID without its dash gets the closest IDs",
            (f"What is {x.replace('-', '')}'s risk?",),
            ("Did you mean", x),
        ),
        Conversation("offer", (f"What should we offer {x}?",), (best_en,)),
        Conversation("email", (f"Write the email for {x}",), ("Dear customer",)),
        Conversation("sms", (f"Write the SMS for {x}",), ("/ 160 characters",)),
        Conversation("script", (f"Give me the call script for {x}",), ("1. Greeting:",)),
        Conversation("what-if", (f"What if {x} moved to a one-year contract?",), (_pct(after_1y),)),
        Conversation("compare", (f"Compare {x} and {y}",), (_pct(px), _pct(py))),
        Conversation("low risk, no message", (f"Write the email for {z}",), ("monitor",)),
        Conversation(
            "low risk, no offer",
            (f"What should we offer {z}?",),
            ("low risk", "monitor"),
            ("budget",),
        ),
        Conversation("model", ("How good is the model?",), ("ROC-AUC",)),
        Conversation("read-only", (f"Delete customer {x}",), ("only read",)),
        Conversation(
            "send is refused with the way to do it",
            (f"Send the SMS to {x} now",),
            ("only read", "crm-agents batch"),
        ),
        Conversation("out of scope", ("What's the weather?",), ("I can answer",)),
        # ---- many customers, English ---------------------------------------------------
        Conversation("top 5", ("Top 5 at-risk customers",), tuple(top5)),
        Conversation(
            "top 5 high-value", ("Top 5 high-value at-risk customers",), tuple(top5_high_value)
        ),
        Conversation(
            "count high risk", ("How many high-risk customers are there?",), (_count(n_high),)
        ),
        Conversation("count fiber", ("How many fiber customers do we have?",), (_count(n_fiber),)),
        Conversation(
            "churn rate fiber",
            ("What is the churn rate of fiber customers?",),
            (_pct(churn_fiber),),
        ),
        Conversation(
            "churn rate by contract",
            ("Churn rate by contract",),
            tuple(_pct(v) for v in by_contract),
        ),
        Conversation(
            "mean bill seniors",
            ("Average monthly charges of senior customers",),
            (f"{mean_bill_senior:,.2f}",),
        ),
        Conversation(
            "revenue at risk by tier",
            ("Monthly revenue at risk by value tier",),
            tuple(f"{v:,.2f}" for v in at_risk),
        ),
        Conversation(
            "share e-check",
            ("What share of customers pay by electronic check?",),
            (_pct(share_echeck),),
        ),
        Conversation(
            "median tenure", ("Median tenure of our customers",), (f"{median_tenure:,.2f}",)
        ),
        Conversation(
            "mean probability paperless",
            ("Average churn probability of paperless customers",),
            (_pct(mean_p_paperless),),
        ),
        Conversation(
            "top fiber keeps the filter",
            ("Top 3 fiber customers most likely to leave",),
            (*top_fiber, f"of {n_fiber:,} that match"),
        ),
        # ---- one customer, Chinese -----------------------------------------------------
        Conversation("zh risk", (f"{x} 的流失風險多高？",), (_pct(px), "高風險")),
        Conversation("zh why", (f"為什麼 {x} 會流失？",), ("主要原因",)),
        Conversation("zh offer", (f"該提供 {x} 什麼優惠？",), (best_zh,)),
        Conversation("zh email", (f"幫 {x} 寫郵件",), ("親愛的客戶",)),
        Conversation("zh sms", (f"幫 {x} 寫簡訊",), ("/ 70 字",)),
        Conversation("zh script", (f"給我 {x} 的電話腳本",), ("1. 開場：",), ("Greeting",)),
        Conversation("zh what-if", (f"如果 {x} 改成一年約會怎樣？",), (_pct(after_1y),)),
        Conversation("zh compare", (f"比較 {x} 和 {y}",), (_pct(px), "流失機率")),
        Conversation("zh low risk", (f"幫 {z} 寫郵件",), ("低風險",)),
        Conversation("zh model", ("模型的準確度如何？",), ("ROC-AUC", "模型")),
        Conversation("zh read-only", (f"刪除客戶 {x}",), ("只能讀取",)),
        Conversation("zh send refused", (f"把簡訊發送給 {x}",), ("只能讀取", "批次")),
        Conversation("zh out of scope", ("今天天氣如何？",), ("我可以回答",)),
        # ---- many customers, Chinese ---------------------------------------------------
        Conversation(
            "zh top 5",
            ("列出前 5 名高風險客戶",),
            tuple(list(scores[scores.risk_level == "high"].index[:5])),
        ),
        Conversation("zh count high risk", ("高風險客戶有幾位？",), (_count(n_high), "佔比")),
        Conversation("zh churn rate fiber", ("光纖客戶的流失率是多少？",), (_pct(churn_fiber),)),
        Conversation(
            "zh churn rate by contract",
            ("依合約類型的流失率",),
            (*(_pct(v) for v in by_contract), "月租制"),
            ("Month-to-month",),
        ),
        Conversation(
            "zh mean bill seniors", ("銀髮族客戶的平均月費",), (f"{mean_bill_senior:,.2f}",)
        ),
        Conversation(
            "zh revenue at risk by tier",
            ("依價值的面臨風險的營收",),
            (*(f"{v:,.2f}" for v in at_risk), "高"),
        ),
        Conversation("zh share e-check", ("用電子支票付款的客戶佔比",), (_pct(share_echeck),)),
        # ---- follow-ups ----------------------------------------------------------------
        Conversation(
            "offer for them", (f"What is {x}'s risk?", "What should we offer them?"), (best_en,)
        ),
        Conversation(
            "bare follow-up", (f"Why will {x} churn?", "And the SMS?"), ("/ 160 characters",)
        ),
        Conversation(
            "what-if follow-up",
            (f"What is {x}'s risk?", "What if that customer moved to a one-year contract?"),
            (_pct(after_1y),),
        ),
        Conversation(
            "ambiguous after compare",
            (f"Compare {x} and {y}", "Why will that customer churn?"),
            ("Which customer", x, y),
        ),
        Conversation(
            "both of them",
            (f"Compare {x} and {y}", "How good is the model?", "What is the risk of both of them?"),
            (_pct(px), _pct(py)),
        ),
        Conversation(
            "zh follow-up", (f"{x} 的流失風險多高？", "這位客戶為什麼會流失？"), ("主要原因",)
        ),
        Conversation(
            "zh offer follow-up", (f"為什麼 {x} 會流失？", "該提供他什麼方案？"), (best_zh,)
        ),
        Conversation(
            "language asked and kept",
            (f"What is {x}'s risk? Answer in Traditional Chinese.", "What should we offer them?"),
            (best_zh,),
        ),
        Conversation(
            "language switched back",
            ("請用中文回答：模型準確度如何？", f"Answer in English: what is {x}'s risk?"),
            (_pct(px), "churn probability"),
        ),
        Conversation(
            "subject survives a segment question",
            (
                f"What is {x}'s risk?",
                "How many high-risk customers are there?",
                "Write them an email",
            ),
            ("Dear customer",),
        ),
        Conversation(
            "switch subject",
            (f"What is {x}'s risk?", f"And {y}?", "What should we offer them?"),
            (
                app.playbook.get(app.kits.default.desk.evaluate(y).options[0].offer_id).title_in(
                    "en"
                ),
            ),
        ),
        Conversation(
            "zh compare then which",
            (f"比較 {x} 和 {y}", "幫這位客戶寫簡訊"),
            ("哪一位", x, y),
        ),
        Conversation(
            "two-turn segment then top",
            ("How many fiber customers do we have?", "Top 3 fiber customers most likely to leave"),
            tuple(top_fiber),
        ),
        Conversation(
            "zh both of them", (f"比較 {x} 和 {y}", "他們的流失風險多高？"), (_pct(px), _pct(py))
        ),
        Conversation(
            "count medium risk",
            ("How many medium-risk customers are there?",),
            (_count(int((table.risk_level == "medium").sum())),),
        ),
        Conversation(
            "two parts, one customer",
            (f"What is {x}'s risk and what should we offer them?",),
            (_pct(px), best_en),
        ),
        Conversation(
            "two parts in Chinese", (f"{x} 的風險多高？還有該提供什麼方案？",), (_pct(px), best_zh)
        ),
        Conversation(
            "two segment questions",
            ("How many high-risk customers are there and what is the churn rate by contract?",),
            (_count(n_high), *(_pct(v) for v in by_contract)),
        ),
        Conversation(
            "the same for another segment",
            ("What is the churn rate of fiber customers?", "The same for DSL customers"),
            (_pct((table[table.InternetService == "DSL"].Churn == "Yes").mean()),),
        ),
        Conversation(
            "zh same for a segment",
            ("高風險客戶有幾位？", "高價值客戶呢？"),
            (_count(int(((table.risk_level == "high") & (table.value_tier == "high")).sum())),),
        ),
        Conversation("zh median tenure", ("客戶在網月數的中位數",), (f"{median_tenure:,.2f}",)),
    ]
    return cases


def run(chat: CompiledStateGraph, conversation: Conversation, thread: str) -> tuple[bool, str]:
    """Play the conversation on a fresh thread; pass when the last answer holds every expected
    string and none of the absent ones."""
    from langchain_core.messages import HumanMessage

    answer = ""
    config = {"configurable": {"thread_id": thread}}
    for question in conversation.turns:
        state = chat.invoke({"messages": [HumanMessage(question)]}, config)
        answer = str(state["messages"][-1].content)
    missing = [e for e in conversation.expect if e not in answer]
    present = [a for a in conversation.absent if a in answer]
    return not missing and not present, f"missing {missing}, unwanted {present}: {answer[:300]!r}"


def frame_for_report(results: list[tuple[str, bool, str]]) -> pd.DataFrame:
    return pd.DataFrame(results, columns=["conversation", "passed", "detail"])
