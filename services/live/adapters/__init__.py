"""The live feed's own table."""
