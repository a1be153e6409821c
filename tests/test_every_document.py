"""``*`` is every document the filters keep, in every tool and mode: search, count, trends,
key terms and export read it so as written (``literal``) too, where ``count --literal '*'``
had counted the 3 BBC articles holding an asterisk while ``key-terms --literal '*'`` took all
2,225. A concordance, which shows words, refuses it in one line, either way. One rule
(:func:`corpus_search.search.ranking.every_document`)."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from conftest import index_of
from corpus_search import CorpusIndex, Document, QueryError
from corpus_search.cli import cli

#: six budget stories, two of them holding an asterisk, half of them BBC's; and one more
DOCUMENTS = [
    *(Document(id=f"b/{n}", title="Budget", source="BBC News" if n % 2 else "ITV",
               body=f"The budget {n} {'* ' if n < 2 else ''}was set.") for n in range(6)),
    Document(id="plain", title="Plain", body="No asterisk here.", source="ITV"),
]
BBC = {"source": "BBC News"}


@pytest.fixture(scope="module")
def index(tmp_path_factory: pytest.TempPathFactory) -> CorpusIndex:
    yield from index_of(tmp_path_factory, "every-document", DOCUMENTS)


@pytest.mark.parametrize("literal", [False, True])
@pytest.mark.parametrize("filters, kept", [(None, 7), (BBC, 3)])
def test_star_is_every_document_the_filters_keep_in_each_tool_as_written_or_not(
        index, literal, filters, kept):
    assert index.search("*", filters=filters, literal=literal).total == kept
    assert index.count("*", by="source", filters=filters, literal=literal).total == kept
    trend = index.trends(["*", "budget"], by="source", filters=filters, literal=literal)
    assert trend.counts[0].total == kept
    if filters:
        assert index.key_terms("*", filters=filters, literal=literal).matching == kept
    else:  # (every document: none left to compare them with)
        with pytest.raises(QueryError, match="matches every document of the index"):
            index.key_terms("*", literal=literal)
    report, text = index.export_text("*", format="jsonl", filters=filters, literal=literal)
    assert len("".join(text).splitlines()) == report.documents == kept


@pytest.mark.parametrize("literal", [False, True])
def test_a_concordance_of_star_is_refused_in_one_line_either_way(index, literal):
    with pytest.raises(QueryError, match=r"^A concordance needs a query: the words whose "
                       r"places it shows\.$"):
        index.concordance(" * ", literal=literal)


def test_an_asterisk_among_words_is_still_looked_for_as_written(index):
    """Only the whole query ``*`` is every document: ``budget *`` read as written is the
    budget stories holding an asterisk."""
    assert index.count("budget *", by="source", literal=True).total == 2
    assert {line.id for line in index.concordance("'*'  budget", literal=True)} == {"b/0", "b/1"}


@pytest.mark.parametrize("command", [["count", "--by", "source"], ["search"],
                                     ["trends", "--by", "source"]])
def test_the_commands_given_star_as_written_count_every_document(index, command):
    result = CliRunner().invoke(cli, [command[0], "*", *command[1:], "--literal", "--json",
                                      "--index", str(index.path)])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    total = data["queries"][0]["total"] if command[0] == "trends" else data["total"]
    assert total == 7


def test_the_concordance_command_refuses_star_as_written_in_one_line(index):
    result = CliRunner().invoke(cli, ["concordance", "*", "--literal",
                                      "--index", str(index.path)])
    assert result.exit_code == 2
    assert result.output.strip().splitlines() == [
        "error: A concordance needs a query: the words whose places it shows."]
