"""Model health: is the model still looking at the customers it learned on?

`drift.py` measures each run's features, churn score and shares per risk level and value tier
against bins fixed on the training data (population stability index, flagged beyond a threshold
plus the level two samples of one population reach by chance); `reference.py` keeps those bins
beside the model, keyed by the model file's hash; `shifts.py` draws seeded shifts of the demo
data (a price rise, a contract-mix change, a new-customer wave, a label shift, and a control)
that prove the flags catch a change and stay quiet without one.
Imports `core`, `data`, `models.segments`, numpy and pandas.
"""
