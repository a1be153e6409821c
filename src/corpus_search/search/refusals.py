"""Why a query cannot run, in the user's terms: the reasons :func:`build_query
<corpus_search.search.parsing.build_query>` gives when it refuses a query that parsed to nothing
or that excludes every document."""

from __future__ import annotations

import re
from collections.abc import Sequence

from whoosh import query

from corpus_search.search.operators import OPERATORS

__all__ = ["excludes_everything", "why_empty"]

#: a field given an empty quoted value (``title:""``)
_EMPTY_VALUE = re.compile(r'(?<![\w:])\w+:""')


def why_empty(words: Sequence[str], text: str = "") -> str:
    """Why a query of these plain ``words`` (its ``text`` without syntax characters) has
    nothing to search for."""
    empty = _EMPTY_VALUE.search(text)
    if empty:
        return (f"{empty.group()} has an empty value: put the words to search for between the "
                "quotes.")
    words = [w for w in words if any(ch.isalnum() for ch in w)]
    if not words:
        return "it has no words, only symbols or punctuation. Type a word to search for."
    if all(w in OPERATORS for w in words):
        return ("it has only operators (AND, OR, NOT), which join words. "
                "Type the words to search for.")
    return ("its words are all too common to be indexed (like 'the' or 'of'). "
            "Add a more specific word.")


def excludes_everything(q: query.Query) -> bool:
    """Whether ``q`` leaves out every document (``x NOT *``). Whoosh's own counting gets
    that wrong (it still counts x's documents), so such a query is refused before it runs."""
    excluded = (q.b if isinstance(q, query.AndNot)
                else q.query if isinstance(q, query.Not) else None)
    if excluded is not None:
        alternatives = excluded.subqueries if isinstance(excluded, query.Or) else [excluded]
        if any(isinstance(e, query.Every) and not e.fieldname for e in alternatives):
            return True
    return not q.is_leaf() and any(excludes_everything(child) for child in q.children())
