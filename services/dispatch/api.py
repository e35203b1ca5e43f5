"""Dispatch's public face: what a unit does with a case (签收, 退单, 转派, 上报/提级, 办结)."""
from services.dispatch.handlers import accept, escalate, resolve, return_case, transfer

__all__ = ["accept", "escalate", "resolve", "return_case", "transfer"]
