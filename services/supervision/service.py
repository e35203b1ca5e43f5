from services.notification.api import DeliverySender
from services.supervision import handlers
from shared.extensions.database import Store
from shared.extensions.observed import Observed
from shared.extensions.settings import CenterSettings
from shared.extensions.timers import every
from shared.messaging.entrypoint import chain_handler


class SupervisionService:
    name = "supervision"
    store = Store()
    obs = Observed()
    settings = CenterSettings()

    @chain_handler("dispatched", "accepted", "transferred", "resolved", "verified", "reworked", "reopened",
                   "extension_requested", "extension_decided", "returned", "escalated", "routed", "closed",
                   "rejected", "merged", "return_reviewed", "suspension_decided", "resumed", "voided",
                   "joint_opened", "whistled", "task_accepted", "task_returned", "task_resolved")
    def track(self, event):
        handlers.track(self.store, event)

    @chain_handler("supervised")
    def supervised_from_above(self, event):
        handlers.supervised_from_above(self.store, event)

    @chain_handler(subtree=True)
    def follow_below(self, event):
        handlers.follow_below(self.store, event)

    @every("sweep_seconds")
    def sweep(self):
        handlers.sweep(self.store)

    @every("notify_poll_seconds")
    def send_notifications(self):
        """Deliver the notices the duty rosters are owed by webhook and SMS (services/notification/channels.py; when
        YIWANG_WEBHOOK_SECRET or YIWANG_SMS_URL is set). Several processes may send: each delivery is claimed."""
        DeliverySender.from_settings(self.store, self.settings).run_once()
