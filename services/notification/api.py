"""Notification's public face: the reaction that makes notifications, and a reader's notifications."""
from services.notification.notices import Item, Reader, for_reader, mark_read, notify

__all__ = ["Item", "Reader", "for_reader", "mark_read", "notify"]
