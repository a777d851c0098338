"""What staff do with the insights: the action plan, reports, closing the loop, win-back campaigns and the CPR desk."""
