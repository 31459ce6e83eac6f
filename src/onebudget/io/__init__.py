"""Safe reading and writing of the files people exchange: CSV and Excel."""
