"""The audit chain's own tables."""
