"""What the answers and the counts say: figures, themes, root causes and churn rates."""
