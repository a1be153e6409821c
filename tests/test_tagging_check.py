"""Specification of the party-tag check (corpus_search.tagging_check) and of the party facet
measured on BBC articles labelled by reading (tests/data/party_tags.tsv)."""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import BBC, needs_shared
from corpus_search.analysis.lexicon import load_lexicon
from corpus_search.evaluation.tagging import PartyLabel, party_tag_quality, read_party_labels

LABELS = Path(__file__).parent / "data" / "party_tags.tsv"

DOCS = {
    "politics/one.txt": "Tories attack Labour\n\nThe Conservatives said Labour had failed.",
    "tech/chips.txt": "Chip results\n\nToshiba and NEC reported higher profits.",
    "business/jobs.txt": "Jobs\n\nThe International Labour Organisation said jobs were lost.",
}


@pytest.fixture
def corpus(tmp_path: Path) -> Path:
    for rel, text in DOCS.items():
        (tmp_path / rel).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / rel).write_text(text, encoding="utf-8")
    return tmp_path


def test_the_labelled_sample_is_well_formed_and_uses_known_party_names():
    labels = read_party_labels(LABELS)
    assert len(labels) >= 200
    known = set(load_lexicon().parties.values())
    assert all(label.correct <= known for label in labels)
    tagged = [label for label in labels if label.correct]
    assert len({label.doc_id.split("/")[0] for label in labels}) >= 4  # sections sampled
    assert len(tagged) >= 200


def test_precision_and_recall_count_document_party_pairs(corpus: Path):
    labels = [
        PartyLabel("politics/one", frozenset({"Conservative", "Labour", "Green"})),
        PartyLabel("tech/chips", frozenset()),
        PartyLabel("business/jobs", frozenset()),
    ]
    quality = party_tag_quality(corpus, labels)
    assert quality.documents == 3
    assert (quality.true_positives, quality.false_positives, quality.false_negatives) == (2, 0, 1)
    assert quality.precision == 1.0 and quality.recall == pytest.approx(2 / 3)
    [disagreement] = quality.disagreements
    assert disagreement.doc_id == "politics/one" and disagreement.missed == ("Green",)


def test_a_wrong_tag_is_reported_with_the_note(corpus: Path, tmp_path: Path):
    labels = tmp_path / "labels.tsv"
    labels.write_text(
        "# a comment\nid\ttagged_then\tcorrect\tnote\n"
        "politics/one\tLabour\tLabour\tthe Conservatives are not named, honestly\n",
        encoding="utf-8",
    )
    quality = party_tag_quality(corpus, labels)
    assert quality.precision == 0.5
    assert quality.disagreements[0].wrong == ("Conservative",)
    assert "honestly" in quality.disagreements[0].note


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("politics/one\tLabour\n", "expected 'id<TAB>tagged_then<TAB>correct"),
        ("a/b\t\t\nc/d\t\t\na/b\t\t\n", "labelled twice"),
    ],
)
def test_a_malformed_labels_file_raises_a_clear_error(tmp_path: Path, content, message):
    path = tmp_path / "labels.tsv"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(ValueError, match=message):
        read_party_labels(path)


def test_a_labelled_document_missing_from_the_corpus_is_an_error(corpus: Path):
    with pytest.raises(ValueError, match="not found"):
        party_tag_quality(corpus, [PartyLabel("politics/absent", frozenset())])


def test_the_error_counts_the_missing_documents_in_words(corpus: Path):
    # (it said "1 labelled document(s) not found")
    with pytest.raises(ValueError, match=r"^1 labelled document not found in .*'politics/x'$"):
        party_tag_quality(corpus, [PartyLabel("politics/x", frozenset())])
    with pytest.raises(ValueError, match=r"^2 labelled documents not found in "):
        party_tag_quality(corpus, [PartyLabel("politics/x", frozenset()),
                                   PartyLabel("politics/y", frozenset())])


@needs_shared
def test_party_tags_on_the_labelled_bbc_sample_are_at_least_98_percent_precise():
    quality = party_tag_quality(BBC, LABELS)
    assert quality.documents == len(read_party_labels(LABELS))
    assert quality.precision >= 0.98, quality.disagreements
    assert quality.recall >= 0.98, quality.disagreements
