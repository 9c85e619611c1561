"""Writing with an OpenAI-compatible LLM: the writer with its retries and fallback to the offline
writer, one bounded request (`call.py`), what differs between servers and what this product has
learned about an endpoint (`endpoint.py`), and the circuit breaker.

Imports `agents.checks`, `agents.trace` and `core`; the only package that imports
`langchain_openai`.
"""
