"""The nightly batch: score the whole base, analyse the customers worth acting on, store it all,
safe to kill and resume (`run.py`), with its process and signal handling (`process_control.py`).

Imports `crm_agents.store.database`, `graph`, `agents`, `tools`, `models` and `core`; never an entry
point or the UI.
"""
