"""Synthetic data generators: same seed, same bytes."""
