"""Specification: Whoosh is imported without the web client, asyncio and its morphology
tables (``corpus_search.lean_whoosh``), and nothing else in the process notices.

Each check runs in a fresh interpreter, where the library imports Whoosh first.
"""

from __future__ import annotations

import functools
import subprocess
import sys

import pytest

from corpus_search import lean_whoosh


def _run(code: str) -> list[str]:
    """The lines ``code`` printed in a fresh interpreter."""
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True)
    return out.stdout.strip().splitlines()


def test_whoosh_imported_through_it_loads_no_web_client_asyncio_or_morphology():
    code = (
        "import sys\n"
        "import corpus_search.lean_whoosh\n"
        "import whoosh.query, whoosh.reading, whoosh.searching\n"
        "print([m for m in ('urllib.request', 'http.client', 'ssl', 'email.parser',\n"
        "       'asyncio', 'concurrent.futures', 'cached_property', 'whoosh.lang.morph_en')\n"
        "       if m in sys.modules])\n"
    )
    assert _run(code) == ["[]"]


def test_no_stand_in_is_left_where_other_code_imports():
    code = (
        "import sys\n"
        "import corpus_search.lean_whoosh\n"
        "import urllib.request, cached_property, whoosh.lang.morph_en\n"
        "print(urllib.request.urlopen.__module__)\n"
        "print(cached_property.__file__.endswith('cached_property.py'))\n"
        "print(cached_property.threaded_cached_property.__module__)\n"
        "print(len(whoosh.lang.morph_en.variations('render')) > 1)\n"
        "print([n for n, m in sys.modules.items() if type(m).__name__ == 'StandIn'])\n"
    )
    assert _run(code) == ["urllib.request", "True", "cached_property", "True", "[]"]


def test_whooshs_urlretrieve_is_the_real_one_when_called(tmp_path):
    source = tmp_path / "page.txt"
    source.write_text("fetched")
    code = (
        "import sys\n"
        "import corpus_search.lean_whoosh\n"
        "import whoosh.compat\n"
        "print('urllib.request' in sys.modules)\n"
        f"path, _ = whoosh.compat.urlretrieve({source.as_uri()!r}, {str(tmp_path / 'copy')!r})\n"
        "print(open(path).read())\n"
        "print('urllib.request' in sys.modules)\n"
    )
    assert _run(code) == ["False", "fetched", "True"]


def test_html_double_metaphone_and_the_calendar_load_when_whoosh_first_uses_them():
    # html imports its table of 2,000 entities (a search prints no HTML), whoosh.analysis
    # Double Metaphone (our analyzer has no such filter), whoosh.util.times the calendar (a
    # date range asks it): each is the real module when called
    code = (
        "import pickle, sys\n"
        "import corpus_search.lean_whoosh\n"
        "import whoosh.compat, whoosh.highlight, whoosh.analysis, whoosh.util.times\n"
        "print([m for m in ('html', 'html.entities', 'whoosh.lang.dmetaphone', 'calendar')\n"
        "       if m in sys.modules])\n"
        "print(whoosh.compat.htmlescape('<b>&'), whoosh.highlight.htmlescape('\"'))\n"
        "print(whoosh.analysis.morph.double_metaphone('Thompson'))\n"
        "print(whoosh.util.times.adatetime(2005, 2).ceil().day)\n"
        "import calendar, html\n"
        "print(type(html).__name__, html.unescape('&amp;'), calendar.isleap(2004))\n"
        "# a stock schema still pickles (a StemFilter holds Whoosh's own stem function)\n"
        "schema = whoosh.fields.Schema(body=whoosh.fields.TEXT(\n"
        "    analyzer=whoosh.analysis.StemmingAnalyzer()))\n"
        "print(pickle.loads(pickle.dumps(schema)) == schema)\n"
    )
    assert _run(code) == [
        "[]", "&lt;b&gt;&amp; &quot;", "('TMPSN', None)", "28", "module & True", "True",
    ]


def test_whooshs_variations_are_the_morphology_tables_ones():
    code = (
        "import corpus_search.lean_whoosh\n"
        "import whoosh.query.terms\n"
        "from whoosh.lang.morph_en import variations\n"
        "print(whoosh.query.terms.variations('rendering') == variations('rendering'))\n"
    )
    assert _run(code) == ["True"]


def test_a_readers_deleted_documents_are_still_computed_once(tmp_path):
    code = (
        "import functools\n"
        "import corpus_search.lean_whoosh\n"
        "from whoosh import fields, index\n"
        "from whoosh.reading import SegmentReader\n"
        "print(type(SegmentReader.__dict__['deleted_docs_set']) is functools.cached_property)\n"
        "ix = index.create_in("
        f"{str(tmp_path)!r}, fields.Schema(id=fields.ID(stored=True, unique=True)))\n"
        "with ix.writer() as w:\n"
        "    for i in 'abc':\n"
        "        w.add_document(id=i)\n"
        "with ix.writer() as w:\n"
        "    w.delete_by_term('id', 'b')\n"
        "with ix.reader() as r:\n"
        "    print(sorted(r.deleted_docs_set), r.deleted_docs_set is r.deleted_docs_set)\n"
    )
    assert _run(code) == ["True", "[1] True"]


@pytest.mark.parametrize("module", ["urllib.request", "cached_property"])
def test_a_module_already_imported_is_the_one_whoosh_gets(module: str):
    code = (
        f"import {module}\n"
        "import corpus_search.lean_whoosh\n"
        "import whoosh.compat, whoosh.reading\n"
        "print(whoosh.compat.urlretrieve is sys.modules['urllib.request'].urlretrieve\n"
        "      if 'urllib.request' in sys.modules else None)\n"
        "import cached_property\n"
        "print(type(whoosh.reading.SegmentReader.__dict__['deleted_docs_set'])\n"
        "      is cached_property.cached_property)\n"
    )
    expected = ["True", "False"] if module == "urllib.request" else ["None", "True"]
    assert _run("import sys\n" + code) == expected


def test_a_stand_in_gives_any_other_name_from_the_real_module():
    import cached_property

    stand_in = lean_whoosh.STAND_INS["cached_property"]()
    assert stand_in.cached_property is functools.cached_property
    assert stand_in.threaded_cached_property is cached_property.threaded_cached_property
    with pytest.raises(AttributeError):
        stand_in.__path__  # noqa: B018  (the import system asks; it must not import)


def test_tempfile_and_shutil_load_when_whoosh_first_uses_them(tmp_path):
    # whoosh.filedb imports tempfile for a temporary storage's folder and shutil (which
    # imports bz2 and lzma) to assemble a compound file; a search does neither
    code = (
        "import io, sys\n"
        "import corpus_search.lean_whoosh\n"
        "import whoosh.filedb.filestore, whoosh.filedb.compound\n"
        "print([m for m in ('tempfile', 'shutil', 'bz2', 'lzma') if m in sys.modules])\n"
        "out = io.BytesIO()\n"
        "whoosh.filedb.compound.copyfileobj(io.BytesIO(b'segment'), out)\n"
        "print(out.getvalue().decode())\n"
        "import tempfile\n"
        "print(whoosh.filedb.filestore.tempfile.gettempdir() == tempfile.gettempdir())\n"
        "print([n for n, m in sys.modules.items() if type(m).__name__ == 'StandIn'])\n"
    )
    assert _run(code) == ["[]", "segment", "True", "[]"]
