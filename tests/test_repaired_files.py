"""Bad bytes in an article never lose the article silently: a stray NUL byte is removed and
UTF-16 written without a byte-order mark is read as UTF-16, each with a warning in the index
report; real binaries (images, PDFs, zip archives) are still skipped, saying what they are."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from corpus_search import CorpusIndex
from corpus_search.ingest.encodings import BINARY_SIGNATURES, decode
from corpus_search.ingest.files import read_file

ARTICLE = "Minister quits over leak\n\nThe Home Secretary resigned on Tuesday.\n"


def read(tmp_path: Path, data: bytes, name: str = "leak.txt"):
    path = tmp_path / name
    path.write_bytes(data)
    return read_file(path, tmp_path)


def test_a_text_with_one_nul_byte_is_indexed_without_it_and_the_report_says_so(tmp_path):
    result = read(tmp_path, ARTICLE.replace("on Tuesday", "on\x00 Tuesday").encode())
    (doc,) = result.documents
    assert result.skipped_reason is None
    assert (doc.title, doc.body) == ("Minister quits over leak",
                                     "The Home Secretary resigned on Tuesday.")
    assert result.warnings == ["leak.txt: 1 NUL byte removed"]


@pytest.mark.parametrize("encoding", ["utf-16-le", "utf-16-be"])
def test_utf16_without_a_byte_order_mark_is_read_as_utf16(tmp_path, encoding):
    result = read(tmp_path, (ARTICLE + "Caf\u00e9 \u00a3300\n").encode(encoding))
    (doc,) = result.documents
    assert doc.title == "Minister quits over leak" and doc.body.endswith("Caf\u00e9 \u00a3300")
    assert result.warnings == [f"leak.txt: no byte-order mark: decoded as {encoding.upper()}"]


@pytest.mark.parametrize(("data", "reason"), [
    (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x01\x00", "binary file (a PNG image)"),
    (b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj\n", "binary file (a PDF)"),
    (b"PK\x03\x04\x14\x00\x00\x00\x08\x00", "binary file (a zip archive (or .docx, .xlsx, ...))"),
    (b"\xff\xd8\xff\xe0\x00\x10JFIF\x00", "binary file (a JPEG image)"),
    (bytes(range(256)) * 20, "binary file"),
    ("Wide text".encode("utf-16-le") + bytes(range(256)) * 4, "binary file"),
])
def test_a_real_binary_renamed_txt_is_skipped_saying_what_it_is(tmp_path, data, reason):
    result = read(tmp_path, data)
    assert (result.documents, result.skipped_reason) == ([], reason)


def test_the_index_report_lists_what_was_repaired(tmp_path):
    folder = tmp_path / "news"
    folder.mkdir()
    (folder / "nul.txt").write_bytes(ARTICLE.replace("\n\n", "\n\n\x00").encode())
    (folder / "wide.txt").write_bytes(ARTICLE.encode("utf-16-le"))
    (folder / "photo.txt").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")
    with CorpusIndex(tmp_path / "ix") as ix:
        report = ix.index_directory(folder)
        assert sorted(report.warnings) == ["nul.txt: 1 NUL byte removed",
                                           "wide.txt: no byte-order mark: decoded as UTF-16-LE"]
        assert report.indexed == 2 and ix.search("Home Secretary").total == 2
        assert report.skipped == [("photo.txt", "binary file (a PNG image)")]


@settings(max_examples=300, deadline=None)
@given(st.binary(max_size=600))
def test_any_bytes_are_read_or_refused_never_a_crash(data: bytes):
    text, note = decode(data)
    assert text is not None or (note or "").startswith("binary file")
    assert text is None or "\x00" not in text or note  # a NUL kept is a NUL reported


@settings(max_examples=200, deadline=None)
@given(st.sampled_from(BINARY_SIGNATURES), st.binary(max_size=400))
def test_a_file_that_begins_as_a_binary_format_does_is_never_indexed_as_text(signed, rest):
    signature, kind = signed
    if signature == b"MZ":
        rest = b"\x00" + rest
    assert decode(signature + rest) == (None, f"binary file ({kind})")


@settings(max_examples=200, deadline=None)
@given(st.text(st.characters(min_codepoint=32, max_codepoint=0x2FFF, exclude_categories=["Cs"]),
               min_size=20, max_size=300).filter(lambda t: sum(c < "\u0100" for c in t)
                                                   >= 0.6 * len(t)),
       st.sampled_from(["utf-16-le", "utf-16-be"]))
def test_mostly_latin_text_in_utf16_without_a_mark_is_read_whole_or_refused_never_garbled(
        text: str, encoding: str):
    decoded, note = decode(text.encode(encoding))
    assert decoded == text or (note and note.startswith("binary file"))


def test_a_file_whose_name_is_not_utf8_is_indexed_under_its_bytes_written_as_escapes(tmp_path):
    """Before, a Latin-1 name ("café" from an old Windows share) skipped the article; now
    its id shows each byte that is not UTF-8 as \\xNN (the name a shell's $'...' opens),
    two such names keep two ids, and the index finds the file again on the next run."""
    folder = tmp_path / "news"
    folder.mkdir()
    for raw, title in ((b"caf\xe9.txt", "Cafe row"), (b"caf\xe8.txt", "Other cafe row")):
        with open(os.fsencode(folder) + b"/" + raw, "wb") as fh:
            fh.write(f"{title}\n\nThe owner spoke to Labour.\n".encode())
    with CorpusIndex(tmp_path / "ix") as ix:
        report = ix.index_directory(folder)
        assert report.indexed == 2 and report.skipped == []
        assert "caf\\xe9.txt: file name is not valid UTF-8: indexed under this name, its bytes " \
               "that are not UTF-8 written \\xNN" in report.warnings
        assert (ix.get("caf\\xe9").title, ix.get("caf\\xe8").title) == ("Cafe row",
                                                                        "Other cafe row")
        assert ix.describe("caf\\xe9")["file"] == "news/caf\\xe9.txt"
        assert ix.file_note("caf\\xe9") is None  # the file is there, as indexed
        assert ix.index_directory(folder).unchanged == 2
        os.remove(os.fsencode(folder) + b"/caf\xe9.txt")
        assert "no longer there" in ix.file_note("caf\\xe9")
        again = ix.index_directory(folder)
        assert again.deleted == 1 and ix.get("caf\\xe9") is None


STRAYED = ("Sinn F\u00e9in demanded \u00a35bn\n\nThe party\u2019s leader said the "
           "Treasury had".encode() + b" \x93nothing\x94 to offer.\n")


def test_utf8_with_stray_windows_quotes_is_read_as_utf8_only_those_bytes_as_cp1252(tmp_path):
    """A UTF-8 article pasted into with two Windows quote bytes had been read whole as cp1252
    ("Sinn FÃ©in demanded Â£5bn"), losing the party; now only the two bytes are cp1252."""
    result = read(tmp_path, STRAYED)
    (doc,) = result.documents
    assert doc.title == "Sinn F\u00e9in demanded \u00a35bn"
    assert doc.body == "The party\u2019s leader said the Treasury had \u201cnothing\u201d to offer."
    assert result.warnings == ["leak.txt: UTF-8 with 2 stray bytes read as cp1252"]


def test_a_utf8_article_with_a_stray_byte_keeps_its_party_and_is_found(tmp_path):
    folder = tmp_path / "news"
    folder.mkdir()
    (folder / "sf.txt").write_bytes(STRAYED)
    with CorpusIndex(tmp_path / "ix") as ix:
        ix.index_directory(folder)
        assert "Sinn Fein" in ix.stored_fields("sf")["party"].split(",")
        assert [hit.id for hit in ix.search("Sinn Fein")] == ["sf"]


def test_a_windows_1252_file_is_still_read_whole_as_cp1252_and_says_so():
    """Its accented letters are single bytes UTF-8 cannot read: none of it is UTF-8, even
    where two of them side by side happen to be a UTF-8 character (\u00c9\u201d, U+0254)."""
    data = "CAF\u00c9\u201d and the caf\u00e9\u2019s \u00a33 tea".encode("cp1252")
    assert data.decode("utf-8", "replace").count("\u0254") == 1
    assert decode(data) == ("CAF\u00c9\u201d and the caf\u00e9\u2019s \u00a33 tea",
                            "not UTF-8: decoded as cp1252")


#: characters cp1252 writes as one byte that UTF-8 cannot read alone (0x80-0xFF)
CP1252_ONLY = [bytes([b]).decode("cp1252") for b in range(0x80, 0x100)
               if b not in (0x81, 0x8D, 0x8F, 0x90, 0x9D)]
TEXT = st.text(st.characters(min_codepoint=1, exclude_categories=["Cs"]), max_size=40)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.tuples(TEXT, st.sampled_from(CP1252_ONLY)), min_size=1, max_size=6),
       TEXT.filter(lambda t: len(t) > 0))
def test_utf8_with_cp1252_characters_spliced_in_reads_back_as_written(pieces, last):
    """Any text in UTF-8 with some characters spliced in as their cp1252 byte reads back as
    written, when it holds as many UTF-8 characters of several bytes as spliced bytes (or
    none: then it is read as cp1252, which reads the same). Each spliced byte follows text
    (two spliced bytes side by side may be a UTF-8 character: "\u00c3\u00a9" is "\u00e9")."""
    pieces = [(text or "a", stray) for text, stray in pieces]
    data = b"".join(text.encode() + stray.encode("cp1252") for text, stray in pieces)
    data += last.encode()
    written = "".join(text + stray for text, stray in pieces) + last
    several = sum(c > "\x7f" for c in written) - len(pieces)
    if several == 0 or several >= len(pieces):
        decoded, note = decode(data)
        assert decoded == written or (note or "").startswith(("binary file", "no byte-order"))
        if decoded == written:
            assert note.startswith(("UTF-8 with", "not UTF-8")) or "NUL" in note
