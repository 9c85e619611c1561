"""The churn model: candidate scikit-learn pipelines, repeated cross-validation from out-of-fold
predictions, the champion chosen by the one-standard-error rule and saved with its card (skops,
trusted types only), its exact drivers, and scoring a whole base in chunks.

Imports `models.segments`, `data` and `core`; never the time-to-churn model.
"""
