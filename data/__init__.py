"""Customer data: the Telco schema and its column lists (`schema.py`), loading a CSV or the
seeded synthetic demo (`loading.py`, `synthetic.py`), validation with errors that name the row,
column and what is accepted (`validation.py`), the CRM behaviour signals, observed or simulated
(`signals.py`), and text made safe for spreadsheets (`spreadsheet.py`).

Imports `core` only.
"""
