"""Departed customers: the record format, storing them and the CSV import."""
