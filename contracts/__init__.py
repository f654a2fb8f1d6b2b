"""Workflow contracts: what a workflow and its callers agree on (inputs, signal/update/query payloads,
activity names and inputs, error type names). Both sides import these; they import only `core`, `db`
and `domain`, so a contract never drags a workflow or an activity into the API."""
