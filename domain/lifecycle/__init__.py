"""A unit's life after the factory: reference data, lifecycle states, entities, parts, locations."""
