"""Offers: the playbook as data (`offers.toml`: eligibility, terms, costs, the feature changes an
offer implies) and the desk that re-scores a customer under each eligible offer and ranks them
by expected value.

Imports `tools.service.retention`, `tools.schemas`, `models`, `data` and `core`.
"""
