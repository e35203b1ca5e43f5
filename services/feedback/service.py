from services.feedback import handlers, visits
from services.feedback.hotline_sender import HotlineSender
from shared.extensions.database import Store
from shared.extensions.observed import Observed
from shared.extensions.settings import CenterSettings
from shared.extensions.timers import every
from shared.messaging.entrypoint import chain_handler


class FeedbackService:
    name = "feedback"
    store = Store()
    obs = Observed()
    settings = CenterSettings()

    @chain_handler("verified")
    def close_verified(self, event):
        handlers.close_verified(self.store, event)

    @chain_handler("visited")
    def visited(self, event):
        visits.on_visited(self.store, event)

    @every("hotline_poll_seconds")
    def send_hotline_updates(self):
        """Deliver what the 12345 platform is owed (when YIWANG_HOTLINE_URL is set)."""
        if self.settings.hotline_url and self.settings.hotline_secret:
            HotlineSender(self.store, self.settings.hotline_url, self.settings.hotline_secret).run_once()
