"""Product telemetry (the doc's "Product Data"): validated writes and queries over one store interface."""
