"""Simulated outside world: units that speak the unit protocol, and an SMS gateway that reaches them."""
