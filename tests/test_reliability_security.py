"""Security: HTML snippets cannot carry markup from documents, and indexing never reads a file
outside the folder being indexed (symbolic links to files or folders outside, ``..``)."""

from __future__ import annotations

import html
import re
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from corpus_search import CorpusIndex, Document, Snippet

_MARK = re.compile(r"</?mark>")
markup = st.sampled_from([
    "<script>alert(1)</script>", "<img src=x onerror=alert(1)>", "</mark><b>", "<mark>",
    "&lt;script&gt;", "&", '"', "'", "<", ">", "<!--", "-->", "<![CDATA[", "javascript:",
    "\u2028", "\x00", "<svg/onload=alert(1)>", "<<script>script>",
])
hostile_text = st.lists(markup | st.text(max_size=30), min_size=1, max_size=12).map("".join)


def assert_inert(rendered: str) -> None:
    """No tag but <mark> survives; every < > & " ' of the document is an entity."""
    outside = _MARK.sub("", rendered)
    assert "<" not in outside and ">" not in outside, rendered
    assert "\"" not in outside and "'" not in outside, rendered
    assert not re.search(r"&(?!(?:amp|lt|gt|quot|#x27|#39);)", outside), rendered


@settings(max_examples=1000, deadline=None)
@given(pieces=st.lists(st.tuples(hostile_text, st.booleans()), min_size=1, max_size=6))
def test_snippet_html_escapes_any_document_text(pieces: list[tuple[str, bool]]):
    """Whatever the text of matched and unmatched pieces, Snippet.html holds no markup but
    <mark>, and unescaping it gives back the (whitespace-squashed) text."""
    snippet = Snippet((tuple(pieces),))
    rendered = snippet.html
    assert_inert(rendered)
    text = "".join(t for t, _ in pieces)
    assert _squash(html.unescape(_MARK.sub("", rendered))) == _squash(text)


def _squash(text: str) -> str:
    return re.sub(r"\s+", " ", text)


@pytest.fixture(scope="module")
def hostile_index(tmp_path_factory: pytest.TempPathFactory) -> CorpusIndex:
    ix = CorpusIndex(tmp_path_factory.mktemp("hostile") / "ix")
    yield ix
    ix.close()


@settings(max_examples=40, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(before=hostile_text, after=hostile_text)
def test_search_results_escape_hostile_documents_end_to_end(
    hostile_index: CorpusIndex, before: str, after: str
):
    """A document whose body wraps the searched word in arbitrary markup is found, and the
    hit's snippet_html (and the JSON results) carry no live markup."""
    body = f"{before} parliament <script>alert('x')</script> parliament {after}"
    hostile_index.add_documents([Document(id="evil", title=f"{before}<b>", body=body)])
    results = hostile_index.search("parliament", limit=5)
    evil = [h for h in results.hits if h.id == "evil"]
    assert evil, "the hostile document was not found"
    assert_inert(evil[0].snippet.html)
    assert_inert(evil[0].to_dict()["snippet_html"])
    assert "<mark>" in evil[0].snippet.html


# -- never reading outside the folder -------------------------------------------------------

SECRET = "Zanzibarian secret ballot papers"


@pytest.fixture
def trap(tmp_path: Path) -> Path:
    """A folder to index whose links all lead out of it, next to a folder of secrets."""
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "secret.txt").write_text(f"Secret\n\n{SECRET}.\n", encoding="utf-8")
    (outside / "nested").mkdir()
    (outside / "nested" / "more.txt").write_text(f"More\n\n{SECRET}.\n", encoding="utf-8")
    root = tmp_path / "root"
    (root / "sub").mkdir(parents=True)
    (root / "ok.txt").write_text("Fine\n\nAn ordinary article about Labour.\n", encoding="utf-8")
    (root / "link-to-file.txt").symlink_to(outside / "secret.txt")
    (root / "relative-link.txt").symlink_to(Path("..") / "outside" / "secret.txt")
    (root / "sub" / "dotdot.txt").symlink_to(Path("..") / ".." / "outside" / "secret.txt")
    (root / "link-to-folder").symlink_to(outside)
    (root / "link-to-folder.txt").symlink_to(outside / "nested")
    (root / "chain.txt").symlink_to(root / "sub" / "dotdot.txt")
    (root / "etc-passwd.txt").symlink_to("/etc/passwd")
    (root / "proc.txt").symlink_to("/proc/self/environ")
    (root / "inside-link.txt").symlink_to(root / "ok.txt")
    return root


def test_links_leading_outside_the_folder_are_never_read(tmp_path: Path, trap: Path):
    """Links to files outside (absolute, relative, via .., chained) are skipped as "outside
    the indexed folder", links to folders outside are not followed, and no outside text
    reaches the index; a link to a file inside is indexed."""
    with CorpusIndex(tmp_path / "ix") as ix:
        report = ix.index_directory(trap)
        skipped = dict(report.skipped)
        for name in ("link-to-file.txt", "relative-link.txt", "sub/dotdot.txt", "chain.txt",
                     "etc-passwd.txt", "proc.txt"):
            assert skipped.get(name) == "outside the indexed folder", (name, skipped)
        assert ix.search("Zanzibarian ballot").total == 0
        ids = {f["id"] for f in ix.searcher().all_stored_fields()}
        bodies = " ".join(ix.stored_fields(i)["body"] for i in ids)
    assert SECRET not in bodies and "root:" not in bodies
    assert ids == {"ok", "inside-link"}


def test_indexing_a_path_with_dotdot_indexes_exactly_the_folder_it_names(tmp_path: Path,
                                                                         trap: Path):
    """``root/sub/..`` is the root itself: nothing above it is read."""
    with CorpusIndex(tmp_path / "ix") as ix:
        report = ix.index_directory(trap / "sub" / "..")
        assert report.root == str(trap.resolve())
        ids = [f["id"] for f in ix.searcher().all_stored_fields()]
        bodies = " ".join(ix.stored_fields(i)["body"] for i in ids)
    assert SECRET not in bodies


def test_record_ids_and_paths_with_dotdot_are_only_names(tmp_path: Path):
    """A JSONL record whose id looks like a path (``../../etc/passwd``) is just an id:
    nothing is read from that path and the document can be fetched by it."""
    root = tmp_path / "root"
    root.mkdir()
    (root / "records.jsonl").write_text(
        '{"id": "../../etc/passwd", "title": "Tricky", "body": "Only an id, not a path."}\n',
        encoding="utf-8",
    )
    with CorpusIndex(tmp_path / "ix") as ix:
        ix.index_directory(root)
        doc = ix.get("../../etc/passwd")
    assert doc is not None and doc.body == "Only an id, not a path."
