"""The offline chat's answers, written from tool results only (English and Traditional Chinese).

`results` maps each tool name to the payloads it returned this turn, in call order. A payload is
the tool's JSON result, or its error message (a string) when the tool refused.
"""

from __future__ import annotations

from dataclasses import dataclass

from agents.chat.intents import Intent
from agents.writers.phrases import WORDS
from core.types import Language
from data.schema import CUSTOMER_ID_EXAMPLE, FEATURE_LABELS
from tools.playbook import Playbook

Results = dict[str, list[dict | str]]
#: Only when no data is at hand; the chat passes IDs of the table in use.
EXAMPLES = (CUSTOMER_ID_EXAMPLE, "5575-GNVDE")


@dataclass(frozen=True)
class Reference:
    """What the offline router knows of the data in use: the offer playbook (titles in each
    language) and two IDs of the table, for help texts."""

    playbook: Playbook
    examples: tuple[str, str] = EXAMPLES


HELP: dict[Language, str] = {
    "en": (
        "I can answer, for any customer ID (e.g. {example}):\n"
        "- **why** will {example} churn? · what is {example}'s **risk**?\n"
        "- what should we **offer** {example}?\n"
        "- write the **email** / **SMS** / **call script** for {example}\n"
        "- **what if** {example} moved to a one-year contract / auto-pay / added tech support?\n"
        "- **compare** {example} and {other}\n"
        "- **top 10** at-risk customers (optionally high-value)\n"
        "- how does the **model** work and how good is it?\n"
        "I can only read data: I cannot change, delete or export customer records."
    ),
    "zh-TW": (
        "我可以回答（客戶編號例如 {example}）：\n"
        "- **為什麼** {example} 會流失？{example} 的**風險**多高？\n"
        "- 該提供 {example} 什麼**優惠**？\n"
        "- 幫 {example} 寫**郵件**／**簡訊**／**電話腳本**\n"
        "- **如果** {example} 改成一年約／自動扣繳／加購技術支援會怎樣？\n"
        "- **比較** {example} 和 {other}\n"
        "- 列出**前 10 名**高風險客戶（可指定高價值）\n"
        "- **模型**怎麼運作、準確度如何？\n"
        "我只能讀取資料，無法修改、刪除或匯出客戶資料。"
    ),
}
READ_ONLY: dict[Language, str] = {
    "en": "I can only read customer data; nothing here can change or delete records.",
    "zh-TW": "我只能讀取客戶資料，無法修改或刪除任何紀錄。",
}
NEED_ID: dict[Language, str] = {
    "en": "Which customer? Give a customer ID like {example}.",
    "zh-TW": "請問是哪一位客戶？請提供客戶編號，例如 {example}。",
}
NEED_CHANGE: dict[Language, str] = {
    "en": "What should change? e.g. a one-year contract, auto-pay or tech support.",
    "zh-TW": "要改變什麼？例如一年約、自動扣繳或技術支援。",
}


_TABLE_HEAD: dict[Language, tuple[str, str]] = {
    "en": (
        "| customer | churn probability | risk | value | monthly | top driver |",
        "|" + "---|" * 6,
    ),
    "zh-TW": ("| 客戶 | 流失機率 | 風險 | 價值 | 月費 | 主要因素 |", "|" + "---|" * 6),
}


def _pct(p: float) -> str:
    return f"{p * 100:.1f}%"


def _first(results: Results, tool: str) -> dict | str | None:
    found = results.get(tool) or []
    return found[0] if found else None


def _error(results: Results) -> str | None:
    return next((p for payloads in results.values() for p in payloads if isinstance(p, str)), None)


def _risk(p: dict, v: dict, lang: Language) -> str:
    w = WORDS[lang]
    drivers = [d for d in p["drivers"] if d["contribution"] > 0][:3]
    if lang == "zh-TW":
        lines = [
            f"**{p['customer_id']}** 流失機率 **{_pct(p['probability'])}**，"
            f"風險{w[p['risk_level']]}；{w[v['tier']]}價值客戶"
            f"（月費 {v['monthly_charges']:.2f} 元，"
            f"{v['clv_horizon_months']} 個月營收 {v['clv_estimate']:,.2f} 元）。",
            "主要流失因素：",
        ]
    else:
        lines = [
            f"**{p['customer_id']}** has a churn probability of **{_pct(p['probability'])}** "
            f"({p['risk_level']} risk), a {v['tier']}-value customer "
            f"({v['monthly_charges']:.2f} a month, {v['clv_estimate']:,.2f} over "
            f"{v['clv_horizon_months']} months).",
            "Strongest drivers towards churn:",
        ]
    lines += [
        f"- {FEATURE_LABELS[d['feature']]}: {d['value']} ({d['contribution']:+.2f} log-odds)"
        + (" *(simulated)*" if d["simulated"] else "")
        for d in drivers
    ]
    return "\n".join(lines)


def _why(a: dict, lang: Language) -> str:
    head = a["summary"]
    reasons = [f"- **{r['title']}** — {r['explanation']}" for r in a["reasons"]]
    warnings = [f"- ⚠ {w}" for w in a["warning_signs"]]
    label = "主要原因：" if lang == "zh-TW" else "Main reasons:"
    return "\n".join([head, label, *reasons, *warnings])


def _offer(e: dict, lang: Language, playbook: Playbook) -> str:
    if not e["options"]:
        return (
            f"{e['customer_id']} 沒有符合資格且在預算內的方案。"
            if lang == "zh-TW"
            else f"No playbook offer is eligible for {e['customer_id']} within the budget."
        )
    best, rest = e["options"][0], e["options"][1:3]
    title = playbook.get(best["offer_id"]).title_in(lang)
    if lang == "zh-TW":
        lines = [
            f"建議提供 **{e['customer_id']}**：**{title}**",
            f"- 成本 {best['total_cost']:,.2f} 元；流失機率 {_pct(e['probability'])} → "
            f"{_pct(best['probability_after'])}；期望價值 {best['expected_value']:,.2f} 元",
        ]
        if best["expected_value"] <= 0:
            lines.append("- 注意：在模型下沒有任何方案能回本。")
        lines += [
            f"- 備選：{playbook.get(o['offer_id']).title_in(lang)}（期望價值 "
            f"{o['expected_value']:,.2f} 元）"
            for o in rest
        ]
        lines.append("模型僅呈現相關性，重新評分的效果為估計值。")
    else:
        lines = [
            f"Best offer for **{e['customer_id']}**: **{title}**",
            f"- costs {best['total_cost']:,.2f}; churn probability {_pct(e['probability'])} → "
            f"{_pct(best['probability_after'])}; expected value {best['expected_value']:,.2f}",
        ]
        if best["expected_value"] <= 0:
            lines.append("- Note: no eligible offer pays for itself under the model.")
        lines += [
            f"- runner-up: {playbook.get(o['offer_id']).title_in(lang)} "
            f"(expected value {o['expected_value']:,.2f})"
            for o in rest
        ]
        lines.append("The model is correlational: re-scored effects are estimates.")
    return "\n".join(lines)


def _message(a: dict, kind: str, lang: Language) -> str:
    c = a["communications"]
    if c is None:
        note = (
            "低風險，持續觀察，不需聯繫。" if lang == "zh-TW" else "Low risk: monitor, no message."
        )
        return f"{a['summary']}\n\n{note}"
    if kind == "email":
        return f"**{c['email']['subject']}**\n\n{c['email']['body']}"
    if kind == "sms":
        count = "字數" if lang == "zh-TW" else "characters"
        return f"{c['sms']['text']}\n\n({count}: {c['sms']['length']}/{c['sms']['limit']})"
    s = c["call_script"]
    objections = [f"   - “{o['objection']}” → {o['answer']}" for o in s["objections"]]
    return "\n".join(
        [
            f"1. {s['greeting']}",
            f"2. {s['reason_for_call']}",
            f"3. {s['offer']}",
            *objections,
            f"4. {s['close']}",
        ]
    )


def _what_if(r: dict, lang: Language) -> str:
    changes = ", ".join(f"{FEATURE_LABELS[k]} → {v}" for k, v in r["changes"].items())
    if lang == "zh-TW":
        return (
            f"若 **{r['customer_id']}** 變更（{changes}），"
            f"流失機率由 {_pct(r['probability_before'])} "
            f"變為 **{_pct(r['probability_after'])}**"
            f"（風險{WORDS[lang][r['risk_before']]} → {WORDS[lang][r['risk_after']]}）。"
            "模型僅呈現相關性，非因果保證。"
        )
    return (
        f"With {changes}, **{r['customer_id']}**'s churn probability goes from "
        f"{_pct(r['probability_before'])} to **{_pct(r['probability_after'])}** "
        f"({r['risk_before']} → {r['risk_after']} risk). The model is correlational: an estimate, "
        "not a promise."
    )


def _compare(results: Results, lang: Language) -> str:
    predictions, segments = results["predict_churn"], results["segment_value"]
    rows = list(_TABLE_HEAD[lang])
    for p, v in zip(predictions, segments, strict=True):
        top = next((d for d in p["drivers"] if d["contribution"] > 0), None)
        driver = f"{FEATURE_LABELS[top['feature']]}: {top['value']}" if top else "—"
        rows.append(
            f"| {p['customer_id']} | {_pct(p['probability'])} | {WORDS[lang][p['risk_level']]} | "
            f"{WORDS[lang][v['tier']]} | {v['monthly_charges']:.2f} | {driver} |"
        )
    return "\n".join(rows)


def _top(r: dict, lang: Language) -> str:
    if not r["customers"]:
        return "沒有符合條件的客戶。" if lang == "zh-TW" else "No customers match those filters."
    rows = list(_TABLE_HEAD[lang])
    rows += [
        f"| {c['customer_id']} | {_pct(c['probability'])} | {WORDS[lang][c['risk_level']]} | "
        f"{WORDS[lang][c['value_tier']]} | {c['monthly_charges']:.2f} | "
        f"{FEATURE_LABELS[c['top_driver']]} |"
        for c in r["customers"]
    ]
    total = (
        f"共 {r['matching']:,} 位客戶符合條件。"
        if lang == "zh-TW"
        else f"{r['matching']:,} customers match in all."
    )
    return "\n".join([*rows, "", total])


def _model(m: dict, lang: Language) -> str:
    k = m["metrics"]
    sets = "; ".join(
        f"{name}: ROC-AUC {v['roc_auc']:.3f}, Brier {v['brier']:.3f}"
        for name, v in m["feature_set_comparison"].items()
    )
    if lang == "zh-TW":
        return (
            f"模型：**{m['model']}**（{m['description']}），特徵集 {m['feature_set']}。\n"
            f"- 交叉驗證（{k['repeats']} 次重複 × {k['folds']} 折）：ROC-AUC {k['roc_auc']:.3f}、"
            f"PR-AUC {k['pr_auc']:.3f}、Brier {k['brier']:.3f}、前十分位提升度 "
            f"{k['top_decile_lift']:.2f}\n- 特徵集比較：{sets}\n"
            f"- 解釋方法：{m['explanation_method']}\n"
            f"- 訓練資料：{m['trained_on']}\n模型僅呈現相關性，不代表因果。"
        )
    return (
        f"The model is **{m['model']}**: {m['description']}, on the {m['feature_set']} features.\n"
        f"- Cross-validated ({k['repeats']} repeats × {k['folds']} folds, out-of-fold only): "
        f"ROC-AUC {k['roc_auc']:.3f}, PR-AUC {k['pr_auc']:.3f}, Brier {k['brier']:.3f}, "
        f"top-decile lift {k['top_decile_lift']:.2f}\n- Feature sets side by side: {sets}\n"
        f"- Drivers: {m['explanation_method']}\n- Chosen as the {m['selection_rule']}\n"
        f"- Trained on {m['trained_on']}\nIt is correlational: drivers describe who churns, "
        "not proof of cause."
    )


def answer(intent: Intent, results: Results, reference: Reference) -> str:
    """The reply to one question from this turn's tool results."""
    words = {"example": reference.examples[0], "other": reference.examples[1]}
    lang = intent.language
    if intent.kind == "help":
        return HELP[lang].format(**words)
    if intent.kind == "read_only":
        return READ_ONLY[lang] + "\n\n" + HELP[lang].format(**words)
    if intent.needs_customer and not intent.customer_ids:
        return NEED_ID[lang].format(**words)
    error = _error(results)
    if error is not None:
        return error
    match intent.kind:
        case "risk":
            return _risk(_first(results, "predict_churn"), _first(results, "segment_value"), lang)
        case "why":
            return _why(_first(results, "analyze_customer"), lang)
        case "email" | "sms" | "call_script":
            return _message(_first(results, "analyze_customer"), intent.kind, lang)
        case "offer":
            return _offer(_first(results, "evaluate_offers"), lang, reference.playbook)
        case "what_if":
            return _what_if(_first(results, "what_if"), lang)
        case "compare":
            return _compare(results, lang)
        case "top":
            return _top(_first(results, "list_at_risk"), lang)
        case "model":
            return _model(_first(results, "model_card"), lang)
    return HELP[lang].format(**words)
