"""Temporal workflows: deterministic orchestration only; every effect is an activity."""
