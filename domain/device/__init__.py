"""Business rules for units: pending switch changes, the unit protocol, wake-up SMS."""
