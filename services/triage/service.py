from services.triage import handlers
from shared.extensions.database import Store
from shared.extensions.observed import Observed
from shared.extensions.settings import CenterSettings
from shared.messaging.entrypoint import chain_handler


class TriageService:
    name = "triage"
    store = Store()
    obs = Observed()
    settings = CenterSettings()

    @chain_handler("received", "routed", "escalated", "returned", "return_reviewed", "split")
    def route(self, event):
        handlers.route_case(self.store, event, self.settings.max_returns)

    @chain_handler("merged", "split")
    def count_reporters(self, event):
        handlers.count_reporters(self.store, event)

    @chain_handler("merged", "split", above=True)
    def count_reporters_from_above(self, event):
        """A center above merged one of its cases into a case of ours (12345 orders arrive at the city)."""
        handlers.count_reporters(self.store, event)
