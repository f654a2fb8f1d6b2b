"""The factory bench: PCBs with their SIMs, and products assembled from them (the doc's Part and Product
Actions). Every create writes all of its rows or none."""
