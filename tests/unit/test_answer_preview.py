"""What of a streamed LLM answer may be shown before the answer is checked."""

from __future__ import annotations

import json

from langchain_core.messages import AIMessage, HumanMessage, ToolMessage

from agents.chat.preview import AnswerPreview


def _turn(payload: dict) -> list:
    call = {"name": "predict_churn", "args": {"customer_id": "1234-ABCDE"}, "id": "c1"}
    return [
        HumanMessage("Is 1234-ABCDE leaving?"),
        AIMessage("", tool_calls=[{**call, "type": "tool_call"}]),
        ToolMessage(json.dumps(payload), tool_call_id="c1"),
    ]


def _stream(preview: AnswerPreview, text: str) -> list[str]:
    return [preview.add(piece) for piece in text.split("|")]


def test_words_are_shown_as_they_arrive():
    shown = _stream(AnswerPreview(_turn({})), "They |are |likely |to leave.")
    assert shown == ["They ", "They are ", "They are likely ", "They are likely to leave."]


def test_a_figure_is_shown_only_once_it_is_complete():
    preview = AnswerPreview(_turn({"probability": 0.82, "tenure": 12}))
    assert preview.add("Tenure: 1") == "Tenure: "
    assert preview.add("2 months") == "Tenure: 12 months"


def test_a_tool_figure_and_its_percentage_are_shown():
    preview = AnswerPreview(_turn({"probability": 0.82}))
    assert preview.add("Probability 82% (0.82).") == "Probability 82% (0.82)."


def test_the_preview_stops_at_a_figure_no_tool_produced():
    preview = AnswerPreview(_turn({"probability": 0.82}))
    shown = _stream(preview, "Risk is |high: |97% |sure, |truly.")
    assert shown[-1] == "Risk is high: " and preview.held


def test_the_preview_stops_at_leaked_template_markup():
    preview = AnswerPreview(_turn({}))
    shown = _stream(preview, "Hello |<</SYS>> |there")
    assert shown[-1] == "Hello " and preview.held


def test_a_chinese_answer_streams_without_spaces():
    preview = AnswerPreview(_turn({"probability": 0.82}))
    assert _stream(preview, "這位客戶|流失機率|82%|，建議致電") == [
        "這位客戶",
        "這位客戶流失機率",
        "這位客戶流失機率",  # 82% may still grow
        "這位客戶流失機率82%，建議致電",
    ]
