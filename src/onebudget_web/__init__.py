"""The OneBudget web service: a Django project for the partners of a place.

It calls the ``onebudget`` library; the library never calls back (ADR 0003).
"""
