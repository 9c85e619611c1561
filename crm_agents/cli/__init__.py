"""The `crm-agents` command: `main.py` declares the commands and their options, one module per
command group does the work (`ask`, `batch`, `survival`), `report.py` prints an analysis as a
terminal report and `common.py` holds what every command shares (consoles, one-line errors,
loading and assembling with a spinner).

An entry point: may import everything below it, including `ui` for `serve`.
"""
