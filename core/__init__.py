"""The bottom layer: settings, shared types, the languages and their phrase catalogue
(`locales/`), number formats and the threshold rules. Imports nothing else of the project, so
every other package may depend on it.
"""
