"""Feedback's own adapters: its tables."""
