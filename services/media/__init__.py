"""Photos: kept by the center that took them, served to those whose scope holds a case that cites them."""
