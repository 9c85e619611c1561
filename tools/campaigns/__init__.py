"""Campaigns as the product plans and measures them: eligibility, control groups assigned by
hash, the budget's cut and the smallest detectable effect (`planning.py`); the effect measured
from outcomes, and outcomes simulated from a known truth (`results.py`). Pure functions of
frames: the results store is read and written above, in `crm_agents/`. Imports `models`, `core`.
"""
