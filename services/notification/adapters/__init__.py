"""Notification's own tables."""
