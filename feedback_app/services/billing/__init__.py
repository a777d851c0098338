"""Billing providers' webhooks turned into departed customers."""
