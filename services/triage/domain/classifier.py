"""Keyword classifier: description text → category code. Pure and deterministic.

How it scores:
1. Normalise the text: Unicode NFKC (full-width letters, digits and punctuation become half-width,
   the ideographic space becomes a space), lower case, and drop whitespace.
2. Find keyword occurrences leftmost-longest: scanning left to right, at each position take the
   longest keyword of any category that starts there and skip past it. A short keyword inside a longer
   one ("井盖" inside "污水井盖") therefore does not count separately.
3. A catalog keyword may be a compound "A+B": it matches when every part occurs anywhere in the text
   ("自来水+井盖" for "自来水公司的井盖坏了"); it weighs like one keyword of the parts' total length.
4. A match directly followed by a locative (上, 里, 边, 旁, 前, 下, 内, 间, 之间, 附近, 周边…) names the
   *place* of the problem, not the problem ("电线杆上张贴…", "绿化带里有人烧树叶"): it weighs a quarter.
5. Each category scores the sum of weight × len(keyword)² over its distinct matched keywords, so longer,
   more specific keywords weigh more, and several keywords of one category add up.
6. The best score wins; ties go to more matched keywords, then the longest keyword, then the earliest
   first match in the text, then the smaller category code. No match at all → the catalog's catch-all
   category with score 0.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # only for type hints; the classifier needs nothing but the categories
    from shared.catalog import Catalog

#: after a keyword, these mark it as the place of the problem rather than the problem itself
LOCATIVES: tuple[str, ...] = (
    "之间", "之上", "之下", "附近", "周边", "周围", "旁边", "边上", "里面", "上面", "下面", "前面", "后面",
    "上", "里", "内", "边", "旁", "前", "下", "间", "中",
)
PLACE_WEIGHT = 0.25


@dataclass(frozen=True)
class Classification:
    category: str
    score: float
    matched: tuple[str, ...]  # the matched keywords of the winning category, in text order


def normalise(text: str) -> str:
    """NFKC (full-width → half-width), lower case, whitespace removed."""
    text = unicodedata.normalize("NFKC", text or "")
    return "".join(ch for ch in text.lower() if not ch.isspace())


@dataclass(frozen=True)
class _Hit:
    keyword: str  # as written in the catalog (compound parts joined with "+")
    position: int
    length: int  # characters of the keyword (compound: of all parts)
    weight: float


class _Index:
    def __init__(self, categories: tuple[tuple[str, tuple[str, ...]], ...]) -> None:
        owners: dict[str, list[str]] = {}
        compounds: dict[tuple[str, ...], list[str]] = {}
        for code, keywords in categories:
            for kw in keywords:
                parts = tuple(p for p in (normalise(x) for x in kw.split("+")) if p)
                if len(parts) > 1:
                    compounds.setdefault(parts, [])
                    if code not in compounds[parts]:
                        compounds[parts].append(code)
                elif parts:
                    owners.setdefault(parts[0], [])
                    if code not in owners[parts[0]]:
                        owners[parts[0]].append(code)
        self.owners = {k: tuple(v) for k, v in owners.items()}
        self.compounds = {k: tuple(v) for k, v in compounds.items()}
        self.lengths = sorted({len(k) for k in self.owners}, reverse=True)

    def scan(self, text: str) -> list[_Hit]:
        """Simple keywords leftmost-longest, non-overlapping; then the compounds."""
        hits: list[_Hit] = []
        i, n = 0, len(text)
        while i < n:
            for length in self.lengths:
                if i + length <= n and text[i : i + length] in self.owners:
                    kw = text[i : i + length]
                    place = text.startswith(LOCATIVES, i + length)
                    hits.append(_Hit(kw, i, length, PLACE_WEIGHT if place else 1.0))
                    i += length
                    break
            else:
                i += 1
        for parts in self.compounds:
            positions = [text.find(p) for p in parts]
            if all(p >= 0 for p in positions):
                hits.append(_Hit("+".join(parts), min(positions), sum(len(p) for p in parts), 1.0))
        return hits

    def owners_of(self, hit: _Hit) -> tuple[str, ...]:
        if "+" in hit.keyword and hit.keyword not in self.owners:
            return self.compounds.get(tuple(hit.keyword.split("+")), ())
        return self.owners.get(hit.keyword, ())


@lru_cache(maxsize=8)
def _index(categories: tuple[tuple[str, tuple[str, ...]], ...]) -> _Index:
    return _Index(categories)


def _index_for(catalog: Catalog) -> _Index:
    return _index(tuple((c.code, c.keywords) for c in catalog.categories.values()))


def classify(text: str, catalog: Catalog) -> Classification:
    """The best-matching category for a report's text (see the module docstring)."""
    index = _index_for(catalog)
    per_category: dict[str, dict[str, _Hit]] = {}
    for hit in index.scan(normalise(text)):
        for code in index.owners_of(hit):
            kws = per_category.setdefault(code, {})
            seen = kws.get(hit.keyword)
            if seen is None or hit.weight > seen.weight:  # a keyword counts once, at its best weight
                kws[hit.keyword] = hit if seen is None else _Hit(hit.keyword, seen.position, hit.length, hit.weight)
    if not per_category:
        return Classification(category=catalog.other_category, score=0.0, matched=())

    def score(code: str) -> float:
        return sum(h.weight * h.length**2 for h in per_category[code].values())

    def rank(code: str) -> tuple[float, int, int, int, str]:
        hits = per_category[code].values()
        return (-score(code), -len(hits), -max(h.length for h in hits), min(h.position for h in hits), code)

    best = min(per_category, key=rank)
    hits = sorted(per_category[best].values(), key=lambda h: (h.position, h.keyword))
    return Classification(category=best, score=float(score(best)), matched=tuple(h.keyword for h in hits))
