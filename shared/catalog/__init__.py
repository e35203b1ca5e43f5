"""The catalog of one city: case categories (部件/事件), units of every center (and their teams), and the region
tree.

Pure domain code (stdlib only). ``load_catalog()`` reads the packaged data files once per process.
"""

from .catalog import Catalog, CatalogError, load_catalog, load_from
from .model import (
    ALWAYS_ON,
    CLOCK_STAGES,
    DEADLINE_UNITS,
    KINDS,
    PRINCIPLES,
    PRIORITIES,
    STAGES,
    TIER_RANK,
    TIERS,
    UNIT_STAGES,
    Category,
    Deadline,
    Region,
    Team,
    Tier,
    Unit,
    UnknownCategory,
    UnknownRegion,
    UnknownUnit,
)
from .regions import RegionRegistry

__all__ = [
    "Catalog",
    "CatalogError",
    "Category",
    "DEADLINE_UNITS",
    "Deadline",
    "KINDS",
    "PRINCIPLES",
    "PRIORITIES",
    "Region",
    "RegionRegistry",
    "STAGES",
    "ALWAYS_ON",
    "CLOCK_STAGES",
    "UNIT_STAGES",
    "TIERS",
    "TIER_RANK",
    "Team",
    "Tier",
    "Unit",
    "UnknownCategory",
    "UnknownRegion",
    "UnknownUnit",
    "load_catalog",
    "load_from",
]
