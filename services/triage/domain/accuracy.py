"""Accuracy of the keyword classifier on the labelled sample (tests/data/triage_sample.jsonl).

    python -m services.triage.domain.accuracy [PATH] [--errors]

Prints the overall accuracy and the accuracy per major category (大类) of the expected label.
"""

from __future__ import annotations

import json
import sys
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from shared.catalog import Catalog, load_catalog

from .classifier import classify

SAMPLE = Path(__file__).resolve().parents[3] / "tests" / "data" / "triage_sample.jsonl"


@dataclass(frozen=True)
class Miss:
    text: str
    expected: str
    got: str
    matched: tuple[str, ...]


@dataclass(frozen=True)
class Report:
    total: int
    correct: int
    by_major: dict[str, tuple[int, int]]  # "11 市容环境(事件)" → (correct, total)
    misses: tuple[Miss, ...]

    @property
    def accuracy(self) -> float:
        return self.correct / self.total if self.total else 0.0


def load_sample(path: Path | str = SAMPLE) -> list[dict[str, Any]]:
    rows = []
    for line in Path(path).read_text(encoding="utf-8").splitlines():
        if line.strip():
            rows.append(json.loads(line))
    return rows


def evaluate(rows: list[dict[str, Any]], catalog: Catalog) -> Report:
    by_major: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    misses = []
    correct = 0
    for row in rows:
        expected = catalog.category(row["category"])
        got = classify(row["text"], catalog)
        key = f"{expected.major_code} {expected.major_name}({expected.kind})"
        by_major[key][1] += 1
        if got.category == expected.code:
            correct += 1
            by_major[key][0] += 1
        else:
            misses.append(Miss(row["text"], expected.code, got.category, got.matched))
    return Report(len(rows), correct, {k: (v[0], v[1]) for k, v in sorted(by_major.items())}, tuple(misses))


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    show_errors = "--errors" in args
    paths = [a for a in args if not a.startswith("--")]
    catalog = load_catalog()
    report = evaluate(load_sample(paths[0] if paths else SAMPLE), catalog)
    print(f"overall: {report.accuracy:.3f} ({report.correct}/{report.total})")
    for major, (ok, n) in report.by_major.items():
        print(f"  {major:<16} {ok / n:.3f} ({ok}/{n})")
    if show_errors:
        for m in report.misses:
            exp, got = catalog.category(m.expected), catalog.category(m.got)
            print(f"  ✗ {m.expected} {exp.name} → {m.got} {got.name} {list(m.matched)}: {m.text}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
