"""Media's public face: taking a photo in, serving it, the reaction that links photos to cases, the evidence a
resolving photo gives (checked against the rules' data), and the errors."""
from services.media.adapters.storage import Storage
from services.media.domain.evidence import EvidenceRefused, EvidenceRulesError, load_evidence
from services.media.handlers import Stored, TooLarge, check_evidence, link_media, photo_for, storage_for, take_photo
from services.media.photos import NotAPhoto

__all__ = ["EvidenceRefused", "EvidenceRulesError", "NotAPhoto", "Storage", "Stored", "TooLarge", "check_evidence",
           "link_media", "load_evidence", "photo_for", "storage_for", "take_photo"]
