"""The analysis of answers: runs, theme assignment, curation, root causes, follow-ups, the report
filters, the figures (overview, per theme and root cause) and churn rates."""
