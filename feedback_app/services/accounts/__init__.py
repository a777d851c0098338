"""Staff accounts: users, password links, sign-in throttling, API keys and the audit log."""
