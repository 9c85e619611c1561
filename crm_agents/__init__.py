"""The composition root and the entry points other than the app.

`composition.py` builds the product's object graph from settings, once, for every entry point
(the app, the CLI, the batch, `langgraph dev` through `studio.py`); `model_check.py` decides at
start-up whether the saved models fit the data. `cli/` is the `crm-agents` command, one module
per command group; `batch/` the nightly run; `store/` the results database. Entry points
(`cli/`, `studio.py`) sit above `ui`, which sits above the composition root, `batch/` and
`store/`.
"""
