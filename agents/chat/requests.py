"""What a message asks the product to do: answer a question, or change something — by meaning,
not by keyword. The chat only reads, so an instruction to change, delete, mark, send, export or
apply something is refused whatever its verb, while a question that merely holds such a word
("Which customers are likely to cancel?", "Write the SMS to send to 7590-VHVEG") is answered.

English: after any polite or pushy opening ("please", "can you", "I want you to"), an
instruction starts with a verb that acts (`changing_verbs`; not when the next word makes it a
noun: "churn rate by contract", `noun_heads`), or one that gives or sends
something to someone named next (`giving_verbs` + `recipients`: "email them the offer", not
"email for 7590-VHVEG" nor "give me the list"); a message that opens with a question
word, a condition ("if …") or a verb that reads ("write", "show") is a question. Chinese: 把/將
… with a verb that acts, or such a verb opening the message (after 請/幫我), unless the message
is a question or a condition (嗎, 哪, 多少, 如果 …). Instructions that try to change the rules
("ignore your rules …") are dropped first and never widen what is answered. The words are data:
`vocabulary.toml`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

from agents.chat.vocabulary import VOCABULARY

_ID = re.compile(r"(?<![\w-])[0-9]{3,5}-?[A-Za-z0-9]{1,8}(?![\w-])")
_CJK = re.compile(r"[\u4e00-\u9fff]")
_WORDS = re.compile(r"[a-z][a-z'\-]*")
#: What may stand before an instruction's verb once a dropped phrase has left it behind.
_LEADING = " \t,，、:：;；.。!！"


def _words(section: str, language: str) -> list[str]:
    # Longest first, so "can you" is taken before "can".
    return sorted(VOCABULARY[section].get(language, []), key=len, reverse=True)


@dataclass(frozen=True)
class Request:
    kind: Literal["question", "change"]
    #: The message without any instruction that tried to change the rules.
    text: str
    #: Whether such an instruction was dropped.
    injected: bool


def _without_injection(message: str) -> tuple[str, bool]:
    text, found = message, False
    for language in VOCABULARY["injection"]:
        for phrase in _words("injection", language):
            pattern = re.compile(re.escape(phrase), re.IGNORECASE)
            if pattern.search(text):
                text, found = pattern.sub(" ", text), True
    return text, found


def _opening_words(text: str) -> list[str]:
    """The message's English words, a customer ID as "someone", punctuation left out."""
    return _WORDS.findall(_ID.sub(" someone ", text.casefold()))


def _starts(words: list[str], phrases: list[str]) -> str | None:
    joined = " ".join(words)
    return next((p for p in phrases if joined == p or joined.startswith(p + " ")), None)


def _english_instruction(text: str) -> bool:
    words = _opening_words(text)
    openings = [*_words("instruction_openings", "en"), "someone"]  # "7590-VHVEG: set …"
    while words and (opening := _starts(words, openings)):
        words = words[len(opening.split()) :]
    if not words or _starts(words, _words("question_openings", "en")):
        return False
    verb = _starts(words, _words("changing_verbs", "en"))
    if verb:
        # "Churn rate by contract", "credit card customers": the verb is a noun's first word.
        after = words[len(verb.split()) : len(verb.split()) + 1]
        return not (after and after[0] in VOCABULARY["noun_heads"]["en"])
    if words[0] in VOCABULARY["giving_verbs"]["en"]:
        return bool(_starts(words[1:], _words("recipients", "en")))
    return False


def _chinese_instruction(text: str) -> bool:
    chinese = "".join(_CJK.findall(text)) + ("？" if "?" in text or "？" in text else "")
    if not chinese.strip("？"):
        return False
    if any(word in text for word in VOCABULARY["question_openings"]["zh-TW"]):
        return False
    verbs = VOCABULARY["changing_verbs_zh"]["zh-TW"]
    body = _ID.sub(" ", text).strip(_LEADING)
    for opening in _words("instruction_openings", "zh-TW"):
        body = body.removeprefix(opening).lstrip(_LEADING)
    if any(body.startswith(v) for v in verbs) or (body.startswith("給") and body[1:2] != "我"):
        return True
    objects = VOCABULARY["changing_verbs_zh"]["zh_objects"]
    return any(o in body and any(v in body[body.index(o) :] for v in verbs) for o in objects)


def what_it_asks(message: str) -> Request:
    """Whether `message` is a question or an instruction to change something."""
    text, injected = _without_injection(message)
    # Each sentence is read: "Thanks! Now delete 7590-VHVEG." is an instruction.
    sentences = [s for s in re.split(r"(?<=[.!?。！？;；\n])", text) if s.strip()]
    change = any(_english_instruction(s) or _chinese_instruction(s) for s in sentences)
    return Request("change" if change else "question", text, injected)
