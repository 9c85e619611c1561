"""One presenter per result a person reads: its words and figures in the reader's language, the
same for the app, the command line, the chat and the offline writers. Figures come formatted by
`core.formats`; nothing here calls an LLM.

Imports `agents.outputs`, `agents.trace`, `tools.schemas`, `tools.offers`, `data` and `core`;
never `agents.llm.writer`.
"""
