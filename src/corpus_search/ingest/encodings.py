"""A file's bytes as text: binary files told apart (by their signature, else by their control
bytes), UTF-8, UTF-16 by its byte-order mark or by the zero bytes of its ASCII, UTF-8 with
a few stray Windows bytes each read as cp1252, else Windows-1252 with a warning; NUL bytes in
a text (damage) are removed with a warning rather than the file dropped (docs/ingest.md,
"Encodings")."""

from __future__ import annotations

import os
import re

__all__ = ["BINARY_SIGNATURES", "NOT_UTF8", "decode", "name_on_disk", "stored_name"]

NOT_UTF8 = "not UTF-8: decoded as cp1252"  # the warning of a file read as Windows-1252
_STRAY_BYTES = "UTF-8 with {} stray byte{} read as cp1252"  # ... of UTF-8 with a few

_SNIFF_BYTES = 8192  # bytes examined to decide whether a file is binary


_PRINTABLE_BYTES = bytes([9, 10, 12, 13, *range(32, 256)])  # what is *not* a control byte

#: how the kinds of binary file a folder of articles holds begin, and what to call them
BINARY_SIGNATURES: tuple[tuple[bytes, str], ...] = (
    (b"%PDF-", "a PDF"), (b"PK\x03\x04", "a zip archive (or .docx, .xlsx, ...)"),
    (b"\x89PNG", "a PNG image"), (b"\xff\xd8\xff", "a JPEG image"), (b"GIF8", "a GIF image"),
    (b"\xd0\xcf\x11\xe0", "an Office 97-2003 file"), (b"\x1f\x8b", "a gzip archive"),
    (b"\x7fELF", "a program"), (b"MZ", "a program"), (b"RIFF", "a RIFF file (image, sound)"),
)

#: the share of control bytes (NULs aside) above which bytes that are not UTF-8 are no text:
#: text in Windows-1252 holds next to none, random bytes (written over a file) about 11%
_STRAY_CONTROLS = 0.02


def _controls(sample: bytes) -> float:
    """The share of ``sample``'s bytes that are control bytes (NUL, BEL, ...), 0 for none."""
    return len(sample.translate(None, _PRINTABLE_BYTES)) / len(sample) if sample else 0.0


def _signed_kind(data: bytes) -> str | None:
    """The kind of binary file :data:`BINARY_SIGNATURES` says ``data`` begins as, if any."""
    for signature, kind in BINARY_SIGNATURES:
        if data.startswith(signature) and (signature != b"MZ" or b"\x00" in data[:64]):
            return kind
    return None


def _unsigned_kind(data: bytes) -> str | None:
    """"binary file" for bytes that are not text, else ``None``. They are judged without
    their NUL bytes, which damage leaves in a text (a bad copy, a crash's run of NULs at the
    end) and reading removes: what is left must be text in its encoding (few control bytes,
    next to none if it is not UTF-8). (Counting the NULs themselves, 20 in a 5 KB article
    had dropped it as "binary".)"""
    rest = data[:_SNIFF_BYTES].replace(b"\0", b"")
    controls = _controls(rest)
    if controls > 0.1 or (controls > _STRAY_CONTROLS and not _utf8_but_its_end(rest)):
        return "binary file"
    return None


def _utf8_but_its_end(sample: bytes) -> bool:
    """Whether ``sample`` (a file's first bytes) is UTF-8, but for a character cut at its end."""
    try:
        sample.decode("utf-8")
    except UnicodeDecodeError as error:
        return error.reason == "unexpected end of data" and error.start >= len(sample) - 3
    return True


def _nuls_removed(data: bytes, nuls: int) -> str | None:
    """The warning for a text's ``nuls`` NUL bytes, removed: how many, and how many of them
    ran at its end (as a crash leaves a file: its last blocks written as NULs)."""
    if not nuls:
        return None
    at_end = len(data) - len(data.rstrip(b"\0"))
    end = (f" ({at_end} at its end, as a crash leaves a file)"
           if at_end > 1 and at_end != nuls else " (at its end, as a crash leaves a file)"
           if at_end > 1 else "")
    return f"{nuls} NUL byte{'s' if nuls > 1 else ''} removed{end}"


def _utf16_without_mark(data: bytes) -> tuple[str, str] | None:
    """``data`` decoded as UTF-16 (little- or big-endian) when its zero bytes fall as the
    high bytes of ASCII text do, on every other byte, and it decodes to text; else None."""
    sample = data[:_SNIFF_BYTES]
    even, odd = sample[0::2], sample[1::2]
    if len(sample) < 4:
        return None
    for encoding, high, low in (("utf-16-le", odd, even), ("utf-16-be", even, odd)):
        if high.count(0) >= len(high) * 0.4 and low.count(0) <= len(low) * 0.02:
            try:
                text = data[: len(data) // 2 * 2].decode(encoding)
            except UnicodeDecodeError:
                return None
            shown = text[: _SNIFF_BYTES // 2]
            controls = sum(c < " " and c not in "\t\n\f\r" for c in shown)
            return (text, encoding) if controls <= len(shown) * 0.1 else None
    return None


def stored_name(rel: str) -> str:
    """A file's name as the index stores it (the file of its documents, their ids): ``rel``
    itself when it is Unicode; else (bytes that are not UTF-8, which Python keeps as lone
    surrogates, and which an index cannot store) its UTF-8 as it is and each other byte as
    ``\\xNN``: the name a shell's ``$'...'`` opens, the same on every run, another file's
    only if that one is named with those backslashes."""
    try:
        rel.encode("utf-8")
        return rel
    except UnicodeEncodeError:
        pass
    try:
        return os.fsencode(rel).decode("utf-8", "backslashreplace")
    except UnicodeEncodeError:  # a surrogate no file name decoding makes
        return rel.encode("utf-8", "backslashreplace").decode("utf-8")


def name_on_disk(stored: str) -> str:
    """The file name :func:`stored_name` gave ``stored``, as Python opens it: each ``\\xNN``
    the byte it stands for (try ``stored`` itself first: a name may hold a backslash)."""
    raw = re.sub(rb"\\x([0-9a-f]{2})", lambda m: bytes([int(m.group(1), 16)]),
                 stored.encode("utf-8", "surrogateescape"))
    return os.fsdecode(raw)


_CP1252_UNDEFINED = {0xDC00 + b: b for b in (0x81, 0x8D, 0x8F, 0x90, 0x9D)}

#: each byte UTF-8 cannot read (Python's surrogate escape of it) as cp1252 reads it
_STRAY_AS_CP1252 = {0xDC00 + b: bytes([b]).decode("cp1252", "surrogateescape")
                    for b in range(0x80, 0x100)} | _CP1252_UNDEFINED
_STRAY = re.compile("[\udc80-\udcff]")
_MULTI_BYTE = re.compile("[^\x00-\x7f\udc80-\udcff]")  # a character UTF-8 writes in 2-4 bytes


def _utf8_with_strays(data: bytes) -> tuple[str, str] | None:
    """``data``, which is not valid UTF-8, read as UTF-8 with each stray byte (one UTF-8
    cannot read) read as cp1252, and the warning saying how many, when it is UTF-8 but for
    them: it begins with UTF-8's byte-order mark, or holds at least as many characters UTF-8
    writes in several bytes as stray bytes. (Text in Windows-1252 hardly ever holds one such
    character by chance, its accented letters being single bytes UTF-8 cannot read; the
    two-byte sets of Chinese, Japanese, Korean give several times more stray bytes than
    characters: a web page's declared character set is read only when this fails.)"""
    text = data.decode("utf-8-sig", "surrogateescape")
    strays = len(_STRAY.findall(text))
    if not data.startswith(b"\xef\xbb\xbf") and len(_MULTI_BYTE.findall(text)) < strays:
        return None
    return text.translate(_STRAY_AS_CP1252), _STRAY_BYTES.format(strays, "s" * (strays > 1))


def decode(data: bytes) -> tuple[str | None, str | None]:
    """Decode file bytes. Returns ``(text, warning)``; for binary data ``(None, reason)``,
    the reason naming the kind of file ("binary file (a PNG image)")."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16"), None
        except UnicodeDecodeError:
            return None, "binary file (not UTF-16, though it begins as UTF-16 does)"
    utf16 = None if _signed_kind(data) else _utf16_without_mark(data)
    if utf16 is not None:
        return utf16[0], f"no byte-order mark: decoded as {utf16[1].upper()}"
    kind = _signed_kind(data)
    if kind is not None:
        return None, f"binary file ({kind})"
    if _unsigned_kind(data):
        return None, "binary file"
    nuls = data.count(0)
    repaired = _nuls_removed(data, nuls)
    data = data.replace(b"\x00", b"") if nuls else data
    try:
        return data.decode("utf-8-sig"), repaired
    except UnicodeDecodeError:
        pass
    mixed = _utf8_with_strays(data)  # one stray Windows apostrophe in UTF-8, say
    if mixed is not None:
        return mixed[0], "; ".join(filter(None, (mixed[1], repaired)))
    # the five bytes cp1252 leaves undefined (0x81, 0x8D, 0x8F, 0x90, 0x9D) become the code
    # points of the same number, as Windows decodes them; the rest of the file stays cp1252
    text = data.decode("cp1252", "surrogateescape").translate(_CP1252_UNDEFINED)
    return text, "; ".join(filter(None, (NOT_UTF8, repaired)))
