"""The analysis of answers: runs, theme assignment, curation, root causes, follow-ups, the figures and churn rates."""
