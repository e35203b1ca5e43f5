from services.dispatch import handlers
from shared.extensions.database import Store
from shared.extensions.observed import Observed
from shared.messaging.entrypoint import chain_handler


class DispatchService:
    name = "dispatch"
    store = Store()
    obs = Observed()

    @chain_handler("triaged")
    def dispatch(self, event):
        handlers.dispatch_case(self.store, event)

    @chain_handler("escalated", above=True)
    def taken_up(self, event):
        handlers.taken_up(self.store, event)
