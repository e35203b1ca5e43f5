"""The case lifecycle (pure). See machine.py; the sub-tasks of joint handling in tasks.py."""
from shared.lifecycle.machine import *  # noqa: F401,F403
from shared.lifecycle.machine import (  # noqa: F401
    ACTIONS,
    ALLOWED,
    FINAL,
    OPEN,
    STATUSES,
    TASK_ACTIONS,
    CaseState,
    Event,
    IllegalTransition,
    InvalidCommand,
    OpenJoint,
    TaskAction,
    TaskSpec,
    Whistle,
    apply,
    check_invariants,
    decide,
    evolve,
)
