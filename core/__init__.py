"""The bottom layer: settings, shared types and the phrase catalogue. Imports nothing else of the
project, so every other package may depend on it."""
