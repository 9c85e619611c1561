"""The four agents of the analysis, the chat's agent, and what they share.

`nodes/` holds the analyst, reasoning, campaign designer and communication writer, each a
`(state, runtime) -> partial update` function; `llm/` the OpenAI-compatible writer, what it
learns about an endpoint and the circuit breaker; `checks/` the grounding, claim and draft
checks every LLM text passes; `writers/` the offline writer (English and Traditional Chinese);
`prompts/` the prompts as data; `present/` the words and figures of each result, read by the UI,
the CLI and the offline writers; `chat/` the Ask agent. `state.py`, `outputs.py`, `trace.py` and
`context.py` are the types they pass on; `kit.py` the live objects a node works with. Imports
`tools`, `models`, `data` and `core`; never `graph` or an entry point.
"""
