"""The offline chat's answers, written from the tool results of one turn only: about one customer,
its time to churn and lifetime value, the models, and many customers at once, with the chat's
tables.

Imports `agents.present.phrases`, `tools`, `data` and `core`.
"""
