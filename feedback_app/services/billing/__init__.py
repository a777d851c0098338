"""Billing providers (Stripe, Chargebee, Paddle): their events become departures, returns and reasons."""
