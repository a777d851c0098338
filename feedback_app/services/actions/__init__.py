"""Acting on what customers said: the action plan, closing the loop, win-back campaigns and the CPR desk."""
