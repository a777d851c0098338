"""What Afterword gives back to other systems: the read API's queries, outgoing webhooks, Slack alerts, the digest."""
