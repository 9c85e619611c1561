"""Questions about many customers at once: `query_customers` (filters, groups, measures, the true
total when a list is cut) and the portfolio's risk × value matrix and at-risk table.

Imports `tools.service.retention`, `tools.schemas`, `models`, `data` and `core`.
"""
