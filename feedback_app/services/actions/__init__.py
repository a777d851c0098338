"""What staff do with the insights: the action plan, reports, closing the loop and win-back."""
