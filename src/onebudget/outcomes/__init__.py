"""Outcomes: indicators defined once, their statistics, and disclosure control."""
