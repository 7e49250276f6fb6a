"""The numbered parts of a package split for email: each part names its package.

A package split with ``max_part_size`` becomes ``NAME.zip.001``, ``NAME.zip.002``… Each part
is a fixed header of :data:`HEADER_SIZE` bytes followed by its slice of the zip::

    offset  size  field
         0     8  b"CTMTPART"
         8     2  header format, 1 (big-endian, as every number here)
        10    16  the package id (the UUID's 16 bytes, as in bag-info.txt)
        26     2  this part's number, from 1
        28     2  how many parts the package has
        30     8  the size of the whole zip in bytes
        38    32  the SHA-256 of the whole zip
        70    32  the SHA-256 of this part's slice (the bytes after the header)
       102    26  zero

So a part of another package (another id, another count, another zip digest), a part
renamed to another number, a damaged or truncated part are refused by name before anything
is unzipped, and the joined zip is checked against the digest every part carries. The
header is not signed (the signature inside the zip is what vouches for the content): it
keeps parts of different packages apart.

The verifier joins the parts itself; by hand, strip each header and concatenate the slices
in order (``for p in NAME.zip.0*; do tail -c +129 "$p"; done > NAME.zip``).
"""

from __future__ import annotations

import struct
import uuid
from dataclasses import dataclass

MAGIC = b"CTMTPART"
FORMAT = 1
HEADER_SIZE = 128
_LAYOUT = struct.Struct(">8sH16sHHQ32s32s26s")
assert _LAYOUT.size == HEADER_SIZE


class PartHeaderError(ValueError):
    """The first bytes of a file are not a part header of this format."""


@dataclass(frozen=True)
class PartHeader:
    """What a part says of itself."""

    package_id: str
    number: int
    count: int
    zip_size: int
    zip_sha256: str
    part_sha256: str

    def pack(self) -> bytes:
        """The header's :data:`HEADER_SIZE` bytes."""
        return _LAYOUT.pack(
            MAGIC,
            FORMAT,
            uuid.UUID(self.package_id).bytes,
            self.number,
            self.count,
            self.zip_size,
            bytes.fromhex(self.zip_sha256),
            bytes.fromhex(self.part_sha256),
            bytes(26),
        )


def read_header(data: bytes) -> PartHeader:
    """The header at the start of ``data`` (at least :data:`HEADER_SIZE` bytes).

    Raises:
        PartHeaderError: not a part header of this format, or one whose fields are
            impossible (a number above the count, no parts, bytes in the reserved field).
    """
    if len(data) < HEADER_SIZE:
        raise PartHeaderError(f"shorter than a part header ({HEADER_SIZE} bytes)")
    magic, version, package, number, count, size, whole, part, reserved = _LAYOUT.unpack(
        data[:HEADER_SIZE]
    )
    if magic != MAGIC:
        raise PartHeaderError("no part header (a part begins with CTMTPART)")
    if version != FORMAT:
        raise PartHeaderError(f"part header format {version}; this version reads {FORMAT}")
    if reserved != bytes(26):
        raise PartHeaderError("the part header's reserved bytes are not zero")
    if not 1 <= number <= count:
        raise PartHeaderError(f"the part header says part {number} of {count}")
    return PartHeader(str(uuid.UUID(bytes=package)), number, count, size, whole.hex(), part.hex())
