"""The 12345 hotline integration (CONTRACTS.md §4): signing both ways."""
