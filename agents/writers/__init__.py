"""The offline writer: the drafts an LLM would write (reasons, the offer's wording, the email, SMS
and call script), built from the node's facts with the phrase catalogue's templates, in every
language the catalogue has. The default when no LLM is configured, and the fallback when one
fails.

Imports `agents.present`, `agents.outputs` and `core`; never `agents.llm`.
"""
