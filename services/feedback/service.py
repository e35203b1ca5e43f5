from shared.extensions.database import Store
from shared.extensions.observed import Observed
from shared.messaging.entrypoint import chain_handler

from services.feedback import handlers


class FeedbackService:
    name = "feedback"
    store = Store()
    obs = Observed()

    @chain_handler("verified")
    def close_verified(self, event):
        handlers.close_verified(self.store, event)
