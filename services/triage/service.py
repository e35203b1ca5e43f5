from nameko.dependency_providers import Config

from shared.extensions.database import Store
from shared.extensions.observed import Observed
from shared.messaging.entrypoint import chain_handler

from services.triage import handlers


class TriageService:
    name = "triage"
    store = Store()
    obs = Observed()
    config = Config()

    @chain_handler("received", "routed", "escalated", "returned")
    def route(self, event):
        handlers.route_case(self.store, event, int(self.config.get("YIWANG_MAX_RETURNS") or 3))
