"""Repair services shared by the API and the repair activities: flow selection, opening repairs,
step effects and their undo, product state transitions, and the audit trail."""
