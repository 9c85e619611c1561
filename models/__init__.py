"""The fitted models and the business rules on top of them.

`churn/` is the churn-probability model: candidates, honest cross-validation, the champion with
its card, exact drivers, scoring a whole base. `survival/` is the time-to-churn model and
customer lifetime value. `uplift/` learns from a randomized campaign whom an offer moves, and
says when no one stands out. `segments.py` holds the risk levels and value tiers, `urgency.py`
who to act on first. Imports `data` and `core` only.
"""
