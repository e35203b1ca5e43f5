"""The case lifecycle (pure). See machine.py."""
from shared.lifecycle.machine import *  # noqa: F401,F403
from shared.lifecycle.machine import (  # noqa: F401
    ACTIONS,
    ALLOWED,
    FINAL,
    OPEN,
    STATUSES,
    CaseState,
    Event,
    IllegalTransition,
    InvalidCommand,
    apply,
    check_invariants,
    decide,
    evolve,
)
