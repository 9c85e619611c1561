"""One module per tab: each builds its components and wires its own events."""
