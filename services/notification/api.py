"""Notification's public face: the reaction that makes notifications (in-app, and the webhook and SMS deliveries
the duty rosters name), a reader's notifications, the channels' configuration and their sender."""
from services.notification.channels import DeliverySender, rosters, use_channels
from services.notification.domain.rosters import Person, RosterError, Rosters
from services.notification.notices import Item, Reader, for_reader, mark_read, notify

__all__ = ["DeliverySender", "Item", "Person", "Reader", "RosterError", "Rosters",
           "for_reader", "mark_read", "notify", "rosters", "use_channels"]
