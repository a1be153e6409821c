"""A file's bytes as text: binary files told apart, UTF-8, UTF-16 by its byte-order mark,
else Windows-1252 with a warning (docs/ingest.md, "Encodings")."""

from __future__ import annotations

__all__ = ["decode"]

_SNIFF_BYTES = 8192  # bytes examined to decide whether a file is binary


_PRINTABLE_BYTES = bytes([9, 10, 12, 13, *range(32, 256)])  # what is *not* a control byte


def _looks_binary(data: bytes) -> bool:
    sample = data[:_SNIFF_BYTES]
    if b"\x00" in sample:
        return True
    if not sample:
        return False
    controls = len(sample.translate(None, _PRINTABLE_BYTES))
    return controls / len(sample) > 0.1


_CP1252_UNDEFINED = {0xDC00 + b: b for b in (0x81, 0x8D, 0x8F, 0x90, 0x9D)}


def decode(data: bytes) -> tuple[str | None, str | None]:
    """Decode file bytes. Returns ``(text, warning)``; text is ``None`` for binary data."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16"), None
        except UnicodeDecodeError:
            return None, None
    if _looks_binary(data):
        return None, None
    try:
        return data.decode("utf-8-sig"), None
    except UnicodeDecodeError:
        pass
    # the five bytes cp1252 leaves undefined (0x81, 0x8D, 0x8F, 0x90, 0x9D) become the code
    # points of the same number, as Windows decodes them; the rest of the file stays cp1252
    text = data.decode("cp1252", "surrogateescape").translate(_CP1252_UNDEFINED)
    return text, "not UTF-8: decoded as cp1252"
