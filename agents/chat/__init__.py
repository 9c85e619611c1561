"""The Ask tab's agent: the assistant node (an LLM choosing tools, or the offline router), the
router's intent parsing, and the answers it writes from tool results."""
