"""The audit chain's pure core (CONTRACTS.md §8, QUALITY.md S4): the canonical form of an entry, the hash that links
it to the one before, and the check that walks a chain and names the first entry that was edited, deleted, inserted
or reordered.

    canonical(entry) = JSON of {action, actor, at, center, reason, subject}: keys sorted, no whitespace, UTF-8,
                       `at` in UTC as 2026-11-24T01:02:03.000004Z
    hash             = sha256(previous hash (64 hex digits) + canonical(entry)), hex; the first entry's previous
                       hash is GENESIS (64 zeros)

An entry's position (`seq`) is not in its canonical form: the chain's order is what each entry's previous hash says,
so an entry moved elsewhere is told apart from an edited one.
"""
from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

GENESIS = "0" * 64

# the kinds of finding
EDITED, DELETED, INSERTED, REORDERED = "edited", "deleted", "inserted", "reordered"
EDITED_OR_DELETED = "edited or deleted"  # a broken link that could be either (see `_broken_link`)
REWRITTEN = "rewritten"                  # consistent within, but not the chain the parent witnessed
UNLINKED = "unlinked"                    # written but never linked into the chain


@dataclass(frozen=True)
class Facts:
    """What an entry says: who did what to what, where, when and why."""

    center: str
    at: datetime
    actor: str
    reason: str | None
    action: str                               # `case.<event>`, `token.created`, `token.revoked`, `rules.changed`
    subject: Mapping[str, Any] = field(default_factory=dict)  # JSON values: str, int, bool, None


@dataclass(frozen=True)
class Linked:
    """An entry in the chain."""

    seq: int
    prev_hash: str
    hash: str
    facts: Facts


@dataclass(frozen=True)
class Head:
    """The last entry of a chain (seq 0 and GENESIS for an empty one)."""

    seq: int = 0
    hash: str = GENESIS
    at: datetime | None = None  # when its action happened


@dataclass(frozen=True)
class Link:
    """Where an entry goes: its position, the hash before it, its own hash."""

    seq: int
    prev_hash: str
    hash: str


@dataclass(frozen=True)
class Finding:
    kind: str
    seq: int | None   # the entry named (None: no one entry, e.g. unlinked ones)
    message: str

    def __str__(self) -> str:
        where = f"entry {self.seq}: " if self.seq is not None else ""
        return f"{self.kind}: {where}{self.message}"


@dataclass(frozen=True)
class Verdict:
    count: int            # entries checked and found in order
    head: Head            # the last of them
    finding: Finding | None


def utc_iso(at: datetime) -> str:
    if at.tzinfo is None:
        raise ValueError("an audit time must be aware")
    return at.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def canonical(facts: Facts) -> str:
    return json.dumps({"action": facts.action, "actor": facts.actor, "at": utc_iso(facts.at), "center": facts.center,
                       "reason": facts.reason, "subject": dict(facts.subject)},
                      sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def chain_hash(prev_hash: str, facts: Facts) -> str:
    return hashlib.sha256((prev_hash + canonical(facts)).encode("utf-8")).hexdigest()


def link(head: Head, entries: Sequence[Facts]) -> list[Link]:
    """The positions and hashes of new entries appended after `head`, in the given order."""
    out: list[Link] = []
    seq, prev = head.seq, head.hash
    for facts in entries:
        seq += 1
        digest = chain_hash(prev, facts)
        out.append(Link(seq, prev, digest))
        prev = digest
    return out


@dataclass(frozen=True)
class Witnessed:
    """A head the parent center received from this one."""

    seq: int
    hash: str


def verify(entries: Iterable[Linked], seq_of_hash: Callable[[str], int | None],
           witnessed: Sequence[Witnessed] = ()) -> Verdict:
    """Walk the chain in `seq` order (one pass, one entry of look-ahead) and name the first entry that breaks it; then
    check that it holds every head the parent witnessed. `seq_of_hash(h)`: the position of an entry whose stored hash
    is `h`, or None; asked only where the chain breaks, to tell what happened there."""
    expected_prev, expected_seq, count = GENESIS, 1, 0
    head = Head()
    want = {w.seq for w in witnessed}
    seen: dict[int, str] = {}
    it = iter(entries)
    current = next(it, None)
    while current is not None:
        following = next(it, None)
        finding = _check(current, following, expected_prev, expected_seq, seq_of_hash)
        if finding is not None:
            return Verdict(count, head, finding)
        count += 1
        head = Head(current.seq, current.hash, current.facts.at)
        expected_prev, expected_seq = current.hash, current.seq + 1
        if current.seq in want:
            seen[current.seq] = current.hash
        current = following
    return Verdict(count, head, _against_witness(head, witnessed, seen))


def _check(e: Linked, following: Linked | None, expected_prev: str, expected_seq: int,
           seq_of_hash: Callable[[str], int | None]) -> Finding | None:
    if e.seq > expected_seq:
        gone = f"{expected_seq}" if e.seq == expected_seq + 1 else f"{expected_seq}–{e.seq - 1}"
        return Finding(DELETED, expected_seq, f"missing: the chain goes from entry {expected_seq - 1} to entry "
                                              f"{e.seq} (entry {gone} deleted)")
    if e.seq < expected_seq:
        return Finding(INSERTED, e.seq, f"there are two entries {e.seq}: one of them was inserted")
    own_ok = chain_hash(e.prev_hash, e.facts) == e.hash
    link_ok = e.prev_hash == expected_prev
    if own_ok and link_ok:
        return None
    if link_ok:  # its content no longer gives its hash
        if following is not None and following.prev_hash == expected_prev:
            return Finding(INSERTED, e.seq, f"it does not belong: entry {following.seq} links to the entry before it")
        return Finding(EDITED, e.seq, "its content no longer matches its hash")
    if chain_hash(expected_prev, e.facts) == e.hash:
        return Finding(EDITED, e.seq, "its link to the entry before it was changed")
    at = seq_of_hash(e.prev_hash)
    if at is not None and at > e.seq:
        return Finding(REORDERED, e.seq, f"it links to entry {at}, which comes after it: the two were moved")
    if following is not None and following.prev_hash == expected_prev:
        return Finding(INSERTED, e.seq, f"it does not belong: entry {following.seq} links to the entry before it")
    if at is not None and at < e.seq - 1:
        return Finding(INSERTED, at + 1, f"entry {e.seq} links to entry {at}: what lies between was inserted")
    return _broken_link(e)


def _broken_link(e: Linked) -> Finding:
    """The entry links to a hash no entry has: the entry before it was edited and its hash recomputed, or entries
    were deleted before it and the later ones renumbered. The chain alone cannot tell which."""
    before = f"entry {e.seq - 1}" if e.seq > 1 else "the start of the chain"
    return Finding(EDITED_OR_DELETED, e.seq, f"it does not link to {before}: {before} was edited and re-hashed, or "
                                             f"entries between them were deleted and the rest renumbered")


def _against_witness(head: Head, witnessed: Sequence[Witnessed], seen: Mapping[int, str]) -> Finding | None:
    agreed = 0
    for w in sorted(witnessed, key=lambda w: w.seq):
        if w.seq == 0:
            continue
        if w.seq > head.seq:
            return Finding(DELETED, head.seq + 1, f"the parent witnessed entry {w.seq} but the chain ends at entry "
                                                  f"{head.seq}: entries {head.seq + 1}–{w.seq} were deleted")
        if seen.get(w.seq) != w.hash:
            return Finding(REWRITTEN, w.seq, f"it is not the entry the parent witnessed (hash {w.hash[:16]}…): an "
                                             f"entry after {agreed} and up to {w.seq} was edited, deleted, inserted or "
                                             f"reordered and the chain re-hashed")
        agreed = w.seq
    return None


def check_facts(actor: str, action: str, subject: Mapping[str, Any]) -> None:
    """Refuse an entry that could not be hashed the same way after a round trip through the database."""
    if not actor or not action:
        raise ValueError("an audit entry needs an actor and an action")
    for key, value in subject.items():
        if not isinstance(key, str) or not (value is None or isinstance(value, str | int | bool)):
            raise ValueError(f"audit subject {key!r}: only text, whole numbers, booleans and null are kept exactly")
