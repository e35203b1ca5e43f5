"""Replays of signed 12345 webhooks: a request whose signature was accepted before is refused. The signature
is remembered in the same transaction as the request's effect; the intake service forgets signatures once
they are older than the timestamp window (a replay after that has a stale timestamp)."""
from __future__ import annotations

from services.intake.adapters.tables import SeenSignature


class Replayed(Exception):
    """The same signed request was accepted before: a replay."""

    def __init__(self, case_id: str | None):
        self.case_id = case_id
        super().__init__("this signed request was already accepted; a replay is refused (sign the request afresh "
                         "to retry)")


def refuse_replay(store, signature: str) -> None:
    with store.session() as s:
        seen = s.get(SeenSignature, signature)
    if seen is not None:
        raise Replayed(seen.case_id)


def remember(uow, signature: str, case_id: str | None) -> None:
    uow.add(SeenSignature(signature=signature, seen_at=uow.now(), case_id=case_id))
