"""Commas between two words: a list, read as spaces, with a note.

People list words with commas and no space ("Iraq,Kennedy"). Whoosh's parser splits a query
at white space only, so such a run was one word whose analyzer tokens had to stand side by
side: ``Iraq,Kennedy`` found nothing where ``Iraq Kennedy`` finds 128 BBC documents. A comma
or semicolon between two letters, outside a quoted phrase and a ``field:`` term, is read as
a space before the query is read, and a note says so. A comma between digits ("3,000") and
one in a quoted phrase ("Gordon Brown, who") stay as they are.
"""

from __future__ import annotations

import re

from corpus_search.search.operators import QUERY_TOKEN

__all__ = ["commas_as_spaces"]

#: a comma or semicolon with a letter on each side
_LISTING = re.compile(r"(?<=[^\W\d_])[,;](?=[^\W\d_])")


def commas_as_spaces(text: str) -> tuple[str, str | None]:
    """``text`` with the commas and semicolons that join two words read as spaces, and the
    note that says which words (``None``, and ``text`` as it is, when none does)."""
    listed: list[str] = []

    def spaced(match: re.Match[str]) -> str:
        token = match.group()
        if token.startswith('"') or ":" in token or not _LISTING.search(token):
            return token
        listed.append(token)
        return _LISTING.sub(" ", token)

    kept = QUERY_TOKEN.sub(spaced, text)
    if not listed:
        return text, None
    runs = " and ".join(dict.fromkeys(listed))
    apart = " ".join(_LISTING.sub(" ", run) for run in dict.fromkeys(listed))
    mark = "semicolon" if all(";" in run and "," not in run for run in listed) else "comma"
    return kept, (f"{runs} is read as {apart}: a {mark} between two words is a space here "
                  f"(to search words side by side, quote them).")
