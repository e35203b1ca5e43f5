"""Who is told what, when a case changes (pure)."""
