"""The retention service the tools stand on: the customer index, the churn model's predictions and
drivers, value tiers (MonthlyCharges or CLV), time to churn and lifetime value, what-if changes,
similar customers and the model card as the tools tell it.

Imports `tools.schemas`, `tools.refusals`, `models`, `data` and `core`.
"""
