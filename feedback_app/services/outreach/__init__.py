"""Inviting departed customers: invitations, their emails, the outbox, reminders, opt-out and the funnel."""
