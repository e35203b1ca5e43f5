"""The live feed's public face: the reaction that feeds it, adding rows (notifications, warnings), numbering and
reading them."""
from services.live.feed import BATCH, WINDOW, Change, append, latest, purge, record_changes, sequence, since

__all__ = ["BATCH", "WINDOW", "Change", "append", "latest", "purge", "record_changes", "sequence", "since"]
