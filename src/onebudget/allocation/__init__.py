"""Needs-based allocation: NHS England's need indices for any ICB and place, then money."""
