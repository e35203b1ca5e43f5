"""Delivers `hotline_update` rows to the 12345 platform (`POST {YIWANG_HOTLINE_URL}/orders/{order_no}/updates`),
signed, in order per order, until the platform answers 2xx.

The pattern — order per queue (here: per order), claims by lease, quick retries then persisted rounds honouring
`Retry-After`, a platform in trouble ending the round, duplicates dropped by `Idempotency-Key` — is shared with the
notification channels and explained in shared/delivery.py. Here: the body, the URL, and one trouble flag for the
whole platform; log lines name the order.
"""
from __future__ import annotations

import json

import structlog

from services.feedback.adapters.tables import HotlineUpdate
from shared.clock import CHINA
from shared.delivery import OrderedSender, Post


def body_of(row: HotlineUpdate) -> dict:
    body = {"order_no": row.order_no, "case_id": row.case_id, "status": row.status, "message": row.message,
            "at": row.at.astimezone(CHINA).isoformat()}
    if row.unit:
        body["unit"] = row.unit
    return body


class HotlineSender(OrderedSender[HotlineUpdate]):
    table, queue_column = HotlineUpdate, "order_no"
    log = structlog.get_logger("yiwang.hotline")
    delivered_event, retry_event = "12345 update delivered", "12345 update not delivered; will retry"

    def __init__(self, store, url: str, secret: str, timeout: float = 10.0, batch: int = 100, parallel: int = 8,
                 quick_wait_max: float = 4.0):
        super().__init__(store, timeout=timeout, batch=batch, parallel=parallel, quick_wait_max=quick_wait_max)
        self.url, self.secret = url.rstrip("/"), secret

    def request(self, row: HotlineUpdate) -> Post:
        return Post(f"{self.url}/orders/{row.order_no}/updates", json.dumps(body_of(row), ensure_ascii=False).encode(),
                    {"Idempotency-Key": f"{row.event_id}/{row.order_no}"}, self.secret)

    def log_fields(self, row: HotlineUpdate) -> dict:
        return {"case_id": row.case_id, "order_no": row.order_no}

    def delivered_fields(self, row: HotlineUpdate) -> dict:
        return {"status": row.status}
