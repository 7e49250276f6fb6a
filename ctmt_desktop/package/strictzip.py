"""Read a package's zip as our writer makes it, and nothing else.

Python's :mod:`zipfile` (like most readers) is forgiving: it finds the end record anywhere in
the last 64 KiB, accepts bytes before the first entry and after the end record, reads entries
through the central directory alone (hidden data may sit between them, and two entries may
share bytes), and trusts a local header that disagrees with the central directory. A file
that two readers see differently is where a forgery hides, so the verifier reads the zip
itself, with these rules:

* exactly one zip: the first entry starts at byte 0, the end-of-central-directory record
  ends at the last byte (after the comment, which is empty or exactly as the builder
  writes it: ``CTMT package <id> v<n>``), the zip64 records (when present) sit exactly
  where the end record says, one disk only;
* the entries are laid end to end in central-directory order, from byte 0 to the central
  directory, with no gap and no overlap; every local header matches its central record
  (name, version, flags, method, time, CRC-32, sizes, zip64 extra resolved);
* no data descriptor (flag bit 3: the writer never needs one), no encryption, no extra field
  but zip64, no entry comment, no folder entry, no link or special file; stored or deflated
  only, a stored entry's two sizes equal;
* names: ASCII letters, digits, ``. _ - /``, relative, no ``.`` or ``..`` part, no name
  Windows would read as a device, no two equal once case is ignored, no file that is also
  the folder of another, under ``bag/`` or ``signature/``;
* caps (:class:`~ctmt_desktop.package.limits.Limits`) on the zip's size, its central
  directory, the entries' count, sizes and compression ratios, checked before reading;
* every entry is read once, inflated in bounded steps, counted (an entry may not hold more
  or fewer bytes than it declares, nor have data after its deflate stream) and checked
  against its CRC-32; its SHA-256 is computed on the way. Nothing is written to disk: the
  entries the caller asks for are kept in memory (each under its own cap), of the others
  only the first bytes and the last ones asked for.
"""

from __future__ import annotations

import hashlib
import re
import stat
import struct
import zlib
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import BinaryIO

from ctmt_desktop.package.limits import Deadline, Limits, Refusal

_CHUNK = 1 << 20
_EOCD = struct.Struct("<4s4H2LH")
_ZIP64_LOCATOR = struct.Struct("<4sLQL")
_ZIP64_EOCD = struct.Struct("<4sQ2H2L4Q")
_CENTRAL = struct.Struct("<4s6H3L5H2L")
_LOCAL = struct.Struct("<4s5H3L2H")
_SIG_EOCD = b"PK\x05\x06"
_SIG_ZIP64_LOCATOR = b"PK\x06\x07"
_SIG_ZIP64_EOCD = b"PK\x06\x06"
_SIG_CENTRAL = b"PK\x01\x02"
_SIG_LOCAL = b"PK\x03\x04"
_MAX16, _MAX32 = 0xFFFF, 0xFFFFFFFF
_STORED, _DEFLATED = 0, 8
#: The zip comment the builder writes (or none).
COMMENT = re.compile(
    rb"CTMT package (?P<id>[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}) "
    rb"v(?P<version>[1-9][0-9]{0,8})"
)
_MAX_COMMENT = 80
_NAME_CHARS = re.compile(r"^[A-Za-z0-9._/-]+$")
_WINDOWS_DEVICES = frozenset(
    {"CON", "PRN", "AUX", "NUL", "CONIN$", "CONOUT$"}
    | {f"COM{n}" for n in range(1, 10)}
    | {f"LPT{n}" for n in range(1, 10)}
)
TOP_FOLDERS = ("bag", "signature")


@dataclass
class Entry:
    """One entry as read: its size and SHA-256, its content when kept, its first and last
    bytes."""

    name: str
    size: int
    sha256: str
    data: bytes | None = None
    head: bytes = b""
    tail: bytes = b""


@dataclass
class ZipContents:
    """The entries in order, the zip comment's package id and version (when it has one)."""

    entries: dict[str, Entry] = field(default_factory=dict)
    comment_package_id: str | None = None
    comment_version: int | None = None
    total: int = 0


@dataclass
class _Record:
    name: str
    version_needed: int
    flags: int
    method: int
    time: int
    date: int
    crc: int
    compressed: int
    size: int
    offset: int
    data_offset: int = 0


def _zip64_values(extra: bytes, wanted: list[str], where: str) -> tuple[dict[str, int], bool]:
    """The zip64 fields ``wanted`` (in order) read from ``extra``, which may hold only a
    zip64 field; and whether it held one."""
    found: dict[str, int] = {}
    seen = False
    at = 0
    while at < len(extra):
        if at + 4 > len(extra):
            raise Refusal(f"{where}: a truncated extra field")
        kind, length = struct.unpack_from("<HH", extra, at)
        body = extra[at + 4 : at + 4 + length]
        if len(body) != length:
            raise Refusal(f"{where}: a truncated extra field")
        if kind != 0x0001:
            raise Refusal(
                f"{where}: an extra field of type {kind:#06x}, which the package never has"
            )
        if seen:
            raise Refusal(f"{where}: two zip64 extra fields")
        seen = True
        if length % 8 not in (0, 4) or length > 28:
            raise Refusal(f"{where}: a zip64 extra field of {length} bytes")
        values = [struct.unpack_from("<Q", body, 8 * i)[0] for i in range(length // 8)]
        if len(values) < len(wanted):
            raise Refusal(f"{where}: the zip64 extra field lacks a size or offset it must hold")
        found = dict(zip(wanted, values, strict=False))
        at += 4 + length
    return found, seen


def safe_name(name: str, limits: Limits) -> str:
    """``name`` when it is a name this profile allows for a file, else :class:`Refusal`."""
    shown = repr(name[:100])
    if not name or len(name) > limits.max_name_length:
        raise Refusal(f"entry {shown}: empty or too long a name")
    if any(ord(ch) < 32 or ord(ch) == 127 for ch in name):
        raise Refusal(f"entry {shown}: control characters in the name")
    if "\\" in name:
        raise Refusal(f"entry {shown}: a backslash in the name (a Windows path)")
    if name.startswith("/") or re.match(r"^[A-Za-z]:", name):
        raise Refusal(f"entry {shown}: an absolute path")
    if name.endswith("/"):
        raise Refusal(f"entry {shown}: a folder entry (a package holds files only)")
    parts = name.split("/")
    if any(part in ("", ".", "..") for part in parts):
        raise Refusal(f"entry {shown}: '..', '.' or an empty folder in the path")
    if not _NAME_CHARS.match(name):
        raise Refusal(
            f"entry {shown}: characters other than ASCII letters, digits, '.', '_', '-' and "
            "'/' in the name"
        )
    for part in parts:
        if part.endswith((".", " ")) or part.split(".", 1)[0].upper() in _WINDOWS_DEVICES:
            raise Refusal(f"entry {shown}: a name Windows would read as a device")
    if parts[0] not in TOP_FOLDERS or len(parts) < 2:
        raise Refusal(f"entry {shown}: outside bag/ and signature/")
    return name


def _file_kind(version_made: int, external: int, name: str) -> str:
    system = version_made >> 8
    mode = external >> 16
    if system == 3 and stat.S_IFMT(mode):  # Unix: the upper 16 bits are st_mode
        if stat.S_ISLNK(mode):
            return "link"
        if stat.S_ISDIR(mode):
            return "folder"
        if not stat.S_ISREG(mode):
            return "special file"
        return "file"
    if external & 0x10:  # MS-DOS folder bit
        return "folder"
    if external & 0x400:  # Windows reparse point (a link)
        return "link"
    return "file"


def _read_exact(handle: BinaryIO, offset: int, size: int, what: str) -> bytes:
    handle.seek(offset)
    data = handle.read(size)
    if len(data) != size:
        raise Refusal(f"{what} is cut short: the zip is truncated")
    return data


def _end_records(handle: BinaryIO, size: int, limits: Limits) -> tuple[int, int, int, bytes]:
    """(entries, central directory offset, its size, comment), every end record where it
    must be."""
    if size < _EOCD.size:
        raise Refusal(f"not a zip: {size} bytes, fewer than an end record")
    span = min(size, _EOCD.size + _MAX_COMMENT)
    tail = _read_exact(handle, size - span, span, "the end of the zip")
    found = []
    for at in range(len(tail) - _EOCD.size, -1, -1):
        if tail[at : at + 4] == _SIG_EOCD:
            (_, _, _, _, _, _, _, comment_length) = _EOCD.unpack_from(tail, at)
            if at + _EOCD.size + comment_length == len(tail):
                found.append(at)
    if not found:
        raise Refusal(
            "not a complete zip: no end-of-central-directory record ends the file (truncated, "
            "data after the zip, or a comment the package never has)"
        )
    if len(found) > 1:
        raise Refusal("two end-of-central-directory records end the file")
    at = found[0]
    eocd_offset = size - span + at
    (_, disk, cd_disk, disk_entries, entries, cd_size, cd_offset, comment_length) = (
        _EOCD.unpack_from(tail, at)
    )
    comment = tail[at + _EOCD.size :]
    if comment and not COMMENT.fullmatch(comment):
        raise Refusal(f"a zip comment the package never has: {comment[:60]!r}")
    if disk != 0 or cd_disk != 0 or disk_entries != entries:
        raise Refusal("a zip over several disks (spanned), which a package never is")
    end = eocd_offset
    if eocd_offset >= _ZIP64_LOCATOR.size:
        locator = _read_exact(
            handle, eocd_offset - _ZIP64_LOCATOR.size, _ZIP64_LOCATOR.size, "the zip64 locator"
        )
        if locator[:4] == _SIG_ZIP64_LOCATOR:
            _, locator_disk, z64_offset, disks = _ZIP64_LOCATOR.unpack(locator)
            if locator_disk != 0 or disks != 1:
                raise Refusal("a zip over several disks (spanned), which a package never is")
            expected = eocd_offset - _ZIP64_LOCATOR.size - _ZIP64_EOCD.size
            if z64_offset != expected:
                raise Refusal("the zip64 end record is not where its locator says")
            record = _read_exact(handle, z64_offset, _ZIP64_EOCD.size, "the zip64 end record")
            (sig, length, _, _, z_disk, z_cd_disk, z_disk_entries, z_entries, z_cd_size,
             z_cd_offset) = _ZIP64_EOCD.unpack(record)  # fmt: skip
            if sig != _SIG_ZIP64_EOCD or length != _ZIP64_EOCD.size - 12:
                raise Refusal("a damaged zip64 end record")
            if z_disk != 0 or z_cd_disk != 0 or z_disk_entries != z_entries:
                raise Refusal("a zip over several disks (spanned), which a package never is")
            for small, large, limit in (
                (entries, z_entries, _MAX16),
                (cd_size, z_cd_size, _MAX32),
                (cd_offset, z_cd_offset, _MAX32),
            ):
                if small not in (large, limit):
                    raise Refusal("the end record and the zip64 end record disagree")
            entries, cd_size, cd_offset = z_entries, z_cd_size, z_cd_offset
            end = z64_offset
    if cd_size > limits.max_central_directory_bytes:
        raise Refusal(
            f"a central directory of {cd_size} bytes, more than the cap of "
            f"{limits.max_central_directory_bytes}"
        )
    if entries > limits.max_entries:
        raise Refusal(f"{entries} entries, more than the cap of {limits.max_entries}")
    if cd_offset + cd_size != end:
        raise Refusal(
            "the central directory does not end where the end record begins (data hidden "
            "between them, or a damaged zip)"
        )
    return entries, cd_offset, cd_size, comment


def _central_records(directory: bytes, count: int, limits: Limits) -> list[_Record]:
    records: list[_Record] = []
    at = 0
    for index in range(count):
        if at + _CENTRAL.size > len(directory):
            raise Refusal("the central directory is shorter than its entries")
        (sig, version_made, version_needed, flags, method, mtime, mdate, crc, compressed, size,
         name_length, extra_length, comment_length, disk, _internal, external,
         offset) = _CENTRAL.unpack_from(directory, at)  # fmt: skip
        if sig != _SIG_CENTRAL:
            raise Refusal(f"central directory entry {index + 1} is damaged")
        start = at + _CENTRAL.size
        raw_name = directory[start : start + name_length]
        extra = directory[start + name_length : start + name_length + extra_length]
        at = start + name_length + extra_length + comment_length
        if at > len(directory):
            raise Refusal("the central directory is shorter than its entries")
        try:
            name = raw_name.decode("ascii")
        except UnicodeDecodeError as exc:
            raise Refusal(f"entry {raw_name[:80]!r}: a name that is not ASCII") from exc
        name = safe_name(name, limits)
        where = f"entry {name!r}"
        if comment_length:
            raise Refusal(f"{where}: an entry comment, which the package never has")
        if disk != 0:
            raise Refusal(f"{where}: on another disk (a spanned zip)")
        kind = _file_kind(version_made, external, name)
        if kind != "file":
            raise Refusal(f"{where}: a {kind}, not a regular file")
        if flags & 0x1:
            raise Refusal(f"{where}: encrypted")
        if flags & 0x8:
            raise Refusal(f"{where}: a data descriptor, which the package's writer never uses")
        if flags & ~0x0800:
            raise Refusal(f"{where}: general-purpose flags {flags:#06x} the package never has")
        if method not in (_STORED, _DEFLATED):
            raise Refusal(f"{where}: compression method {method} (only stored or deflated)")
        wanted = [
            label
            for label, value in (("size", size), ("compressed", compressed), ("offset", offset))
            if value == _MAX32
        ]
        values, _ = _zip64_values(extra, wanted, where)
        size = values.get("size", size)
        compressed = values.get("compressed", compressed)
        offset = values.get("offset", offset)
        records.append(
            _Record(
                name, version_needed, flags, method, mtime, mdate, crc, compressed, size, offset
            )  # fmt: skip
        )
    if at != len(directory):
        raise Refusal("the central directory holds more than its entries (hidden data)")
    return records


def _check_plan(records: list[_Record], limits: Limits, zip_size: int) -> None:
    seen: dict[str, str] = {}
    declared = 0
    compressed = 0
    for record in records:
        key = record.name.lower()
        if key in seen:
            if seen[key] == record.name:
                raise Refusal(f"entry {record.name!r} appears twice")
            raise Refusal(
                f"entries {seen[key]!r} and {record.name!r} have the same name once case is ignored"
            )
        seen[key] = record.name
        if record.size > limits.max_entry_bytes:
            raise Refusal(
                f"entry {record.name!r}: {record.size} bytes, more than the cap of "
                f"{limits.max_entry_bytes}"
            )
        if record.method == _STORED and record.size != record.compressed:
            raise Refusal(f"entry {record.name!r}: stored, yet its two sizes differ")
        _check_ratio(f"entry {record.name!r}", record.size, record.compressed, limits)
        declared += record.size
        compressed += record.compressed
    for key in seen:  # a file may not also be the folder of another entry
        parts = key.split("/")
        for depth in range(1, len(parts)):
            folder = "/".join(parts[:depth])
            if folder in seen:
                raise Refusal(f"entry {seen[folder]!r} is both a file and a folder")
    if declared > limits.max_total_bytes:
        raise Refusal(
            f"the entries expand to {declared} bytes, more than the cap of {limits.max_total_bytes}"
        )
    if declared > limits.ratio_floor and declared > limits.max_package_ratio * max(zip_size, 1):
        raise Refusal(
            f"the entries expand to {declared} bytes from a zip of {zip_size} (ratio above "
            f"{limits.max_package_ratio:g}): a zip bomb"
        )


def _check_ratio(what: str, size: int, compressed: int, limits: Limits) -> None:
    if size <= limits.ratio_floor:
        return
    ratio = size / max(compressed, 1)
    if ratio > limits.max_ratio:
        raise Refusal(
            f"{what}: {size} bytes from {compressed} compressed (ratio {ratio:.0f}, cap "
            f"{limits.max_ratio:.0f}): a zip bomb"
        )


def _check_local(handle: BinaryIO, record: _Record, zip_size: int) -> int:
    """Check the local header of ``record`` against it; return where its data ends."""
    where = f"entry {record.name!r}"
    if record.offset + _LOCAL.size > zip_size:
        raise Refusal(f"{where}: its local header lies past the end of the zip")
    header = _read_exact(handle, record.offset, _LOCAL.size, f"{where}'s local header")
    (sig, version_needed, flags, method, mtime, mdate, crc, compressed, size, name_length,
     extra_length) = _LOCAL.unpack(header)  # fmt: skip
    if sig != _SIG_LOCAL:
        raise Refusal(f"{where}: no local header where the central directory says")
    rest = _read_exact(
        handle, record.offset + _LOCAL.size, name_length + extra_length, f"{where}'s local header"
    )
    if rest[:name_length] != record.name.encode("ascii"):
        raise Refusal(
            f"{where}: the local header names {rest[:name_length][:80]!r}: the local and central "
            "headers disagree"
        )
    wanted = [
        label for label, value in (("size", size), ("compressed", compressed)) if value == _MAX32
    ]
    values, has_zip64 = _zip64_values(rest[name_length:], wanted, f"{where} (local header)")
    if has_zip64 and not wanted and len(rest) - name_length:
        pass  # a zip64 field the sizes did not need: the writer adds one for large files
    size = values.get("size", size)
    compressed = values.get("compressed", compressed)
    mismatched = [
        label
        for label, local, central in (
            ("version", version_needed, record.version_needed),
            ("flags", flags, record.flags),
            ("method", method, record.method),
            ("time", (mtime, mdate), (record.time, record.date)),
            ("CRC-32", crc, record.crc),
            ("compressed size", compressed, record.compressed),
            ("size", size, record.size),
        )
        if local != central
    ]
    if mismatched:
        raise Refusal(
            f"{where}: the local header and the central directory disagree on "
            f"{', '.join(mismatched)}"
        )
    record.data_offset = record.offset + _LOCAL.size + name_length + extra_length
    return record.data_offset + record.compressed


def read_zip(
    path: Path,
    limits: Limits,
    deadline: Deadline,
    *,
    keep: Callable[[str], int],
    tail: Callable[[str], int],
) -> ZipContents:
    """Read the zip at ``path`` under the rules of the module docstring.

    ``keep(name)`` is how many bytes of that entry may be kept in memory (0: none; an entry
    declaring more is refused before it is read); ``tail(name)`` how many of its last bytes
    to keep when its content is not kept. Raises :class:`Refusal` for any rule broken;
    :class:`OSError` only when the file cannot be read at all.
    """
    size = path.stat().st_size
    if size > limits.max_package_bytes:
        raise Refusal(f"the zip has {size} bytes, more than the cap of {limits.max_package_bytes}")
    with path.open("rb") as handle:
        count, cd_offset, cd_size, comment = _end_records(handle, size, limits)
        directory = _read_exact(handle, cd_offset, cd_size, "the central directory")
        records = _central_records(directory, count, limits)
        del directory
        _check_plan(records, limits, size)
        expected = 0
        for record in records:
            if record.offset != expected:
                gap = "hidden data between entries" if record.offset > expected else "overlap"
                what = "before the first entry" if expected == 0 else f"before {record.name!r}"
                raise Refusal(
                    f"entries are not laid end to end ({gap} {what}): one zip, as written, "
                    "is expected"
                )
            expected = _check_local(handle, record, size)
            deadline.check("reading the zip's headers")
        if expected != cd_offset:
            raise Refusal(
                "the last entry does not end where the central directory begins (hidden data, "
                "or an overlap)"
            )
        contents = ZipContents()
        match = COMMENT.fullmatch(comment) if comment else None
        if match is not None:
            contents.comment_package_id = match.group("id").decode("ascii")
            contents.comment_version = int(match.group("version"))
        for record in records:
            cap = keep(record.name)
            if cap and record.size > cap:
                raise Refusal(
                    f"entry {record.name!r}: {record.size} bytes, more than the cap of {cap} "
                    "for this file"
                )
            entry = _read_entry(handle, record, cap, tail(record.name), deadline)
            contents.entries[record.name] = entry
            contents.total += entry.size
        return contents


def _read_entry(
    handle: BinaryIO, record: _Record, cap: int, tail_size: int, deadline: Deadline
) -> Entry:
    where = f"entry {record.name!r}"
    digest = hashlib.sha256()
    crc = 0
    written = 0
    kept = bytearray() if cap else None
    head = b""
    last = b""
    inflater = zlib.decompressobj(-15) if record.method == _DEFLATED else None
    handle.seek(record.data_offset)
    left = record.compressed

    def take(chunk: bytes) -> None:
        nonlocal crc, written, head, last
        written += len(chunk)
        if written > record.size:
            raise Refusal(f"{where} holds more bytes than it declares")
        digest.update(chunk)
        crc = zlib.crc32(chunk, crc)
        if len(head) < 16:
            head = (head + chunk[:16])[:16]
        if kept is not None:
            kept.extend(chunk)
        elif tail_size:
            last = (last + chunk)[-tail_size:]

    try:
        while left:
            deadline.check(f"reading {record.name}")
            chunk = handle.read(min(_CHUNK, left))
            if not chunk:
                raise Refusal(f"{where} is cut short: the zip is truncated")
            left -= len(chunk)
            if inflater is None:
                take(chunk)
                continue
            pending = chunk
            while pending:
                if inflater.eof:
                    raise Refusal(f"{where}: data after the end of its deflate stream")
                out = inflater.decompress(pending, _CHUNK)
                pending = inflater.unconsumed_tail
                take(out)
        if inflater is not None:
            while not inflater.eof:
                out = inflater.decompress(b"", _CHUNK)
                if not out:
                    break
                take(out)
            if not inflater.eof:
                raise Refusal(f"{where}: its deflate stream is cut short")
            if inflater.unused_data:
                raise Refusal(f"{where}: data after the end of its deflate stream")
    except zlib.error as exc:
        raise Refusal(f"{where} cannot be inflated: {exc}") from exc
    if written != record.size:
        raise Refusal(f"{where} holds fewer bytes than it declares")
    if crc != record.crc:
        raise Refusal(f"{where}: its CRC-32 differs from the one declared (damaged)")
    return Entry(
        record.name,
        written,
        digest.hexdigest(),
        bytes(kept) if kept is not None else None,
        head,
        last if kept is None else bytes(kept[-tail_size:]) if tail_size else b"",
    )
