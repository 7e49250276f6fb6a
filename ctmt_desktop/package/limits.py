"""The caps the package verifier works under, and JSON read within them.

Every parser of a package's bytes (the zip's directories, the BagIt tag files, the CMS
signature, the JSON documents) runs under a cap that is checked *before* the expensive step:
a size before reading, a count before a loop, a nesting depth before ``json.loads``, and a
deadline for the whole verification. A cap that is met refuses the package with a reason
(:class:`Refusal`), never an exception of another kind.

The defaults are far above a real package (a year of 10,000 records with 400 evidence files
of 200 MB is a fraction of each) and low enough that a package of 50 MB is answered in a few
seconds and well under 300 MB of memory whatever its content (``tests/test_fuzz_package.py``
mutates packages at random; ``tests/test_hostile_package.py`` pins each cap).
"""

from __future__ import annotations

import json
import re
import time
from dataclasses import dataclass
from typing import Any


class Refusal(Exception):
    """A check refuses the package; the message is the reason, for people."""


@dataclass(frozen=True)
class Limits:
    """Caps on what a package may hold and on how long it may take to verify.

    Attributes:
        max_package_bytes: the zip (or its parts together).
        max_parts: numbered parts.
        max_entries: entries in the zip.
        max_central_directory_bytes: the zip's central directory.
        max_total_bytes: bytes of all entries together, uncompressed.
        max_entry_bytes: bytes of one entry, uncompressed.
        max_ratio: uncompressed / compressed size of an entry, for entries above
            ``ratio_floor`` bytes.
        max_package_ratio: uncompressed bytes of every entry / bytes of the zip, when the
            entries hold more than ``ratio_floor`` bytes.
        ratio_floor: entries (and packages) this small are not held to the ratios.
        max_name_length: characters of an entry's name.
        max_tag_file_bytes: ``bagit.txt``, ``bag-info.txt``, ``tagmanifest-sha256.txt``.
        max_tag_lines: lines of ``bag-info.txt``.
        max_manifest_bytes: ``manifest-sha256.txt``.
        max_signature_bytes: the CMS signature (DER), checked before it is parsed.
        max_der_elements: ASN.1 elements in the signature.
        max_der_depth: ASN.1 nesting in the signature.
        max_certificates: certificates carried by the signature (and by a timestamp).
        max_records_bytes: ``records.json``, checked before it is parsed.
        max_audit_bytes: ``audit.json``, checked before it is parsed.
        max_json_depth: nesting of arrays and objects in a JSON document.
        max_json_strings: strings (keys included) in ``records.json``.
        max_json_containers: arrays and objects in ``records.json``.
        max_audit_strings: strings in ``audit.json`` (its objects are dropped once read, so
            it may hold more).
        max_audit_containers: arrays and objects in ``audit.json``.
        max_json_number_length: characters of one JSON number.
        max_records: records in ``records.json``.
        max_seconds: the whole verification; past it the package is refused.
    """

    max_package_bytes: int = 4 * 1024**3
    max_parts: int = 999
    max_entries: int = 50_000
    max_central_directory_bytes: int = 16 * 1024**2
    max_total_bytes: int = 4 * 1024**3
    max_entry_bytes: int = 2 * 1024**3
    max_ratio: float = 100.0
    max_package_ratio: float = 20.0
    ratio_floor: int = 1 << 20
    max_name_length: int = 255
    max_tag_file_bytes: int = 64 * 1024
    max_tag_lines: int = 200
    max_manifest_bytes: int = 16 * 1024**2
    max_signature_bytes: int = 256 * 1024
    max_der_elements: int = 20_000
    max_der_depth: int = 40
    max_certificates: int = 10
    max_records_bytes: int = 20 * 1024**2
    max_audit_bytes: int = 32 * 1024**2
    max_json_depth: int = 32
    max_json_strings: int = 1_600_000
    max_json_containers: int = 400_000
    max_audit_strings: int = 8_000_000
    max_audit_containers: int = 1_000_000
    max_json_number_length: int = 40
    max_records: int = 30_000
    max_seconds: float = 120.0


class Deadline:
    """The moment past which the verification stops (``Limits.max_seconds`` from now)."""

    def __init__(self, seconds: float) -> None:
        self.seconds = seconds
        self.end = time.monotonic() + seconds

    def check(self, doing: str) -> None:
        """Refuse when the deadline has passed, saying what was being done."""
        if time.monotonic() > self.end:
            raise Refusal(
                f"the verification took longer than its cap of {self.seconds:g} s (while "
                f"{doing}); a package this slow to read is refused"
            )


# --- JSON within caps -----------------------------------------------------------------------------
class _Dropped:
    """What an object read with ``keep_objects=False`` becomes."""

    def __repr__(self) -> str:
        return "<object>"


#: Each object of a document read with ``keep_objects=False``.
DROPPED_OBJECT: Any = _Dropped()
_BRACKETS_ONLY = bytes(b for b in range(256) if b not in b"[]{}")
_STRING = re.compile(rb'"[^"]*"')
_SCAN_CHUNK = 1 << 18
_NUMBER_BYTES = frozenset(b"-+0123456789.eE")


def _structure(data: bytes, limits: Limits, what: str, max_strings: int) -> bytes:
    """The brackets of ``data`` outside its strings, in order (read in chunks, so that
    memory stays small whatever the document holds); refuses a number longer than
    ``max_json_number_length`` on the way."""
    plain = data.replace(b"\\\\", b"").replace(b'\\"', b"")  # no escaped quote is left
    quotes = plain.count(b'"')
    if quotes % 2:
        raise Refusal(f"{what} is not JSON: a string is not closed")
    if quotes // 2 > max_strings:
        raise Refusal(f"{what} holds {quotes // 2} strings, more than the cap of {max_strings}")
    longest = limits.max_json_number_length
    too_long = re.compile(rb"[-+0-9.eE]{%d}" % (longest + 1))
    pieces = []
    start, size = 0, len(plain)
    while start < size:
        end = min(start + _SCAN_CHUNK, size)
        if plain.count(b'"', start, end) % 2:  # end the chunk after the string it is in
            end = plain.index(b'"', end) + 1
        while end < size and plain[end] in _NUMBER_BYTES:  # and after the number it is in
            end += 1
        outside = _STRING.sub(b"", plain[start:end])
        if too_long.search(outside):
            raise Refusal(f"{what} holds a number longer than {longest} characters")
        pieces.append(outside.translate(None, _BRACKETS_ONLY))
        start = end
    return b"".join(pieces)


def check_json_structure(
    data: bytes, limits: Limits, what: str, *, max_strings: int, max_containers: int
) -> None:
    """Refuse ``data`` when it holds more strings or more arrays and objects than the caps,
    or nests them deeper than ``max_json_depth`` (or its brackets do not pair), without
    parsing it: strings are counted and set aside, then the innermost pairs of brackets are
    removed one level at a time."""
    depth = limits.max_json_depth
    brackets = _structure(data, limits, what, max_strings)
    containers = brackets.count(b"[") + brackets.count(b"{")
    if containers > max_containers:
        raise Refusal(
            f"{what} holds {containers} arrays and objects, more than the cap of {max_containers}"
        )
    too_deep = re.compile(rb"[\[{]{%d}" % (depth + 1))
    for _ in range(depth + 1):
        if not brackets:
            return
        if too_deep.search(brackets):
            break
        brackets = brackets.replace(b"[]", b"").replace(b"{}", b"")
    if brackets:
        raise Refusal(
            f"{what} nests arrays and objects deeper than the cap of {depth} levels (or its "
            "brackets do not pair)"
        )


def load_json(
    data: bytes,
    limits: Limits,
    what: str,
    *,
    max_bytes: int,
    max_strings: int,
    max_containers: int,
    objects: str = "keep",
) -> Any:
    """``data`` parsed as strict JSON in UTF-8 under the caps, or :class:`Refusal`.

    Before parsing: the size, the nesting depth, the counts of strings and of arrays and
    objects, and the length of every number (what parsing will cost is bounded before it
    starts). While parsing: no NaN or infinity (nor a float too large to be finite),
    and with ``objects``

    * ``"keep"``: no key twice in one object;
    * ``"drop"``: no key twice, and every object then dropped (read as
      :data:`DROPPED_OBJECT`), so that a document that is only checked costs the memory of
      its largest object rather than of all of them;
    * ``"canonical"``: objects read at full speed, keys not checked: for a document the
      caller then compares with its canonical form (where a key twice cannot hide).
    """
    if len(data) > max_bytes:
        raise Refusal(f"{what} has {len(data)} bytes, more than the cap of {max_bytes}")
    check_json_structure(data, limits, what, max_strings=max_strings, max_containers=max_containers)

    def pairs(items: list[tuple[str, Any]]) -> Any:
        result = dict(items)
        if len(result) != len(items):
            seen: set[str] = set()
            for key, _ in items:
                if key in seen:
                    raise Refusal(f"{what} has the key {key[:80]!r} twice in one object")
                seen.add(key)
        return result if objects == "keep" else DROPPED_OBJECT

    def real(text: str) -> float:
        value = float(text)
        if value in (float("inf"), float("-inf")):
            raise Refusal(f"{what} holds a number too large to be finite: {text[:40]}")
        return value

    def constant(text: str) -> Any:
        raise Refusal(f"{what} holds {text}, which is not JSON")

    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise Refusal(f"{what} is not UTF-8 ({exc.reason} at byte {exc.start})") from exc
    try:
        return json.loads(
            text,
            object_pairs_hook=None if objects == "canonical" else pairs,
            parse_float=real,
            parse_constant=constant,
        )
    except RecursionError as exc:
        raise Refusal(f"{what} nests too deeply to be read") from exc
    except ValueError as exc:
        raise Refusal(f"{what} is not JSON: {str(exc)[:200]}") from exc
