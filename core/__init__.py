"""The bottom layer: settings, logging and time helpers. Imports nothing of ours."""
