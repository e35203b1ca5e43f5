"""The audit chain's pure core: the canonical form of an entry, its hash, and verification."""
