"""The table API: CRUD for every table the spec gives an endpoint, from one generic mechanism."""
