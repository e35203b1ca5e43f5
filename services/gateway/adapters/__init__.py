"""The gateway's own adapters: its tables."""
