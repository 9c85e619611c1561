"""Questions over many customers, read into `query_customers` arguments: filters, a grouping,
measures and how many customers to list. The words are data (`vocabulary.toml`)."""

from __future__ import annotations

import re

from agents.chat.vocabulary import VOCABULARY, first_named, names_any, padded

_NUMBER = re.compile(r"(?<![\d.-])(\d{1,4})(?![\d.%-])")
#: How many customers a list may show; the answer always says how many match in all.
MAX_LISTED = 500


def filters_in(question: str) -> list[dict]:
    """The segment a question names: one value per column, the first named wins."""
    text, found = padded(question), {}
    for entry in VOCABULARY["filter"]:
        if entry["column"] not in found and any(w in text for w in entry["words"]):
            found[entry["column"]] = {"column": entry["column"], "values": [entry["value"]]}
    return list(found.values())


_CJK = re.compile(r"[\u4e00-\u9fff]")


def _which_category(question: str) -> str | None:
    """The category a "which …" question compares ("which contract type", 哪種付款方式)."""
    text = padded(question)
    nouns = sorted(
        ((noun, column) for column, words in VOCABULARY["categories"].items() for noun in words),
        key=lambda pair: len(pair[0]),
        reverse=True,
    )
    for noun, column in nouns:
        if _CJK.search(noun):
            if any(f"{which}{noun}" in question for which in VOCABULARY["which"]["zh-TW"]):
                return column
        elif any(f" {which} {noun} " in text for which in VOCABULARY["which"]["en"]):
            return column
    return None


def group_in(question: str) -> str | None:
    return first_named(question, VOCABULARY["group_by"]) or _which_category(question)


def ranking_in(question: str) -> str | None:
    """ "most" or "least" when a comparison asks for its largest or smallest group."""
    for rank in ("least", "most"):
        if names_any(question, VOCABULARY["ranking"][rank], whole=not _CJK.search(question)):
            return rank
    return None


def _split_within(question: str) -> tuple[str, str] | None:
    """A share-within question split into its segment and its condition."""
    if _CJK.search(question):
        if "佔" in question:  # 高風險客戶佔月租制客戶的比例: condition 佔 segment
            condition, _, segment = question.partition("佔")
            return segment, condition
        for marker in VOCABULARY["within"]["zh-TW"]:
            if marker in question:
                segment, _, condition = question.partition(marker)
                return segment, condition
        return None
    text = padded(question)
    starts = [text.find(w) + len(w) for w in VOCABULARY["within"]["share_words"] if w in text]
    if not starts:
        return None
    start = min(starts)
    ends = [(text.find(m, start), m) for m in VOCABULARY["within"]["en"] if m in text[start:]]
    if not ends:
        return None
    end, marker = min(ends)
    return text[start:end], text[end:]


def within_segment(question: str) -> tuple[list[dict], dict] | None:
    """ "What share of month-to-month customers are high risk?": the segment's filters and the
    condition whose share within it is asked for; None for any other question."""
    if not names_any(question, VOCABULARY["within"]["share_words"]):
        return None
    parts = _split_within(question)
    if parts is None:
        return None
    segment, condition = (filters_in(p) for p in parts)
    named = {f["column"] for f in segment}
    condition = [f for f in condition if f["column"] not in named]
    if not segment or not condition:
        return None
    return segment, condition[0]


def share_within(segment: list[dict], condition: dict) -> tuple[dict, dict]:
    """The query and the view of "what share of <segment> are <condition>": the segment's
    customers grouped by the condition's column, the condition's group in focus."""
    query = {"filters": segment, "group_by": condition["column"], "measures": ["count", "share"]}
    return query, {"focus": [condition["column"], condition["values"][0]]}


def number_column_in(question: str) -> str | None:
    return first_named(question, VOCABULARY["numbers"])


def measures_in(question: str) -> list[str]:
    return [m for m, words in VOCABULARY["measures"].items() if names_any(question, words)]


def query_arguments(question: str, listed: int | None = None) -> dict | None:
    """`query_customers` arguments for a question over many customers, or None when the
    question asks for no figure over a segment. `listed` asks for the N likeliest churners."""
    within = within_segment(question)
    if within is not None:  # the share within the segment: its groups by the condition
        return share_within(*within)[0]
    measures = measures_in(question)
    group = group_in(question)
    if not measures and group is None and listed is None and number_column_in(question) != "clv":
        return None
    column = number_column_in(question)
    if column == "clv" and not {"mean", "median", "sum"} & set(measures):
        measures += ["sum", "mean"]  # "lifetime value of fiber customers": total and average
    if "mean_probability" in measures and "mean" in measures:
        measures.remove("mean")  # "average churn probability" is its own measure
    if any(m in ("mean", "median", "sum") for m in measures) and column is None:
        column = "MonthlyCharges"  # a bare "average" is about the bill
    if not measures:
        measures = ["count", "share"]
    if "count" in measures and "share" not in measures:
        measures.append("share")
    arguments: dict = {"filters": filters_in(question), "measures": measures}
    if group is not None:
        arguments["group_by"] = group
    if any(m in ("mean", "median", "sum") for m in measures):
        arguments["column"] = column
    if listed:
        arguments["list_customers"] = min(listed, MAX_LISTED)
    return arguments


def view_of(question: str) -> dict:
    """How the answer presents the figures: the group a comparison asks for ("rank": most or
    least), or the condition whose share within the segment is asked for ("focus")."""
    within = within_segment(question)
    if within is not None:
        return share_within(*within)[1]
    rank = ranking_in(question)
    return {"rank": rank} if rank and group_in(question) else {}


def requested_count(question: str) -> int | None:
    """The N of "top N" / 前 N 名, if any."""
    numbers = [int(n) for n in _NUMBER.findall(re.sub(r"\d{3,5}-\w+", " ", question))]
    return numbers[0] if numbers else None
