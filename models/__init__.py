"""The fitted models and the business rules on top of them.

`churn/` is the churn-probability model: candidates, honest cross-validation, the champion with
its card, exact drivers, scoring a whole base. `survival/` is the time-to-churn model and
customer lifetime value. `segments.py` holds the risk levels and value tiers. Imports `data` and
`core` only.
"""
