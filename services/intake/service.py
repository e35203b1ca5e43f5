"""Intake service. Reports arrive over HTTP through the gateway, which calls `handlers.submit_report` in
its worker so that the 202 answer carries the new case id. This service keeps intake's housekeeping:
idempotency keys older than a week are forgotten."""
from __future__ import annotations

from datetime import timedelta

import sqlalchemy as sa

from shared.extensions.database import Store
from shared.extensions.observed import Observed
from shared.extensions.timers import every
from shared.store.tables import IdempotencyKey


class IntakeService:
    name = "intake"
    store = Store()
    obs = Observed()

    @every("YIWANG_SWEEP_SECONDS", default=30.0, scale=120)
    def forget_old_idempotency_keys(self):
        cutoff = self.store.now() - timedelta(days=7)
        with self.store.uow() as uow:
            uow.session.execute(sa.delete(IdempotencyKey).where(IdempotencyKey.created_at < cutoff))
            uow.commit()
