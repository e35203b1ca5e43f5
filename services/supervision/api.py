"""Supervision's public face: the actions on deadlines and fixes (核查, 延期, 督办) and the read model of the
subtree (cases, one case, the board); what a case's escalation chain will do (the dry run)."""
from services.supervision.handlers import (
    EscalationPreview,
    StepPreview,
    decide_extension,
    escalation_preview,
    request_extension,
    supervise,
    verify,
)
from services.supervision.queries import (
    CaseDetail,
    CasePage,
    CaseQuery,
    CaseRow,
    Deadlines,
    board,
    case_detail,
    find_cases,
    lights_of,
    queue,
)
from services.supervision.tasks import task_deadlines

__all__ = ["CaseDetail", "CasePage", "CaseQuery", "CaseRow", "Deadlines", "EscalationPreview", "StepPreview", "board",
           "case_detail", "decide_extension", "escalation_preview", "find_cases", "lights_of", "queue", "request_extension", "supervise", "task_deadlines", "verify"]
