"""Intake's own storage: the devices that send alerts (tables.py)."""
