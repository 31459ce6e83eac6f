"""Five-year demand and cost scenarios across health and care, interventions with uncertain
effects, and the best portfolio under a budget (issue 18)."""
