"""Telling people: notifications to a unit's handlers and a center's dispatchers, created once per cause."""
