"""Small PDF and Word files made for the tests, with pypdf and python-docx (the ``documents``
extra): pages of text lines in Helvetica, a title property, a creation date, a password."""

from __future__ import annotations

import datetime as dt
import importlib.util
import io
from collections.abc import Sequence

import pytest

#: the tests that read PDF or Word files need the extra; without it they are skipped
needs_documents_extra = pytest.mark.skipif(
    importlib.util.find_spec("pypdf") is None or importlib.util.find_spec("docx") is None,
    reason='needs the documents extra (pip install "corpus-search[documents]")',
)


def _escaped(line: str) -> str:
    return line.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")


def pdf_bytes(
    pages: Sequence[Sequence[str]],
    *,
    title: str | None = None,
    created: str | None = None,
    password: str | None = None,
) -> bytes:
    """A PDF whose pages hold ``pages``' lines as text (an empty page: a grey square, no
    text, as a scanned page has none); ``created`` is a PDF date (``D:20190221``);
    ``password`` locks it (AES-128; ``""`` locks it against copying alone)."""
    from pypdf import PdfWriter
    from pypdf.generic import DecodedStreamObject, DictionaryObject, NameObject

    writer = PdfWriter()
    font = writer._add_object(DictionaryObject({
        NameObject("/Type"): NameObject("/Font"),
        NameObject("/Subtype"): NameObject("/Type1"),
        NameObject("/BaseFont"): NameObject("/Helvetica"),
        NameObject("/Encoding"): NameObject("/WinAnsiEncoding"),
    }))
    for lines in pages:
        page = writer.add_blank_page(595, 842)
        if lines:
            ops = ["BT", "/F1 11 Tf", "14 TL", "56 780 Td"]
            ops += [f"({_escaped(line)}) Tj T*" for line in lines]
            ops.append("ET")
        else:
            ops = ["0.5 g", "56 56 483 730 re f"]
        stream = DecodedStreamObject()
        stream.set_data("\n".join(ops).encode("cp1252"))
        page[NameObject("/Contents")] = writer._add_object(stream)
        page[NameObject("/Resources")] = DictionaryObject({
            NameObject("/Font"): DictionaryObject({NameObject("/F1"): font}),
        })
    metadata = {}
    if title is not None:
        metadata["/Title"] = title
    if created is not None:
        metadata["/CreationDate"] = created
    if metadata:
        writer.add_metadata(metadata)
    if password is not None:
        writer.encrypt(password, algorithm="AES-128")
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def docx_bytes(
    paragraphs: Sequence[str | tuple[str, str]],
    *,
    title: str | None = None,
    created: dt.datetime | None = None,
    table: Sequence[Sequence[str]] | None = None,
    merged_row: str | None = None,
) -> bytes:
    """A Word file of ``paragraphs`` (``(style, text)`` for a styled one, e.g.
    ``("Heading 1", "Review")``), then a ``table`` (rows of cells) whose last row is one
    cell merged across it holding ``merged_row``, if given, then nothing else."""
    import docx

    document = docx.Document()
    for paragraph in paragraphs:
        style, text = paragraph if isinstance(paragraph, tuple) else (None, paragraph)
        document.add_paragraph(text, style=style)
    if table:
        grid = document.add_table(rows=len(table) + bool(merged_row), cols=len(table[0]))
        for r, row in enumerate(table):
            for c, text in enumerate(row):
                grid.cell(r, c).text = text
        if merged_row:
            last = len(table)
            grid.cell(last, 0).merge(grid.cell(last, len(table[0]) - 1)).text = merged_row
    if title is not None:
        document.core_properties.title = title
    if created is not None:
        document.core_properties.created = created
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()
