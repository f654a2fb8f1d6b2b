"""Typed answers of the action routes, one module per area, on one envelope (`Envelope[T]`)."""
