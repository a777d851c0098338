"""Conversations beyond the survey: support tickets, exit interviews, billing-portal reasons, and the complaints customers raised before they left."""
