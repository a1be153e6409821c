"""What a count of an office counts: the office the lexicon reads, not its department, not
another country's holder of the title, not another office written with the same word."""

from __future__ import annotations

import pytest

from corpus_search import CorpusIndex, Document


@pytest.fixture(scope="module")
def offices(tmp_path_factory) -> CorpusIndex:
    ix = CorpusIndex(tmp_path_factory.mktemp("offices") / "ix")
    ix.add_documents([
        Document(id="minister", title="Asylum",
                 body="The Home Secretary announced new asylum rules on Monday."),
        Document(id="department", title="Visas",
                 body="A Home Office spokesman said the visa backlog was cleared."),
        Document(id="health", title="Waiting lists",
                 body="The Department of Health said waiting lists had fallen."),
        Document(id="health_secretary", title="Hospitals",
                 body="The Health Secretary visited a hospital in Leeds."),
        Document(id="whitehall", title="Relocation",
                 body="Whitehall departments will move 20,000 posts out of London."),
        Document(id="civil_servants", title="Job cuts",
                 body="Labour plans to cut 80,000 civil servants, the government said."),
        Document(id="schroeder", title="Euro pact",
                 body="German Chancellor Gerhard Schroeder called for looser rules."),
        Document(id="brown", title="Budget",
                 body="Chancellor Gordon Brown will set out his Budget next week."),
        Document(id="both", title="Summit",
                 body="Chancellor Schroeder met Tony Blair; the chancellor said little."),
    ])
    yield ix
    ix.close()


def _counted(ix: CorpusIndex, text: str) -> tuple[int, list[str]]:
    counts = ix.count(text)
    return counts.total, list(counts.notes)


def test_a_count_of_home_secretary_does_not_count_a_story_that_only_names_the_home_office(
    offices: CorpusIndex,
):
    assert _counted(offices, "Home Secretary")[0] == 1
    total, notes = _counted(offices, '"Home Secretary"')
    assert total == 1
    assert any(note.startswith('1 document that holds only Home Office (a term the lexicon '
                               'relates to "Home Secretary")') for note in notes)
    # a search still finds the department's story, after the minister's
    assert [hit.id for hit in offices.search('"Home Secretary"')] == ["minister", "department"]


def test_a_count_of_the_home_office_counts_the_home_secretarys_story_too(
    offices: CorpusIndex,
):
    # the minister heads the department: naming the Home Secretary names the Home Office
    assert _counted(offices, "Home Office")[0] == 2


def test_a_count_of_a_secretary_of_state_does_not_count_the_department_alone(
    offices: CorpusIndex,
):
    assert _counted(offices, "Health Secretary")[0] == 1
    assert _counted(offices, "Department of Health")[0] == 2


def test_a_count_of_whitehall_counts_a_story_naming_only_civil_servants(offices: CorpusIndex):
    # Whitehall stands for central government's civil service ("Whitehall job cuts"): one
    # concept, so a count of either counts both
    assert _counted(offices, "Whitehall")[0] == 2
    assert _counted(offices, "civil servants")[0] == 2


def test_a_count_of_chancellor_does_not_count_a_story_naming_only_germanys_chancellor(
    offices: CorpusIndex,
):
    total, notes = _counted(offices, "Chancellor")
    assert total == 2  # Gordon Brown's, and the one that also writes "the chancellor" alone
    assert any(note.startswith("1 document writes Chancellor only inside another term the "
                               "lexicon reads as a concept of its own (German Chancellor)")
               for note in notes)
    # typed in lower case it is the word, in every sense; asked for together with
    # Schroeder, the German chancellor counts
    assert _counted(offices, "chancellor")[0] == 3
    assert _counted(offices, "Chancellor AND Schroeder")[0] == 2
    # a search still lists the German chancellor's story
    assert "schroeder" in {hit.id for hit in offices.search("Chancellor")}


def test_a_word_only_inside_another_term_still_counts_for_another_word_of_the_query(
    offices: CorpusIndex,
):
    # the story on Schroeder's euro pact holds "pact" in its title
    assert _counted(offices, "Chancellor pact")[0] == 3
