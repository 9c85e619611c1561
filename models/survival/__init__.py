"""Time to churn and lifetime value: survival candidates, their out-of-fold metrics and champion,
the fitted model as numbers only (no pickle), and per-customer chances of leaving within
30/90/180/365 days with CLV.

Imports `models.churn` (the shared cross-validation rules and file writing), `data` and `core`.
"""
