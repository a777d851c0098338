"""Personal data rights: erasure, export and retention of free text."""
