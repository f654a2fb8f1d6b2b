"""Temporal activities: every effect (database, SMS, webhooks, units) happens here."""
