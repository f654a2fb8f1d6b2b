"""The repair flows shipped with SMARTSolar (each module defines one `FLOW`)."""
