from services.supervision import handlers
from shared.extensions.database import Store
from shared.extensions.observed import Observed
from shared.extensions.timers import every
from shared.messaging.entrypoint import chain_handler


class SupervisionService:
    name = "supervision"
    store = Store()
    obs = Observed()

    @chain_handler("dispatched", "accepted", "transferred", "resolved", "verified", "reworked", "reopened",
                   "extension_requested", "extension_decided", "returned", "escalated", "routed", "closed",
                   "rejected", "merged")
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
