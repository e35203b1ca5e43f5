"""Jepsen-style accounting of one chaos scenario, by case id. Pure: no I/O, no clock, no randomness.

The load records one `Attempt` per report (its idempotency key, every answer, every failure); afterwards every
center's database is read into `Copy` records (one per case per center, its key read back from the case). `account`
gives each attempted report exactly one verdict and counts what no report of the load made:

- `doubled`   two cases for one key (at any one center), two different case ids answered for one key, an event
              type recorded on a case more often than it should be (a type the expectation names once, twice; a
              type it does not name, twice), or a 12345 status the platform recorded more often than expected;
- `lost`      answered 2xx but not doubled, and at some center where it must be the case is missing, is not the
              case that was answered, is not in the expected status, or lacks an expected event (or its 12345
              updates did not all arrive);
- `misordered` every expected 12345 update arrived once, but not in the expected order;
- `ok`        answered 2xx and everything expected holds at every center; `recovered` counts the `ok` ones whose
              request failed at least once first (connection reset, timeout, 5xx, 429) and succeeded on a retry
              with the same key;
- `unanswered` never answered 2xx (gave up, or refused with a 4xx): not lost, since nobody was told it was taken;
- `unexpected` cases at any center that carry no key, or a key the load never attempted (counted once per case id).

A scenario passes when lost, doubled, unexpected, unanswered and misordered are all 0 and nothing the scenario checks
on the way (`Tally.broken`, e.g. that a cut link carried nothing) failed (`Tally.passed`).
"""
from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field

MARK = re.compile(r"\[K:([a-z]+)\]")  # letters only: the phone-number masking never touches it


def mark(key: str) -> str:
    """What a report carries in its description so that its case can be found again by key."""
    if not key.isalpha() or not key.islower():
        raise ValueError(f"a key is lower-case letters only, not {key!r}")
    return f"[K:{key}]"


def key_in(text: str | None) -> str | None:
    m = MARK.search(text or "")
    return m.group(1) if m else None


def alpha(n: int, width: int = 5) -> str:
    """n in base 26, a..z, zero-padded to `width` letters (keys must not contain digits)."""
    if n < 0:
        raise ValueError("n must be ≥ 0")
    out: list[str] = []
    while n or len(out) < width:
        n, r = divmod(n, 26)
        out.append(chr(ord("a") + r))
    return "".join(reversed(out))


@dataclass
class Attempt:
    """One report the load tried to make, and what happened to each try."""

    key: str
    kind: str = "report"                                  # which expectation applies to it
    tries: int = 0
    failures: list[str] = field(default_factory=list)     # one entry per failed try: "ConnectError", "503", ...
    answers: list[str] = field(default_factory=list)      # the case id of every 2xx answer
    refused: str | None = None                            # a 4xx that ended the attempts
    first_sent: float = 0.0                               # the client's clock (time.time())
    last_sent: float | None = None                        # when the last try went out
    answered_at: float | None = None

    @property
    def case_id(self) -> str | None:
        return self.answers[0] if self.answers else None


@dataclass(frozen=True)
class Copy:
    """One center's record of a case."""

    center: str                 # the center whose database it was read from
    case_id: str
    key: str | None
    status: str
    timeline: tuple[str, ...]   # event types, in the order recorded
    owner: str | None = None    # the center that owns the case, as this center knows it


@dataclass(frozen=True)
class Expect:
    """Where a report's case must be and what it must look like there once the scenario has settled."""

    status: str                              # at every center in `at`
    timeline: tuple[str, ...]                # event types that must each be there (as many times as listed)
    at: tuple[str, ...]                      # the centers that must hold a copy
    updates: tuple[str, ...] | None = None   # the 12345 statuses the platform must record, in this order


@dataclass
class Tally:
    scenario: str
    attempted: int = 0
    accepted: int = 0
    ok: int = 0
    recovered: int = 0
    lost: int = 0
    doubled: int = 0
    unexpected: int = 0
    unanswered: int = 0
    misordered: int = 0
    duration: float | None = None   # seconds, the whole scenario
    recovery: float | None = None   # seconds; what it measures is the scenario's (docs/chaos.md)
    problems: list[str] = field(default_factory=list)   # the first few, for a reader
    notes: list[str] = field(default_factory=list)
    broken: list[str] = field(default_factory=list)     # what the scenario itself checks on the way, where it failed

    FAILING = ("lost", "doubled", "unexpected", "unanswered", "misordered")

    @property
    def passed(self) -> bool:
        return not self.broken and all(getattr(self, name) == 0 for name in self.FAILING)


def doubled_events(timeline: Iterable[str], expected: Iterable[str]) -> list[str]:
    """Event types recorded more often than they may be: more than listed in `expected`, or (not listed) twice."""
    want = Counter(expected)
    return sorted(t for t, n in Counter(timeline).items() if n > max(1, want[t]))


def missing_events(timeline: Iterable[str], expected: Iterable[str]) -> list[str]:
    return sorted((Counter(expected) - Counter(timeline)).elements())


def account(scenario: str, attempts: Iterable[Attempt], copies: Iterable[Copy],
            expect: Mapping[str, Expect] | Callable[[Attempt], Expect],
            updates: Mapping[str, list[str]] | None = None, keep: int = 8) -> Tally:
    """The verdicts of one scenario. `expect` maps an attempt's `kind` to its expectation (or is a function of the
    attempt); `updates` gives, per key, the 12345 statuses the platform recorded in order of arrival."""
    attempts = list(attempts)
    expect_of = expect if callable(expect) else (lambda a: expect[a.kind])
    by_key: dict[str, dict[str, list[Copy]]] = defaultdict(lambda: defaultdict(list))
    keys = {a.key for a in attempts}
    strays: set[str] = set()
    for c in copies:
        if c.key is None or c.key not in keys:
            strays.add(c.case_id)
        else:
            by_key[c.key][c.center].append(c)
    t = Tally(scenario, attempted=len(attempts), unexpected=len(strays))
    for case_id in sorted(strays)[:keep]:
        t.problems.append(f"unexpected: case {case_id} was made by no report of the load")
    for a in attempts:
        verdict, why = _verdict(a, by_key.get(a.key, {}), expect_of(a), (updates or {}).get(a.key))
        if a.answers:
            t.accepted += 1
        setattr(t, verdict, getattr(t, verdict) + 1)
        if verdict == "ok" and a.failures:
            t.recovered += 1
        if why and len(t.problems) < keep:
            t.problems.append(f"{verdict}: {a.key} ({a.case_id or 'no case id'}): {why}")
    return t


def _verdict(a: Attempt, found: Mapping[str, list[Copy]], want: Expect, updates: list[str] | None) -> tuple[str, str]:
    if len(set(a.answers)) > 1:
        return "doubled", f"answered with {len(set(a.answers))} case ids: {sorted(set(a.answers))}"
    for center, copies in sorted(found.items()):
        if len({c.case_id for c in copies}) > 1:
            return "doubled", f"{len(copies)} cases at {center}: {sorted(c.case_id for c in copies)}"
        twice = doubled_events(copies[0].timeline, want.timeline)
        if twice:
            return "doubled", f"{', '.join(twice)} recorded twice at {center}: {list(copies[0].timeline)}"
    if want.updates is not None and updates:
        twice = doubled_events(updates, want.updates)
        if twice:
            return "doubled", f"12345 update(s) {', '.join(twice)} recorded twice by the platform: {updates}"
    if not a.answers:
        return "unanswered", a.refused or f"no 2xx in {a.tries} tries ({', '.join(sorted(set(a.failures)))})"
    for center in want.at:
        held = found.get(center)
        if not held:
            return "lost", f"no case at {center}"
        c = held[0]
        if c.case_id != a.case_id:
            return "lost", f"answered {a.case_id} but {center} holds {c.case_id} for it"
        gone = missing_events(c.timeline, want.timeline)
        if c.status != want.status or gone:
            return "lost", (f"{c.status} at {center}, wanted {want.status}"
                            + (f"; missing {', '.join(gone)}" if gone else "") + f": {list(c.timeline)}")
    if want.updates is not None:
        got = list(updates or [])
        if Counter(got) != Counter(want.updates):
            return "lost", f"the platform has 12345 updates {got}, wanted {list(want.updates)}"
        if got != list(want.updates):
            return "misordered", f"the platform has 12345 updates {got}, wanted {list(want.updates)}"
    return "ok", ""


# ---- the table ---------------------------------------------------------------------------------------------------
COLUMNS = ("scenario", "attempted", "accepted", "ok", "recovered", "lost", "doubled", "unexpected", "unanswered",
           "misordered", "duration", "recovery", "result")


def _seconds(value: float | None) -> str:
    return "-" if value is None else f"{value:.1f} s"


def row_of(t: Tally) -> list[str]:
    return [t.scenario, *(str(getattr(t, c)) for c in COLUMNS[1:10]), _seconds(t.duration), _seconds(t.recovery),
            "pass" if t.passed else "FAIL"]


def render(tallies: Iterable[Tally]) -> str:
    """One Markdown table, the same columns in the same order every run (numbers right-aligned)."""
    rows = [list(COLUMNS), *(row_of(t) for t in tallies)]
    widths = [max(len(r[i]) for r in rows) for i in range(len(COLUMNS))]

    def line(cells: list[str]) -> str:
        return "| " + " | ".join(c.ljust(w) if i == 0 or i == len(cells) - 1 else c.rjust(w)
                                 for i, (c, w) in enumerate(zip(cells, widths, strict=True))) + " |"
    rule = "|" + "|".join("-" * (w + 1) + ":" if 0 < i < len(widths) - 1 else "-" * (w + 2)
                          for i, w in enumerate(widths)) + "|"
    return "\n".join([line(rows[0]), rule, *(line(r) for r in rows[1:])])
