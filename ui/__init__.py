"""The Gradio app's parts: `tabs/` (one module per tab, each registering its components by name
in `manager.py`), the header and command line (`shell.py`), what the handlers share
(`backend.py`), and the renderings of results as Markdown, tables, charts and trace views.
Every string from data is escaped (`escape.py`) before it is shown.

The only package that imports Gradio; may import everything below it, down to the composition
root.
"""
