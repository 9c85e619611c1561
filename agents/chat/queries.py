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


def group_in(question: str) -> str | None:
    return first_named(question, VOCABULARY["group_by"])


def number_column_in(question: str) -> str | None:
    return first_named(question, VOCABULARY["numbers"])


def measures_in(question: str) -> list[str]:
    return [m for m, words in VOCABULARY["measures"].items() if names_any(question, words)]


def query_arguments(question: str, listed: int | None = None) -> dict | None:
    """`query_customers` arguments for a question over many customers, or None when the
    question asks for no figure over a segment. `listed` asks for the N likeliest churners."""
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


def requested_count(question: str) -> int | None:
    """The N of "top N" / 前 N 名, if any."""
    numbers = [int(n) for n in _NUMBER.findall(re.sub(r"\d{3,5}-\w+", " ", question))]
    return numbers[0] if numbers else None
