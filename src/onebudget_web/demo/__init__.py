"""Loading the library's demo place (``onebudget.demo``) into the service's database."""
