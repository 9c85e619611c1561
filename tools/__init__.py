"""The typed, read-only tools the agents, the chat and the app call, and their schemas.

`registry.py` defines each tool once (a typed function for the nodes, a LangChain tool for the
chat); `schemas.py` holds their arguments and results; `refusals.py` the requests they refuse.
Behind them: `service/` (one customer table, one model, one set of rules), `offers/` (the
playbook as data and the offer desk), `portfolio/` (the analytics query and the risk × value
view), `campaigns/` (planning a campaign and measuring it, on frames the store hands over).
Imports `models`, `data` and `core`; never an agent, the graph or the UI.
"""
