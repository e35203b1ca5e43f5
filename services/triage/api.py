"""Triage's public face: a dispatcher's corrections of intake (并单, 拆单, 不予立案)."""
from services.triage.handlers import merge, reject, split

__all__ = ["merge", "reject", "split"]
