"""The region tree (行政区划) of one city: city → counties → townships."""

from __future__ import annotations

from collections.abc import Iterable

from .model import TIERS, Region, UnknownRegion


class RegionRegistry:
    """Immutable lookup over a city's regions. ``root`` is the city's code (e.g. "320600")."""

    def __init__(self, regions: Iterable[Region]) -> None:
        by_code: dict[str, Region] = {}
        for r in regions:
            if r.code in by_code:
                raise ValueError(f"duplicate region code {r.code}")
            if r.tier not in TIERS:
                raise ValueError(f"region {r.code}: tier {r.tier!r} is not one of {TIERS}")
            by_code[r.code] = r
        roots = [r for r in by_code.values() if r.parent is None]
        if len(roots) != 1:
            raise ValueError(f"expected exactly one root region, found {[r.code for r in roots]}")
        children: dict[str, list[Region]] = {code: [] for code in by_code}
        for r in by_code.values():
            if r.parent is not None:
                if r.parent not in by_code:
                    raise ValueError(f"region {r.code}: unknown parent {r.parent}")
                children[r.parent].append(r)
        for kids in children.values():
            kids.sort(key=lambda r: r.code)
        self._by_code = by_code
        self._children = children
        self.root: str = roots[0].code
        self._paths: dict[str, tuple[str, ...]] = {}
        for code in by_code:  # also detects cycles
            path: list[str] = []
            cur: str | None = code
            while cur is not None:
                if cur in path:
                    raise ValueError(f"region cycle at {cur}")
                path.append(cur)
                cur = by_code[cur].parent
            self._paths[code] = tuple(reversed(path))

    def get(self, code: str) -> Region:
        try:
            return self._by_code[code]
        except (KeyError, TypeError):
            raise UnknownRegion(code) from None

    def __contains__(self, code: object) -> bool:
        return isinstance(code, str) and code in self._by_code

    def __len__(self) -> int:
        return len(self._by_code)

    def tier(self, code: str) -> str:
        return self.get(code).tier

    def parent(self, code: str) -> str | None:
        return self.get(code).parent

    def name(self, code: str) -> str:
        return self.get(code).name

    def path(self, code: str) -> tuple[str, ...]:
        """Codes from the root down to ``code`` inclusive."""
        self.get(code)
        return self._paths[code]

    def is_within(self, code: str, ancestor: str) -> bool:
        """True if ``code`` is ``ancestor`` or lies below it. Unknown ``code`` raises UnknownRegion."""
        self.get(ancestor)
        return ancestor in self.path(code)

    def holds(self, scope: str, code: object) -> bool:
        """True if `code` is a known region in `scope`'s subtree (what a token of `scope` may see); never raises
        for an unknown `code`."""
        return code in self and self.is_within(str(code), scope)

    def children(self, code: str) -> list[Region]:
        self.get(code)
        return list(self._children[code])

    def subtree(self, code: str) -> list[str]:
        """``code`` and every region below it, depth first, in code order."""
        self.get(code)
        out: list[str] = []
        stack = [code]
        while stack:
            cur = stack.pop()
            out.append(cur)
            stack.extend(r.code for r in reversed(self._children[cur]))
        return out

    def child_towards(self, code: str, descendant: str) -> str | None:
        """The child of ``code`` on the path to ``descendant``; None unless descendant is strictly below code."""
        path = self.path(descendant)
        self.get(code)
        if code not in path or path[-1] == code:
            return None
        return path[path.index(code) + 1]

    def all(self) -> list[Region]:
        return [self._by_code[c] for c in self.subtree(self.root)]
