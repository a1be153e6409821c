"""PDF and Word (``.docx``) files: reports, press releases, committee papers, saved articles.

Read with the ``documents`` extra (pypdf, python-docx), imported when the first such file is
read. The text becomes a document as a text file's does (:func:`text_document`: known blurbs
out, publisher and address found, the first line the title), with what the file adds:

- its title property, when it is a title and not a file name or a word processor's
  placeholder (``Microsoft Word - draft3.docx``, ``Untitled``); a Word file's first
  *Title* or *Heading* paragraph near the top otherwise;
- a PDF's lines as it lays them out, a word broken at a line's end by a hyphen joined again
  (``Parlia-`` ``ment``: *Parliament*; ``well-`` ``known``: *well-known*), and the running
  headers and footers that top or end most pages (``Page 3 of 40``) left out, and the security
  markings atop or at the foot of any page (``OFFICIAL``);
- the date it says it was made (``/CreationDate``; a Word file's *created*), which dates it
  only when no other rule does (``properties``, see :class:`~corpus_search.ingest.dates.DateRules`).

A file that cannot give text is skipped with one line saying why (:class:`Unreadable`): a PDF
without a text layer, one locked with a password, a damaged file.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import io
import logging
import math
import re
import zipfile
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, replace

from corpus_search.ingest.boilerplate import settled
from corpus_search.ingest.formats import text_document
from corpus_search.ingest.model import Document, FileResult

__all__ = ["Unreadable", "join_broken_words", "meaningful_title", "read_document",
           "running_lines"]


class Unreadable(Exception):
    """A file that gives no text; the message is the reason it is skipped."""


#: what the reader of a file found: its text, a title other than its first line, a date
@dataclass(frozen=True)
class _Found:
    text: str
    title: str | None = None
    date: dt.date | None = None


def read_document(
    data: bytes, ext: str, rel: str, id_prefix: str, result: FileResult,
    source: str | None = None,
) -> None:
    """Read the bytes of a ``.pdf`` or ``.docx`` file into ``result``: its document, or the
    reason it is skipped (``skipped_reason``); never raises because of the file."""
    try:
        found = _read_pdf(data, rel, result) if ext == ".pdf" else _read_docx(data)
    except Unreadable as exc:
        result.skipped_reason = str(exc)
        return
    except Exception as exc:  # a damaged file, however the library says so: one line
        kind = "PDF" if ext == ".pdf" else "Word file"
        result.skipped_reason = f"damaged {kind}: {_one_line(exc)}"
        return
    try:
        doc = text_document(found.text, rel, id_prefix, markdown=False, result=result,
                            source=source)
        if doc is not None:
            result.documents.append(_with_properties(doc, found))
    except Exception as exc:  # pragma: no cover - last line of defence, as for text files
        result.skipped_reason = f"could not be parsed: {type(exc).__name__}: {_one_line(exc)}"
        return
    if doc is None:
        result.skipped_reason = ("no text: a scanned PDF? (OCR it first)" if ext == ".pdf"
                                 else "no text (empty, or only pictures)")


def _with_properties(doc: Document, found: _Found) -> Document:
    """``doc`` titled and dated by what its file says of itself, where it says it."""
    if found.title:  # (its own title: its first line's, menu or not, is read as before)
        doc = settled(doc, frozenset())
    if found.title and _key(found.title) != _key(doc.title):
        lines = [doc.title, *doc.body.splitlines()]
        # the line that gave the title is not repeated as the body's first
        heading = next((i for i, line in enumerate(lines[:_TITLE_LINES])
                        if _key(line) == _key(found.title)), None)
        if heading is not None:
            del lines[heading]
        doc = replace(doc, title=found.title, body="\n".join(lines).strip())
    if found.date is not None and doc.date is None:
        doc = replace(doc, date=found.date, date_source="properties")
    return doc


#: a Word file's title heading, or the line its title property repeats, is looked for in
#: this many of its first lines
_TITLE_LINES = 10


def _key(line: str) -> str:
    return " ".join(line.lower().split())


def _one_line(exc: BaseException) -> str:
    text = " ".join(str(exc).split()) or type(exc).__name__
    text = re.sub(r"'?<_io\.BytesIO object at 0x[0-9a-fA-F]+>'?", "the file", text)
    return text if len(text) <= 120 else text[:119] + "…"


# -- titles -------------------------------------------------------------------------------


#: what word processors and PDF makers put as a title when the author gave none
_PLACEHOLDER = re.compile(
    r"(?:untitled|no title|title|document|doc|presentation|powerpoint presentation|"
    r"slide|microsoft word|word document|pdf|blank|draft)[\s_-]*\d*",
    re.IGNORECASE,
)
#: a file name (``report_v3.docx``, ``Microsoft Word - report.doc``, ``C:\\...``)
_FILE_NAME = re.compile(
    r"\.(?:docx?|dotx?|pdf|rtf|odt|txt|html?|indd|qxd|pages|pptx?|xlsx?|ps)\s*$|^[A-Z]:\\|"
    r"^microsoft (?:word|powerpoint|excel) - ",
    re.IGNORECASE,
)


def meaningful_title(value: object) -> str | None:
    """A file's title property as a title, or ``None`` when it is none: empty, no letters, a
    placeholder (``Untitled``, ``Document1``), a file name (``report_final_v3``,
    ``Microsoft Word - brief.docx``), or too long for one."""
    if not isinstance(value, str):
        return None
    title = " ".join(value.replace("\x00", "").split())
    if not title or len(title) > 300 or not any(c.isalpha() for c in title):
        return None
    if _PLACEHOLDER.fullmatch(title) or _FILE_NAME.search(title):
        return None
    if " " not in title and "_" in title:  # report_final_v3: a file's name, not its title
        return None
    return title


#: the earliest date a file's properties are believed (PDF is of 1993; tools that know no
#: date write 1601, 1899, 1970)
_EARLIEST = dt.date(1980, 1, 1)


def _plausible(date: dt.date | None) -> dt.date | None:
    return date if date is not None and _EARLIEST <= date <= dt.date.today() else None


# -- PDF ----------------------------------------------------------------------------------


_PDF_DATE = re.compile(r"^\s*(?:D:)?(\d{4})(\d{2})?(\d{2})?")


def pdf_date(value: object) -> dt.date | None:
    """The day of a PDF date string (``D:20190221103000+00'00'``), if it is one."""
    m = _PDF_DATE.match(str(value)) if value is not None else None
    if not m:
        return None
    try:
        return _plausible(dt.date(int(m[1]), int(m[2] or 1), int(m[3] or 1)))
    except ValueError:
        return None


#: ligatures some PDFs write as one character (``ﬁ``), written out as text has them
_LIGATURES = str.maketrans({"\ufb00": "ff", "\ufb01": "fi", "\ufb02": "fl", "\ufb03": "ffi",
                            "\ufb04": "ffl", "\ufb05": "st", "\ufb06": "st"})
#: control characters a text layer may hold (not tab or line breaks)
_CONTROLS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def _read_pdf(data: bytes, rel: str, result: FileResult) -> _Found:
    from pypdf import PdfReader
    from pypdf.errors import DependencyError

    _quiet("pypdf")
    reader = PdfReader(io.BytesIO(data))
    if reader.is_encrypted:
        try:  # many official PDFs are locked against copying, with no password to open them
            opened = reader.decrypt("")
        except DependencyError:  # AES without the cryptography package
            raise Unreadable("encrypted PDF: reading it needs the cryptography package "
                             "(pip install cryptography)") from None
        if not opened:
            raise Unreadable("encrypted PDF: it needs a password (save a copy without one)")
    pages: list[list[str]] = []
    blank = damaged = 0
    for page in reader.pages:
        try:
            text = page.extract_text() or ""
        except Exception:  # one bad page: the others are read
            damaged += 1
            continue
        lines = [line.strip() for line in _clean(text).splitlines()]
        if not any(c.isalnum() for line in lines for c in line):
            blank += 1
        pages.append([line for line in lines if line])
    total = len(pages) + damaged
    if not total:
        raise Unreadable("damaged PDF: it has no pages")
    if not pages:
        raise Unreadable("damaged PDF: no page could be read")
    if blank == len(pages):
        raise Unreadable("no text: a scanned PDF? (OCR it first)")
    if damaged:
        result.warnings.append(f"{rel}: {damaged} of {total} pages could not be read "
                               "(damaged), left out")
    if blank * 2 > total:
        result.warnings.append(f"{rel}: {blank} of {total} pages have no text (scanned? OCR "
                               "them first); the text of the rest is indexed")
    kept = running_lines(pages)
    lines = [line for page in kept for line in page]
    # a running header atop the first page may be the document's title (``Shared MIME-info
    # Database`` atop every page), or furniture (``OFFICIAL``, ``Page 1``)
    top = pages[0][:_BAND] if pages else []
    header = next((line for line in top if line not in kept[0] and _title_like(line)), None)
    info = _pdf_info(reader)
    return _Found(
        text="\n".join(join_broken_words(lines)),
        title=meaningful_title(info.get("/Title")) or header,
        date=pdf_date(info.get("/CreationDate")) or pdf_date(info.get("/ModDate")),
    )


def _title_like(line: str) -> bool:
    """Whether a running header reads as a title: words in upper and lower case, without
    numbers (not ``OFFICIAL SENSITIVE``, ``Page 1 of 9``, ``Chapter 2``)."""
    return (len(line.split()) >= 2 and any(c.islower() for c in line)
            and not any(c.isdigit() for c in line))


def _pdf_info(reader: object) -> dict[str, str]:
    """The PDF's document information (title, dates) as text; nothing when it is damaged."""
    with contextlib.suppress(Exception):
        info = reader.metadata  # type: ignore[attr-defined]
        if info is not None:
            return {key: str(info[key]) for key in ("/Title", "/CreationDate", "/ModDate")
                    if key in info}
    return {}


def _clean(text: str) -> str:
    """A page's text with ligatures written out, soft hyphens and control characters gone."""
    text = text.translate(_LIGATURES)
    # a soft hyphen ends a line where the word was broken; elsewhere it is invisible
    text = re.sub(r"\u00ad[ \t]*\n[ \t]*", "", text).replace("\u00ad", "")
    return _CONTROLS.sub("", text)


def _quiet(logger: str) -> None:
    """pypdf logs what it repairs in a damaged file (``Ignoring wrong pointing object``) as
    warnings, which Python prints on stderr when the application configures no logging: the
    report says what matters. An application that set the logger's level keeps it."""
    log = logging.getLogger(logger)
    if log.level == logging.NOTSET:
        log.setLevel(logging.ERROR)


#: a line's furniture is looked for among this many lines at the top and the foot of a page
_BAND = 3


#: a government security marking written atop or at the foot of a page (the Government
#: Security Classifications' OFFICIAL, OFFICIAL-SENSITIVE, SECRET, TOP SECRET, and the older
#: PROTECT, RESTRICTED, CONFIDENTIAL, NOT PROTECTIVELY MARKED), in capitals, alone or with its
#: handling caveat (``OFFICIAL-SENSITIVE: COMMERCIAL``)
_MARKING = re.compile(
    r"(?:OFFICIAL(?:[- ]SENSITIVE)?|TOP SECRET|SECRET|PROTECT|RESTRICTED|CONFIDENTIAL"
    r"|UNCLASSIFIED|NOT PROTECTIVELY MARKED)(?:\s*[-:–]\s*[A-Z][A-Z ]*)?"
)


def running_lines(pages: list[list[str]]) -> list[list[str]]:
    """``pages`` (each a list of lines) without their running headers and footers: lines
    among the first or last three of a page that recur (a short one with other numbers:
    ``Page 3 of 40``) at the top or foot of at least half the pages, and of three, and the
    security markings there however few the pages (a two-page paper's ``OFFICIAL`` was its
    title). Other lines in the middle of a page are never taken, nor other lines of a
    document of fewer than three pages, nor every line of a document."""
    running: set[str] = set()
    if len(pages) >= 3:
        seen: Counter[str] = Counter()
        for page in pages:
            seen.update({_furniture_key(line) for line in _band(page)})
        least = max(3, math.ceil(len(pages) / 2))
        running = {key for key, n in seen.items() if n >= least}
    kept = []
    for page in pages:
        edge = set(range(min(_BAND, len(page)))) | set(range(max(0, len(page) - _BAND),
                                                             len(page)))
        kept.append([line for i, line in enumerate(page)
                     if i not in edge or not (_furniture_key(line) in running
                                              or _MARKING.fullmatch(line))])
    # pages alike from top to foot (a form printed again and again) are text, not furniture
    return kept if any(kept) else pages


def _band(page: list[str]) -> Iterator[str]:
    yield from page[:_BAND]
    yield from page[_BAND:][-_BAND:]


def _furniture_key(line: str) -> str:
    """A line as its recurrences are compared: numbers aside in a short line (``Page 3 of
    40``, ``Annual report 2019 | 7``), a longer one as it stands."""
    key = _key(line)
    return re.sub(r"\d+", "#", key) if len(key.split()) <= _SHORT_WORDS else key


#: a line of at most this many words may be furniture that numbers its page
_SHORT_WORDS = 5


#: a line ending in a word broken by a hyphen: the letters before it
_BROKEN_END = re.compile(r"(?<![\w-])([^\W\d_][^\W_]*)[-\u2010]$")
#: the next line's first word, what is glued to it (``ment,``) and the rest
_NEXT_WORD = re.compile(r"^([^\W_][\w'’]*)(\S*)(.*)$")
_WORD = re.compile(r"[^\W_]+(?:[-\u2010][^\W_]+)*")


def join_broken_words(lines: list[str]) -> list[str]:
    """``lines`` with a word a hyphen broke at a line's end whole again on the first line.

    The hyphen is dropped (``Parlia-`` ``ment``: *Parliament*) when the joined word is found
    elsewhere in the text, or when its two parts are not both found there as words; it is
    kept (``well-`` ``known``: *well-known*) when the hyphenated word is found elsewhere, or
    both parts are and the joined word is not, or the first is a word that begins compounds
    (``well``, ``self``, ``non``, ``cross``, ``half``, ``one``), and always before a part that
    does not start in lower case (``Anglo-`` ``Irish``, ``Covid-`` ``19``): a word processor
    that does not break words leaves only true hyphens at lines' ends, and a typesetter's
    breaks leave parts that are no words."""
    lines = list(lines)
    breaks = []
    for i in range(len(lines) - 1):
        end, nxt = _BROKEN_END.search(lines[i]), _NEXT_WORD.match(lines[i + 1])
        if end and nxt:
            breaks.append((i, end[1], nxt[1]))
    if not breaks:
        return lines
    words: Counter[str] = Counter()
    for line in lines:
        for word in _WORD.findall(line):
            words[word.lower()] += 1
            if "-" in word or "\u2010" in word:
                words.update(part.lower() for part in re.split("[-\u2010]", word))
    emptied: set[int] = set()  # lines whose only word went up to the line before
    for _, before, after in breaks:  # the broken parts themselves are no evidence
        words[before.lower()] -= 1
        words[after.lower()] -= 1
    for i, before, after in breaks:
        end, m = _BROKEN_END.search(lines[i]), _NEXT_WORD.match(lines[i + 1])
        if i in emptied or not end or end[1] != before or m is None:
            continue  # an earlier join took this line's word, or the next line's
        hyphen = "-" if not after[:1].islower() or _hyphenated(before, after, words) else ""
        lines[i] = lines[i][:-1] + hyphen + m[1] + m[2]
        lines[i + 1] = m[3].lstrip()
        if not lines[i + 1]:
            emptied.add(i + 1)
    return [line for i, line in enumerate(lines) if i not in emptied]


#: words that begin compounds far more often than a typesetter breaks a word after them
_COMPOUND_STARTS = frozenset({
    "well", "self", "non", "cross", "half", "first", "second", "third", "one", "two", "three",
})


def _hyphenated(before: str, after: str, words: Counter[str]) -> bool:
    before, after = before.lower(), after.lower()
    if words[f"{before}-{after}"] > 0:
        return True
    if words[before + after] > 0:
        return False
    return (words[before] > 0 and words[after] > 0) or before in _COMPOUND_STARTS


# -- Word ---------------------------------------------------------------------------------


#: the start of an OLE2 file: a Word 97-2003 document, or an encrypted .docx
_OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


#: the creation date of python-docx's own template, which every file it makes without
#: another date carries (a scraper's saved articles)
_PYTHON_DOCX_TEMPLATE = dt.datetime(2013, 12, 23, 23, 15, tzinfo=dt.timezone.utc)


#: the most a Word file's parts may hold unpacked (a zip bomb would fill the memory)
_MAX_UNPACKED = 256 * 2**20


def _read_docx(data: bytes) -> _Found:
    if data.startswith(_OLE):
        raise Unreadable("password-protected, or an old Word (.doc) file named .docx: save "
                         "it as .docx without a password")
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            unpacked = sum(member.file_size for member in archive.infolist())
    except (zipfile.BadZipFile, OSError, ValueError):
        raise Unreadable("damaged Word file: not a .docx (zip) file") from None
    if unpacked > _MAX_UNPACKED:  # python-docx holds every part in memory
        raise Unreadable(f"unpacks to more than {_MAX_UNPACKED // 2**20} MiB: too large to read")
    import docx

    try:
        document = docx.Document(io.BytesIO(data))
    except ValueError as exc:  # another Office file: a template, a macro-enabled document
        kind = re.search(r"content type is '([^']*)'", str(exc))
        raise Unreadable("not a Word document that can be read"
                         + (f" (its content type: {kind[1]})" if kind else "")) from None
    lines: list[str] = []
    heading = None
    for block in document.iter_inner_content():
        if hasattr(block, "rows"):  # a table: each cell a line, a merged cell once
            for row in block.rows:
                last = None
                for cell in row.cells:
                    if cell._tc is not last:
                        lines.extend(cell.text.splitlines())
                    last = cell._tc
            continue
        text = block.text
        if heading is None and text.strip() and _is_heading(block) \
                and sum(bool(line.strip()) for line in lines) < _TITLE_LINES:
            heading = " ".join(text.split())
        lines.extend(text.splitlines() or [""])
    props = document.core_properties
    made = None
    with contextlib.suppress(Exception):  # a damaged core.xml: no date, the text stands
        made = props.created or props.modified
    if made == _PYTHON_DOCX_TEMPLATE:  # a file python-docx made, dated by its template
        made = None
    title = None
    with contextlib.suppress(Exception):
        title = meaningful_title(props.title)
    return _Found(
        text=_CONTROLS.sub("", "\n".join(line.rstrip() for line in lines)),
        title=title or heading,
        date=_plausible(made.date()) if isinstance(made, dt.datetime) else None,
    )


def _is_heading(paragraph: object) -> bool:
    """Whether a paragraph is styled as a title or heading (*Title*, *Heading 1*)."""
    with contextlib.suppress(Exception):
        style = paragraph.style  # type: ignore[attr-defined]
        name = f"{style.style_id} {style.name}".lower()
        return "title" in name.split() or "heading" in name
    return False
