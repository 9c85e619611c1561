"""The words an app output shows, for tests that read what a user would read."""

from __future__ import annotations


def shown_texts(value) -> list[str]:
    """Every string an output shows: a component update's value, a table's cells, a chat
    message's text parts."""
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict) and isinstance(value.get("text"), str):  # a message's part
        return [value["text"]]
    if isinstance(value, dict):
        shown = value.get("value", value.get("data", value.get("headers")))
        return shown_texts(shown) if shown is not value else []
    if isinstance(value, (list, tuple)):
        return [text for item in value for text in shown_texts(item)]
    return []
