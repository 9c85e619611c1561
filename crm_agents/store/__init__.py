"""The results database (SQLAlchemy; SQLite by default, PostgreSQL by URL): the tables of runs,
scores, analyses and failures, the `campaign_queue` view (`schema.py`), and reading and writing
them (`database.py`).

Imports `data.spreadsheet` and `core` only.
"""
