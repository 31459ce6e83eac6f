"""Synthetic populations and finance data for places: seeded, reproducible test inputs."""
