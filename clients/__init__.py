"""Workflow clients: the only way the API (and the composition root) starts, signals, updates and queries
workflows. Typed references to the workflows' handlers, one search-attribute builder, one translation of
Temporal failures into our errors (`clients.temporal`)."""
