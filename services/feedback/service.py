from shared.config import process_settings
from shared.extensions.database import Store
from shared.extensions.observed import Observed
from shared.extensions.timers import every
from shared.hotline.sender import HotlineSender
from shared.messaging.entrypoint import chain_handler

from services.feedback import handlers, visits


class FeedbackService:
    name = "feedback"
    store = Store()
    obs = Observed()

    @chain_handler("verified")
    def close_verified(self, event):
        handlers.close_verified(self.store, event)

    @chain_handler("visited")
    def visited(self, event):
        visits.on_visited(self.store, event)

    @every("YIWANG_HOTLINE_POLL_SECONDS", default=1.0)
    def send_hotline_updates(self):
        """Deliver what the 12345 platform is owed (when YIWANG_HOTLINE_URL is set)."""
        settings = process_settings()
        if settings.hotline_url and settings.hotline_secret:
            HotlineSender(self.store, settings.hotline_url, settings.hotline_secret).run_once()
