"""Where a center keeps its photos' bytes. `LocalStorage` writes files under a directory (the default); an
S3-compatible store is another `Storage` with the same two methods."""
from __future__ import annotations

import os
import tempfile
from pathlib import Path
from typing import Protocol


class Storage(Protocol):
    def put(self, media_id: str, data: bytes) -> None: ...

    def get(self, media_id: str) -> bytes | None: ...


class LocalStorage:
    def __init__(self, root: str | Path):
        self.root = Path(root)

    def _path(self, media_id: str) -> Path:
        return self.root / media_id[2:4] / media_id

    def put(self, media_id: str, data: bytes) -> None:
        """Write atomically: a reader never sees half a photo."""
        path = self._path(media_id)
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".upload-")
        with os.fdopen(fd, "wb") as f:
            f.write(data)
        os.replace(tmp, path)

    def get(self, media_id: str) -> bytes | None:
        path = self._path(media_id)
        return path.read_bytes() if path.is_file() else None
