"""Intake service. Reports and sensor alerts arrive over HTTP through the gateway, which calls
`handlers.submit_report` and `alerts.receive` in its worker so that the 202 answer carries the case id. This
service keeps intake's timers: devices that missed their heartbeats get a device-offline case; idempotency
keys older than a week are forgotten."""
from __future__ import annotations

from datetime import timedelta

import sqlalchemy as sa

from services.intake import alerts
from services.intake.adapters.tables import IdempotencyKey
from shared.extensions.database import Store
from shared.extensions.observed import Observed
from shared.extensions.timers import every


class IntakeService:
    name = "intake"
    store = Store()
    obs = Observed()

    @every("sweep_seconds")
    def watch_heartbeats(self):
        """Open a device-offline case for each device that missed its heartbeats."""
        alerts.sweep_heartbeats(self.store)

    @every("sweep_seconds", scale=20)
    def forget_old_keys(self):
        now = self.store.now()
        with self.store.uow() as uow:
            uow.session.execute(sa.delete(IdempotencyKey).where(IdempotencyKey.created_at < now - timedelta(days=7)))
            uow.commit()
