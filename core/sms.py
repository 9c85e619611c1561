"""How an SMS is counted and what one segment holds, per language: what the writer checks, a
reviewer's edit is held to, and the export refuses past."""

from __future__ import annotations

from core.languages import spec
from core.types import Language

# GSM 03.38 basic set, and the extension set whose characters take two places.
_GSM7_BASIC = set(
    "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?¡ABCDEFGHIJKLMNOPQRSTUVWXYZ"
    "ÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà"
)
_GSM7_EXTENDED = set("^{}\\[~]|€")


def sms_limit(language: Language) -> int:
    """Characters one SMS segment holds in the language's alphabet (160 GSM-7, 70 UCS-2)."""
    return spec(language).sms_limit


def sms_length(text: str, language: Language) -> int:
    """Characters as the network counts them: GSM-7 (extension = 2) for a language sent in it,
    else UCS-2."""
    if spec(language).sms_alphabet == "gsm7":
        return sum(2 if c in _GSM7_EXTENDED else 1 for c in text)
    return len(text.encode("utf-16-le")) // 2


def sms_problem(text: str, language: Language) -> str | None:
    if not text.strip():
        return "the SMS is empty"
    if spec(language).sms_alphabet == "gsm7":
        bad = sorted({c for c in text if c not in _GSM7_BASIC and c not in _GSM7_EXTENDED})
        if bad:
            name = spec(language).name
            return f"the {name} SMS has characters outside GSM-7: {''.join(bad)!r}"
    length, limit = sms_length(text, language), sms_limit(language)
    if length > limit:
        return f"the SMS is {length} characters; one {language} segment allows {limit}"
    return None
