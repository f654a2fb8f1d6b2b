"""Webhooks: channels and subscriptions, the transactional outbox, signed delivery (see the README)."""
