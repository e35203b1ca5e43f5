"""The audit chain's public face: the reaction that writes an entry per action, `record` for the other actions
(tokens, rules), linking, reading a page of the chain, the witness (publishing a head, keeping a child's) and
verification."""
from services.audit.domain.chain import Finding, Head, Verdict, Witnessed
from services.audit.trail import (
    Entry,
    EntryPage,
    audit_actions,
    entries,
    has_chain,
    head,
    keep_head,
    latest_witnessed,
    link,
    note_rules,
    parent_of,
    publish_head,
    record,
    verify_chain,
    witnessed,
)

__all__ = ["Entry", "EntryPage", "Finding", "Head", "Verdict", "Witnessed", "audit_actions", "entries", "has_chain",
           "head", "keep_head", "latest_witnessed", "link", "note_rules", "parent_of", "publish_head", "record", "verify_chain",
           "witnessed"]
