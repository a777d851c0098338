"""The analysis of answers: runs, theme assignment, curation, root causes, follow-ups and the figures."""
