"""The ``onebudget`` command line: thin commands over the library."""
