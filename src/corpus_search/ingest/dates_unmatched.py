"""The rows of a dates file that date no document of its folder, said at every index run
(a dates file written for another layout, or naming a file renamed since, would otherwise
leave documents undated without a word)."""

from __future__ import annotations

from collections.abc import Collection, Mapping

from corpus_search.ingest.dates import DateRules
from corpus_search.ingest.model import Document
from corpus_search.ingest.signatures import content_digest

__all__ = ["rows_dating_nothing"]


def rows_dating_nothing(
    rules: DateRules, changed: list[tuple[str, str, list[Document]]],
    known: dict[str, tuple[str, list[str]]], gone: Collection[str], id_prefix: str,
    given: Mapping[str, str] | None,
) -> list[str]:
    """The warnings on the dates file's rows that date no document of the folder (its files
    read now, ``changed``, and those the index holds of it, ``known``, but for the ``gone``;
    ``given``: natural id -> the id given instead), said at every run, and on those that
    name a gone file whose text a new file holds (renamed: its date was lost)."""
    if not rules.options.sidecar:
        return []
    natural = {i: n for n, i in (given or {}).items()}
    gone_files = set(gone)
    documents = {rel: [natural.get(i, i) for i in ids] for rel, (_sig, ids) in known.items()
                 if rel not in gone_files and ids}
    documents.update((rel, [doc.id for doc in docs]) for rel, _sig, docs in changed)
    old = {content_digest(known[rel][0]): rel for rel in gone_files if rel in known}
    old.pop(None, None)
    renamed = {rel: (old[digest], [natural.get(i, i) for i in known[old[digest]][1]],
                     [d.id for d in docs])
               for rel, sig, docs in changed if rel not in known
               and (digest := content_digest(sig)) in old}
    return rules.unmatched(documents, id_prefix, renamed)
