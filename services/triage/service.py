from shared.extensions.database import Store
from shared.extensions.observed import Observed
from shared.messaging.entrypoint import chain_handler

from services.triage import handlers


class TriageService:
    name = "triage"
    store = Store()
    obs = Observed()

    @chain_handler("received", "escalated", "returned")
    def route(self, event):
        handlers.route_case(self.store, event)
