"""Uplift: how much an offer changes a customer's outcome, learned from a randomized campaign
(treated and control customers with their outcomes), and whether a model can tell the
persuadable apart at all.

`metrics.py` holds the average effect with its interval and the Qini coefficient;
`learners.py` the meta-learners (plain scikit-learn pipelines); `assessment.py` fits them
out of fold and says "no persuadable segment" when the ranking finds none; `control.py` assigns
control groups by hash; `power.py` says how many customers a test needs; `simulation.py`
draws outcomes from a known truth.
Imports `core`, numpy, pandas and scikit-learn only.
"""
