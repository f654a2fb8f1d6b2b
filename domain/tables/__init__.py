"""The generic table layer: column rules, ENTITY scope for rows, and the create/update/delete service."""
