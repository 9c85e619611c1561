"""Checks every text an LLM writes must pass before anyone reads it: each figure is one the tools
produced (grounding), a figure with a unit is a fact of that kind (claims), and the draft is
non-empty, free of template markup, in the language asked for and states the customer's own risk
level.

Imports `data` and `core` only.
"""
