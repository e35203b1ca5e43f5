"""Supervision's public face: the actions on deadlines and fixes (核查, 延期, 督办) and the read model of the
subtree (cases, one case, the board)."""
from services.supervision.handlers import decide_extension, request_extension, supervise, verify
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

__all__ = ["CaseDetail", "CasePage", "CaseQuery", "CaseRow", "Deadlines", "board", "case_detail",
           "decide_extension", "find_cases", "lights_of", "queue", "request_extension", "supervise", "verify"]
