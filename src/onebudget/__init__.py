"""OneBudget: the library of pure engines for integrated commissioning of health and social care.

The library never imports Django or the web package (an import-linter contract keeps it so),
so an analyst can use it from a notebook and the web service is only one of its callers.
"""

__version__ = "0.1.0"
