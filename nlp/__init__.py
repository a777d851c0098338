"""Afterword NLP: free-text exit reasons to root-cause themes (stands alone; no Flask)."""
