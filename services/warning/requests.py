"""The body of `POST /api/v1/warnings/{id}/act`."""
from __future__ import annotations

from typing import Literal

from pydantic import Field

from shared.contracts.api import ActionIn, Text


class WarningActIn(ActionIn):
    """`task`: open a proactive case (未诉先办) from the warning; `dismiss`: close it, with a `reason`. Both are
    required (422 without them), but checked after the warning is found in the caller's scope: a warning the caller
    may not see answers 404 whatever the body (QUALITY.md S1)."""

    action: Literal["task", "dismiss"] | None = Field(default=None, description="task | dismiss (required)")
    reason: Text | None = Field(default=None, max_length=500)
