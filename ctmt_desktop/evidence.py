"""Content-addressed storage of evidence files (photos, attendance lists, scans).

A file is stored once under ``<db>.evidence/<first two hex digits>/<sha256>`` whatever its
name, however many records refer to it. Writes go to a temporary name and are renamed when
complete, so a crash never leaves a half-written file under a real name.
"""

from __future__ import annotations

import hashlib
import mimetypes
import os
import tempfile
from dataclasses import dataclass
from pathlib import Path

from ctmt_desktop.errors import StorageError

CHUNK = 1 << 20
MAX_EVIDENCE_BYTES = 200 * 1024 * 1024


@dataclass(frozen=True)
class StoredFile:
    sha256: str
    size: int
    media_type: str


class EvidenceStore:
    """The evidence folder of one database."""

    def __init__(self, root: Path) -> None:
        self.root = Path(root)

    def path_of(self, sha256: str) -> Path:
        return self.root / sha256[:2] / sha256

    def has(self, sha256: str) -> bool:
        return self.path_of(sha256).is_file()

    def put(self, source: Path) -> StoredFile:
        """Store the file at ``source`` (if not stored yet) and return its identity."""
        source = Path(source)
        if not source.is_file():
            raise StorageError(f"{source}: no such file")
        size = source.stat().st_size
        if size > MAX_EVIDENCE_BYTES:
            raise StorageError(
                f"{source}: {size // (1024 * 1024)} MB is larger than the "
                f"{MAX_EVIDENCE_BYTES // (1024 * 1024)} MB allowed for an evidence file"
            )
        self.root.mkdir(parents=True, exist_ok=True)
        digest = hashlib.sha256()
        handle, temporary = tempfile.mkstemp(dir=self.root, prefix=".incoming-")
        try:
            with os.fdopen(handle, "wb") as out, source.open("rb") as src:
                while chunk := src.read(CHUNK):
                    digest.update(chunk)
                    out.write(chunk)
                out.flush()
                os.fsync(out.fileno())
            sha256 = digest.hexdigest()
            target = self.path_of(sha256)
            if target.exists():
                os.unlink(temporary)
            else:
                target.parent.mkdir(parents=True, exist_ok=True)
                os.replace(temporary, target)
        except OSError as exc:
            Path(temporary).unlink(missing_ok=True)
            raise StorageError(
                f"{source}: cannot store the evidence file ({exc.strerror})"
            ) from exc
        media_type = mimetypes.guess_type(source.name)[0] or "application/octet-stream"
        return StoredFile(sha256, size, media_type)
