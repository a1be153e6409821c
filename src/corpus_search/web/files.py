"""What the web page sends as files (``/count.csv``, ``/trends.csv``, ``/export.csv``): CSV
a spreadsheet opens as it should, and the name each download is saved under."""

from __future__ import annotations

import csv
import io
import re
import unicodedata
import urllib.parse
from collections.abc import Iterable, Sequence
from typing import Any

from flask import Response

from corpus_search.search.counting import Counts, command_note
from corpus_search.search.results import ExportReport
from corpus_search.search.trends import Trends
from corpus_search.terminal import not_found_line

__all__ = ["COUNT_COLUMNS", "FILE_NAME_CHARS", "WHY_EMPTY_HEADER", "attachment", "cell",
           "csv_file", "why_empty"]

#: the columns of a count's CSV (those of ``corpus-search count --csv``)
COUNT_COLUMNS = ("value", "matching", "documents", "share")
#: the longest name (before its suffix) a download is given from its query, in whole words
FILE_NAME_CHARS = 80
#: the response header, one a reason, that says why a download holds nothing (what the
#: command writes to standard error beside its file: ``count --csv``, ``export``)
WHY_EMPTY_HEADER = "X-Corpus-Search-Why-Empty"


def csv_file(rows: Iterable[Sequence[Any]], disposition: str,
             headers: Sequence[tuple[str, str]] = ()) -> Response:
    """``rows`` as a CSV file (``disposition``: its :func:`attachment`; more ``headers``:
    :func:`why_empty`), after the byte order mark the export has too: Excel read one without
    it as its code page ("Sinn Féin" showed as "Sinn FÃ©in")."""
    lines = io.StringIO()
    csv.writer(lines, lineterminator="\r\n").writerows(rows)
    return Response("\ufeff" + lines.getvalue(), mimetype="text/csv",
                    headers=[("Content-Disposition", disposition), *headers])


def why_empty(result: Counts | Trends | ExportReport) -> list[tuple[str, str]]:
    """The headers of a download of ``result`` that say why it holds nothing, a
    :data:`WHY_EMPTY_HEADER` a reason, as the command says it on standard error beside its
    file: of a count that counts nothing, the words no document holds, then why none
    matched; of a comparison, those of each query that matches nothing, after the query
    (``zzqqx: Not found in any document: zzqqx``); of an export that writes nothing (its
    ``matching``, known before its rows are sent), the words no document holds, then why
    none matched, as of a count. Kept out of the file: a row of them would be
    data to a spreadsheet or a program. A header holds ASCII: other characters (the
    query's ``Sinn Féin``, curly quotes) are in UTF-8, percent-encoded as in an address,
    and so is ``%``."""
    return [(WHY_EMPTY_HEADER, "".join(
        ch if " " <= ch <= "~" and ch != "%" else urllib.parse.quote(ch, safe="")
        for ch in " ".join(command_note(reason).split()))) for reason in _reasons(result)]


def _reasons(result: Counts | Trends | ExportReport) -> list[str]:
    if isinstance(result, Trends):
        return [f"{searched}: {reason}"
                for one, searched in zip(result.counts, result.searched, strict=True)
                for reason in _reasons(one)]
    if result.total if isinstance(result, Counts) else result.matching:
        return []
    missing = ([not_found_line(result.not_found, result.partly_found)]
               if result.not_found else [])
    return [*missing, *result.why_empty]


def attachment(kind: str, asked: Sequence[str], suffix: str, by: str | None = None,
               filters: Sequence[tuple[str, str]] = ()) -> str:
    """The ``Content-Disposition`` of a download of ``kind`` (``export``, ``count``) of what
    was ``asked`` (the query, or the queries) within ``filters`` (each a name and its value,
    as the address gives them: ``("party", "Labour")``), counted ``by``: those words
    (letters and digits; no punctuation, so neither ``export--zzqqx`` for ``-zzqqx``, which
    is ``export-not-zzqqx``, nor ``export-.csv``) joined by ``-``, the words asked cut,
    whole, to a name of :data:`FILE_NAME_CHARS` characters with ``by``; then each filter's
    name before its value's words, cut to as many characters more, before ``by``
    (``count-Lib-Dems-party-Labour-by-year.csv``: downloads of one query under other
    filters are other files, and the name says which is which); then ``.suffix``.
    ``filename`` is the name in ASCII (accents dropped: ``Sinn-Fein``), which every browser
    reads; ``filename*`` the name as typed (``Sinn-Féin``, ``日本``), in UTF-8 (RFC 6266),
    when it differs: an HTTP header holds Latin-1 at most, and a name in another script
    failed there."""
    def named(ascii_only: bool) -> str:
        head, tail = [kind], ["by", by] if by else []
        within: list[str] = []
        for name, value in filters:  # (a value of no letter or digit names nothing)
            if words := _words([value], ascii_only, negated=False):
                within += [name, *words]
        room = FILE_NAME_CHARS - len("-".join([*head, *tail]))
        return "-".join([*head, *_cut(_words(asked, ascii_only), room),
                         *_cut(within, FILE_NAME_CHARS), *tail])

    plain, typed = named(True), named(False)
    header = f'attachment; filename="{plain}.{suffix}"'
    if typed != plain:
        header += f"; filename*=UTF-8''{urllib.parse.quote(f'{typed}.{suffix}')}"
    return header


def _cut(words: Sequence[str], room: int) -> list[str]:
    """As many of ``words`` as fit, whole and in order, in ``room`` characters of a name,
    each after a ``-``."""
    kept: list[str] = []
    for word in words:
        room -= len(word) + 1
        if room < 0:
            break
        kept.append(word)
    return kept


def _words(asked: Sequence[str], ascii_only: bool, negated: bool = True) -> list[str]:
    """The words of the queries ``asked`` for a file's name (in ASCII, accents dropped and
    other scripts left out, when ``ascii_only``); a word a query excludes (``-zzqqx``) is
    ``not zzqqx``: the file holds what lacks it (not so in a filter's value, ``not``
    ``negated``: a date, ``2005-01-31``)."""
    words = [word for text in asked
             for word in re.findall(r"[^\W_]+", re.sub(r"(?<!\S)-(?=\w)", "not ", text)
                                    if negated else text)]
    if ascii_only:
        words = [unicodedata.normalize("NFKD", word).encode("ascii", "ignore").decode("ascii")
                 for word in words]
    return [word for word in words if word]


def cell(value: Any) -> Any:
    """``value`` for a CSV cell: text a spreadsheet would run as a formula (``=...``, a
    source named ``=HYPERLINK(...)`` in a file's front matter) starts with ``'``."""
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + value
    return value
