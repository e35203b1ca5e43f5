"""The live feed of a center: what changes, as it happens (the screens stream it)."""
