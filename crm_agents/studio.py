"""The graphs `langgraph dev` serves (`langgraph.json`), built by the composition root.

The server imports this file and reads `analysis` and `chat`. Both are built here once, from
the settings (environment and `.env`), and compiled without a checkpointer: the server brings
its own persistence. A run's context (language, backend, thresholds) comes from the API or the
Studio form; the live objects behind it come from `assemble`.
"""

from __future__ import annotations

from core.settings import Settings
from crm_agents.composition import assemble

_assembly = assemble(Settings(), say=lambda line: print(line, flush=True))

analysis = _assembly.analyzer.graph
chat = _assembly.chat
