"""The offline writer's messages to the customer: email, SMS and call script, English and
zh-TW, opened by what matters for this customer and answering the objections their offer meets.
Every figure comes from the facts it was given (the chosen offer and the customer's own bill).
"""

from __future__ import annotations

from agents.outputs import CommunicationDraft, ObjectionAnswer, sms_problem
from core.types import Language

_OBJECTIONS: dict[Language, dict[str, tuple[str, str]]] = {
    "en": {
        "catch": (
            "What's the catch?",
            "There is none: {pitch}. You can ask us anything in writing before you decide.",
        ),
        "competitor": (
            "Another provider offered me a better deal.",
            "I understand. With this "
            "offer your bill is ${price} a month, and you keep your service as it is.",
        ),
        "contract": (
            "I don't want to be locked into a contract.",
            "That's fair. The contract "
            "comes with {discount} off, and we review the plan with you before it ends.",
        ),
        "need": (
            "I don't really need that service.",
            "Try it at no cost: if it's not useful, "
            "we switch it off and nothing changes on your bill.",
        ),
        "think": (
            "I need to think about it.",
            "Of course. I'll send the details by email so you can decide in your own time.",
        ),
    },
    "zh-TW": {
        "catch": ("有什麼附帶條件嗎？", "沒有附帶條件：{pitch}。決定前有任何疑問都可以先問我們。"),
        "competitor": (
            "別家業者給我更好的價格。",
            "了解。參加這個方案後，您的月費是 {price} 元，服務內容維持不變。",
        ),
        "contract": (
            "我不想被合約綁住。",
            "可以理解。合約搭配 {discount} 折扣，到期前我們也會主動和您檢視方案。",
        ),
        "need": ("我其實不需要這項服務。", "可以先免費試用，覺得不實用就幫您關閉，帳單不受影響。"),
        "think": ("我想再考慮一下。", "當然。我會把詳細內容寄到您的信箱，您可以慢慢決定。"),
    },
}

#: Below this tenure a letter welcomes rather than thanks for loyalty.
NEW_CUSTOMER_MONTHS = 3


def _objection_keys(offer_type: str, has_contract: bool) -> list[str]:
    if has_contract:
        return ["contract", "competitor", "think"]
    if offer_type in ("free_trial", "upgrade", "loyalty"):
        return ["need", "catch", "think"]
    return ["catch", "competitor", "think"]


def _opening(facts: dict, language: Language) -> str:
    """Why we reach out, chosen by what matters for this customer."""
    ctx, tier = facts["context"], facts["value_tier"]
    tenure = ctx["tenure_months"]
    first = ctx["reasons"][0] if ctx["reasons"] else ""
    new = tenure < NEW_CUSTOMER_MONTHS
    if language == "zh-TW":
        if new:
            lead = "歡迎您加入！感謝您選擇我們。"
        elif tier == "high":
            lead = f"感謝您 {tenure} 個月來的支持，您是我們非常重視的客戶。"
        else:
            lead = f"感謝您 {tenure} 個月來選擇我們。"
        extra = {
            "Contract": "我們想讓您接下來的服務更划算、更安心。",
            "TechSupport": "我們希望您遇到問題時，隨時有人協助。",
            "OnlineSecurity": "我們希望您的上網環境更安全。",
            "MonthlyCharges": "我們檢視了您的帳單，想幫您省一點。",
            "PaymentMethod": "我們想讓您的繳費更輕鬆。",
        }.get(first, "我們想確認目前的方案仍然最適合您。")
        return lead + extra
    if new:
        lead = "Welcome aboard, and thank you for choosing us."
    elif tier == "high":
        lead = (
            f"Thank you for your {tenure} months with us; you are one of our most valued customers."
        )
    elif tier == "low":
        lead = f"Thank you for your {tenure} months with us. We want your plan to fit your budget."
    else:
        lead = f"Thank you for your {tenure} months with us."
    extra = {
        "Contract": " We'd like to make the months ahead simpler and better value for you.",
        "TechSupport": " We want you to have help at hand whenever something goes wrong.",
        "OnlineSecurity": " We want your connection to be safe as well as fast.",
        "MonthlyCharges": " We looked at your bill and found a way to lower it.",
        "PaymentMethod": " We'd like to make paying your bill effortless.",
        "InternetService": " We want to make sure your internet plan is the right one for you.",
    }.get(first, " We'd like to make sure your plan is still the best fit for you.")
    return lead + extra


def _sms(facts: dict, language: Language) -> str:
    o = facts["offer"]
    if language == "zh-TW":
        candidates = [
            f"【客服中心】{o['title']}，回覆 Y 即可申辦，詳情請洽客服。",
            f"【客服中心】{o['title']}，回覆 Y 申辦。",
            f"{o['title']}，回覆 Y 申辦。",
        ]
    else:
        candidates = [
            f"Customer Care: {o['pitch'][0].upper() + o['pitch'][1:]}. Reply YES to accept or "
            "call us. Reply STOP to opt out.",
            f"Customer Care: {o['title']}. Reply YES to accept. Reply STOP to opt out.",
            f"{o['title']}. Reply YES to accept.",
        ]
    for text in candidates:
        if sms_problem(text, language) is None:
            return text
    raise ValueError(f"no SMS template fits one segment for offer {o['title']!r}")


def communication(facts: dict, language: Language) -> CommunicationDraft:
    o = facts["offer"]
    opening = _opening(facts, language)
    price = f"{o['price_during_offer']:.2f}"
    has_contract = "Contract" in o["changes"]
    discount = f"{o['discount_percent']:g}%"
    objections = [
        ObjectionAnswer(
            objection=q, answer=a.format(pitch=o["pitch"], price=price, discount=discount)
        )
        for q, a in (_OBJECTIONS[language][k] for k in _objection_keys(o["type"], has_contract))
    ]
    if language == "zh-TW":
        body = (
            f"親愛的客戶您好：\n\n{opening}\n\n專屬方案：{o['pitch']}。"
            f"方案期間您的月費為 {price} 元。\n\n回覆此信或來電客服即可申辦。\n\n客服中心 敬上"
        )
        return CommunicationDraft(
            email_subject=f"您的專屬方案：{o['title']}",
            email_body=body,
            sms=_sms(facts, language),
            call_greeting="您好，我是客服中心的專員，請問現在方便說話嗎？",
            call_reason=opening,
            call_offer=f"我們為您準備了專屬方案：{o['pitch']}，方案期間月費為 {price} 元。",
            objections=objections,
            call_close="謝謝您，我會立即為您登記，並寄送確認信到您的信箱。",
        )
    body = (
        f"Dear customer,\n\n{opening}\n\nHere is an offer for you: {o['pitch']}. While it runs, "
        f"your monthly bill will be ${price}.\n\nTo accept, reply to this email or call Customer "
        "Care.\n\nKind regards,\nCustomer Care Team"
    )
    return CommunicationDraft(
        email_subject=f"An offer for you: {o['title']}",
        email_body=body,
        sms=_sms(facts, language),
        call_greeting="Hello, this is Customer Care calling. Is now a good moment to talk?",
        call_reason=opening,
        call_offer=f"We'd like to offer you this: {o['pitch']}. Your bill would be ${price} a "
        "month while it runs.",
        objections=objections,
        call_close="Thank you! I'll set that up now and send you a confirmation by email.",
    )
