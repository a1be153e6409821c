"""How right the party facet is: its tags measured against documents labelled by reading.

The index tags each document with the parties its title and body name
(:func:`corpus_search.analysis.document_parties`). A labels file lists documents with the
parties a reader found in them; :func:`party_tag_quality` tags the same documents with the
current lexicon and counts, over (document, party) pairs, what the tags got right (precision)
and what they missed (recall). ``tests/data/party_tags.tsv`` is such a file for the BBC
corpus; its header says how it was drawn and labelled.

Labels file format (UTF-8, TAB-separated, ``#`` lines are comments): a header line starting
with ``id``, then one line per document: id, the tags when it was drawn (kept for the
record, not used), the correct tags, a note. Tags are party display names separated by ``|``.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from corpus_search.analysis.analyzer import document_parties
from corpus_search.analysis.lexicon import Lexicon
from corpus_search.ingest.files import read_directory
from corpus_search.terminal import counted

__all__ = [
    "Disagreement",
    "PartyLabel",
    "TagQuality",
    "party_tag_quality",
    "read_party_labels",
]


@dataclass(frozen=True)
class PartyLabel:
    """One labelled document: the parties a reader found in it, and why, where it mattered."""

    doc_id: str
    correct: frozenset[str]
    note: str = ""


@dataclass(frozen=True)
class Disagreement:
    """A labelled document whose tags differ from its labels."""

    doc_id: str
    tagged: tuple[str, ...]
    correct: tuple[str, ...]
    note: str

    @property
    def wrong(self) -> tuple[str, ...]:
        """Tags the document should not have."""
        return tuple(sorted(set(self.tagged) - set(self.correct)))

    @property
    def missed(self) -> tuple[str, ...]:
        """Parties the document names that it is not tagged with."""
        return tuple(sorted(set(self.correct) - set(self.tagged)))


@dataclass(frozen=True)
class TagQuality:
    """Counts over (document, party) pairs, and the documents that disagree."""

    documents: int
    true_positives: int
    false_positives: int
    false_negatives: int
    disagreements: tuple[Disagreement, ...]

    @property
    def precision(self) -> float:
        """Share of the tags given that are right (1.0 when none is given)."""
        given = self.true_positives + self.false_positives
        return self.true_positives / given if given else 1.0

    @property
    def recall(self) -> float:
        """Share of the parties named that are tagged (1.0 when none is named)."""
        named = self.true_positives + self.false_negatives
        return self.true_positives / named if named else 1.0


def read_party_labels(path: str | Path) -> list[PartyLabel]:
    """The labels in ``path``; a malformed line raises ``ValueError`` naming file and line."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise ValueError(f"{path}: cannot read the party labels ({exc})") from None
    labels: list[PartyLabel] = []
    seen: set[str] = set()
    for lineno, line in enumerate(text.splitlines(), 1):
        if not line.strip() or line.startswith("#") or line.startswith("id\t"):
            continue
        cols = line.split("\t")
        if len(cols) < 3 or not cols[0].strip():
            raise ValueError(
                f"{path}, line {lineno}: expected 'id<TAB>tagged_then<TAB>correct[<TAB>note]'"
            )
        doc_id = cols[0].strip()
        if doc_id in seen:
            raise ValueError(f"{path}, line {lineno}: {doc_id!r} is labelled twice")
        seen.add(doc_id)
        correct = frozenset(p.strip() for p in cols[2].split("|") if p.strip())
        note = cols[3].strip() if len(cols) > 3 else ""
        labels.append(PartyLabel(doc_id, correct, note))
    return labels


def party_tag_quality(
    corpus: str | Path,
    labels: str | Path | Iterable[PartyLabel],
    lexicon: Lexicon | None = None,
) -> TagQuality:
    """Tag the labelled documents of the folder ``corpus`` and compare with ``labels``.

    ``labels`` is a labels file or :class:`PartyLabel` objects; document ids are those
    :func:`corpus_search.ingest.files.read_directory` gives (``politics/001``). A labelled id
    missing from the folder raises ``ValueError``.
    """
    if isinstance(labels, (str, Path)):
        labels = read_party_labels(labels)
    wanted = {label.doc_id: label for label in labels}
    documents = {}
    for result in read_directory(Path(corpus)):
        for doc in result.documents:
            if doc.id in wanted:
                documents[doc.id] = doc
    missing = sorted(set(wanted) - set(documents))
    if missing:
        raise ValueError(
            f"{counted(len(missing), 'labelled document')} not found in {corpus}, "
            f"e.g. {missing[0]!r}"
        )
    tp = fp = fn = 0
    disagreements: list[Disagreement] = []
    for doc_id, label in wanted.items():
        doc = documents[doc_id]
        tagged = set(document_parties(doc.title, doc.body, lexicon))
        tp += len(tagged & label.correct)
        fp += len(tagged - label.correct)
        fn += len(label.correct - tagged)
        if tagged != label.correct:
            disagreements.append(
                Disagreement(
                    doc_id, tuple(sorted(tagged)), tuple(sorted(label.correct)), label.note
                )
            )
    return TagQuality(len(wanted), tp, fp, fn, tuple(disagreements))
