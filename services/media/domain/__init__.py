"""Media's pure domain logic: the checks a resolving photo must pass (evidence)."""
