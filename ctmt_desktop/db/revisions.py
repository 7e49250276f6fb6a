"""The Alembic revisions of a migrations folder, read without importing Alembic.

Opening a database that is already at the head revision needs one query (``SELECT
version_num FROM alembic_version``) and the head revision; Alembic's script machinery (and
SQLAlchemy's DDL and every dialect it pulls in) costs about a tenth of a second to import, so
it is imported only when a migration is due. The revision files are read as text here: each
names its own ``revision`` and its ``down_revision`` as string literals, as Alembic writes
them. A folder this reader cannot follow (a merge revision, a computed identifier, several
heads) gives None, and the caller asks Alembic instead; tests/test_fast_paths.py checks that
both agree on the shipped migrations.
"""

from __future__ import annotations

import re
from pathlib import Path

_ASSIGNMENT = re.compile(
    r"^(?P<name>revision|down_revision)\s*(?::[^=\n]*)?=\s*(?P<value>.*?)\s*(?:#.*)?$",
    re.MULTILINE,
)
_LITERAL = re.compile(r"""^(?:"([^"\\]*)"|'([^'\\]*)')$""")


def script_revisions(migrations: Path) -> dict[str, str | None] | None:
    """Revision → the revision it revises (None for the first) of every file in
    ``migrations/versions``; None when some file is beyond this simple reader."""
    chain: dict[str, str | None] = {}
    try:
        files = sorted((Path(migrations) / "versions").glob("*.py"))
    except OSError:
        return None
    for file in files:
        if file.name == "__init__.py" or file.name.startswith(".#"):  # as Alembic skips them
            continue
        try:
            text = file.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError):
            return None
        found: dict[str, str | None] = {}
        for match in _ASSIGNMENT.finditer(text):
            value = match.group("value")
            if value == "None":
                found.setdefault(match.group("name"), None)
                continue
            literal = _LITERAL.match(value)
            if literal is None:
                return None
            found.setdefault(match.group("name"), literal.group(1) or literal.group(2) or "")
        revision = found.get("revision")
        if not revision or "down_revision" not in found or revision in chain:
            return None
        chain[revision] = found["down_revision"]
    return chain or None


def script_head(chain: dict[str, str | None] | None) -> str | None:
    """The one revision no other revises (None when there is not exactly one, or a
    revision revises one that is not there)."""
    if not chain:
        return None
    revised = set(chain.values())
    if any(parent is not None and parent not in chain for parent in revised):
        return None
    heads = [revision for revision in chain if revision not in revised]
    return heads[0] if len(heads) == 1 else None
