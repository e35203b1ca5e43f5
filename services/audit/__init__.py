"""The audit chain of a center: every action, token change and rule change, hash-chained, witnessed by the parent."""
