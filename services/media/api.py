"""Media's public face: taking a photo in, serving it, the reaction that links photos to cases, and the errors."""
from services.media.adapters.storage import Storage
from services.media.handlers import Stored, TooLarge, link_media, photo_for, storage_for, take_photo
from services.media.photos import NotAPhoto

__all__ = ["NotAPhoto", "Storage", "Stored", "TooLarge", "link_media", "photo_for", "storage_for", "take_photo"]
