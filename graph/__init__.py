"""Wiring only: the analysis graph (`analysis.py`: analyst → reasoning → campaign →
communication, low risk ending after reasoning), the chat graph (`chat.py`: assistant ⇄ tools
with a checkpointer) and the chat session every surface talks to (`chat_session.py`).

Imports `agents`, `tools` and `core`; the entry points reach LangGraph only through here.
"""
