"""Dispatch's public face: what a unit does with a case (签收, 退单, 转派, 上报/提级, 办结, 延期, 挂账), what the
dispatching center decides on it (退单审核, 挂账审批, 作废, 立案审核), joint handling (联合处置: a sub-task per unit) and a
township's whistle (街道吹哨), the workflow limits (rules as data), and the
request bodies of those actions."""
from services.dispatch.domain.workflow import Workflow, WorkflowRulesError, load_workflow
from services.dispatch.handlers import (
    accept,
    decide_suspension,
    escalate,
    joint,
    register,
    request_extension,
    resolve,
    resume,
    return_case,
    review_return,
    suspend,
    task_act,
    transfer,
    void,
    whistle,
)
from services.dispatch.requests import (
    DecideSuspensionIn,
    ExtendIn,
    JointIn,
    RegisterIn,
    ReturnIn,
    ReviewReturnIn,
    SuspendIn,
    VoidIn,
    WhistleIn,
)
from shared.lifecycle.tasks import Task
from shared.lifecycle.tasks import fold as tasks_of

__all__ = ["DecideSuspensionIn", "ExtendIn", "JointIn", "RegisterIn", "ReturnIn", "ReviewReturnIn", "SuspendIn", "Task",
           "VoidIn", "WhistleIn", "Workflow", "WorkflowRulesError", "accept", "decide_suspension", "escalate", "joint",
           "load_workflow", "register", "request_extension", "resolve", "resume", "return_case", "review_return",
           "suspend", "task_act", "tasks_of", "transfer", "void", "whistle"]
