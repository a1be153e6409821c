"""The package's shape, read from the source: imports run one way, no cycles, no reaching into
another module's private names or storing attributes on its objects, and modules and
functions of a readable size.

The rule (docs/architecture.md)::

    cli ──► index ──► search ──► store ──► analysis ──► errors
    (cli is a package: cli/__init__ (group, main) ◄── each command's module ──► cli/options,
    cli/output, cli/printing, cli/opening; the group imports a command's module when it runs)
               └────► ingest ──► errors      (store and search read ingest's model too)
    terminal (output safety and counts in words, imports nothing) is usable by every layer
    lean_whoosh (Whoosh imported lean, imports only stand_ins) is usable from analysis up
    stand_ins (modules imported when first used, imports nothing of ours): lean_whoosh, lean_numpy,
    launch
    launch ──► warm, cli (the entry point: a running server, else the command itself)
    cli ──► warm_server ──► warm (the server, which serve alone imports; the client's is warm)
    cli ──► web ──► index (the local web page, a few lines a page, as the CLI)
    evaluation ──► index, ingest (and what index stands on)
    (evaluation/run ──► evaluation/cross_validation ──► evaluation/scoring)
    cli ──► method_cache ──► cache_folder (a command's dataclass methods, in a cache file)
    cli ──► lean_numpy ──► stand_ins (NumPy loaded by a command without what no command uses)
    cli ──► consoles (rich's console when first used; piped lines written without it)
    cli ──► single_options (options of one value: a repeat refused)
    launch ──► regex_cache ──► cache_folder (its regular expressions' programs, likewise)
    launch ──► module_places ──► cache_folder (where its modules lie, likewise)
    cache_folder (the cache folder's files: the standard library only) is usable by analysis

"index" is the façade layer: ``index.py``, ``multi_index.py``, ``ingesting.py``,
``folder_ids.py``, ``indexing.py``, ``planning.py``, ``moving.py``, ``rebuilding.py`` and
``repeated.py``. Every
``import`` counts, wherever it stands (module level, inside a function, under
``TYPE_CHECKING``): an import moved into a function to hide a cycle is still a cycle here.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parents[1] / "src" / "corpus_search"

#: each layer and the layers it may import (besides itself)
ALLOWED: dict[str, set[str]] = {
    "errors": set(),
    "stand_ins": set(),
    "lean_whoosh": {"stand_ins", "digests"},
    # the hash functions a search computes, without hashlib's OpenSSL (the standard library)
    "digests": set(),
    "analysis": {"lean_whoosh", "terminal", "errors", "cache_folder", "digests"},
    "terminal": set(),
    "ingest": {"terminal", "errors", "digests"},
    "store": {"lean_whoosh", "terminal", "analysis", "ingest", "errors", "digests"},
    "search": {"lean_whoosh", "terminal", "store", "analysis", "ingest", "errors"},
    "index": {"lean_whoosh", "terminal", "search", "store", "analysis", "ingest", "errors"},
    "evaluation": {
        "lean_whoosh", "terminal", "index", "search", "store", "analysis", "ingest", "errors",
    },
    # the command line (cli/): the group and main (cli/__init__), the shared options and
    # printing, and a module per concern of commands, each imported when its command runs
    "cli": {
        "terminal", "package", "evaluation", "index", "search", "store", "analysis", "ingest",
        "errors", "warm", "warm_server", "web", "method_cache", "lean_numpy", "consoles",
        "single_options",
    },
    # the command line's consoles: rich's, and lines printed piped without it (imports
    # nothing of ours)
    "consoles": set(),
    # the command's options of one value, a repeat refused (imports click only)
    "single_options": set(),
    # NumPy loaded by a command without what no command uses (cli.main installs it)
    "lean_numpy": {"stand_ins"},
    # a command's dataclass methods compiled once (cli.main installs it): its cache file is
    # written and read as the analyzer's are
    "method_cache": {"cache_folder"},
    # the programs of the regular expressions a command compiles (launch installs it)
    "regex_cache": {"cache_folder"},
    # where a command's modules lie, likewise (launch installs it)
    "module_places": {"cache_folder"},
    # the cache folder's files, read before anything else of a command is imported
    "cache_folder": set(),
    # the local web page: a few lines per page over the index's public methods, as the CLI
    "web": {"package", "index", "search", "errors", "terminal"},
    # the warm process for the reading commands and its client: the standard library, the
    # package's version and terminal's stream checks only, so that a served command imports
    # nothing else
    "warm": {"package", "errors", "terminal"},
    # the warm process's server (serve alone imports it): the client's wire format (warm)
    "warm_server": {"warm", "errors"},
    # the entry point: the client first, the command itself only when no server serves it
    "launch": {"warm", "errors", "cli", "regex_cache", "stand_ins", "module_places"},
    "package": {"terminal", "index", "search", "store", "analysis", "ingest", "errors"},
}

#: the façade layer's modules
INDEX_LAYER = {
    "index", "multi_index", "ingesting", "folder_ids", "indexing", "planning", "moving",
    "rebuilding", "repeated", "boilerplate_words", "boilerplate_removed",
}

MAX_MODULE_LINES = 500
MAX_FUNCTION_LINES = 60

#: Modules over MAX_MODULE_LINES, each with the reason splitting it would be artificial.
LONG_MODULES: dict[str, str] = {
    "search.engine": "QueryEngine evaluates a query tree over one searcher's arrays: the node "
    "handlers, term reading and concept scoring share its per-searcher caches",
    "analysis.fastpath": "the three fast paths (index terms, matching spans, parties) over "
    "what they share: one chunk reader, one lexicon walk of a window, the per-chunk caches; "
    "what is left per path is what it makes of a chunk",
}

#: Functions over MAX_FUNCTION_LINES, each with its reason.
LONG_FUNCTIONS: dict[str, str] = {
    "analysis.fastpath.FastPaths._matching_tokens": "the matching-spans fast path, one loop "
    "over the chunks the shared reader gives, its lookups bound to locals for speed",
    "ingest.files.read_file": "the reader that never raises: size, binary, encoding and "
    "format checks in order, each returning its reason from one try block",
    "ingesting.scan_folder": "one walk over a folder comparing each file with what the index "
    "holds; the counts it keeps are the report's",
    "store.writer.BulkSegmentWriter.add_document": "mirrors Whoosh's add_document call for "
    "call, everything that can fail before anything is written",
    "search.parsing._direct_query": "one pass over the typed words and phrases building the "
    "query tree and its concepts, which share places and positions",
    "search.corrections.check_spelling": "unknown words, their corrections and suggestions "
    "decided together over the query's words",
}


#: Classes of other modules whose objects are records made to be filled in field by field, so
#: a function handed one may set its attributes.
RECORDS: dict[str, str] = {
    "Token": "Whoosh's analysis API: each stage of a token stream sets the fields of the one "
    "reused token as it passes",
    "FileResult": "the record of reading one file (ingest.model): the format readers say in it "
    "why a file was skipped",
    "Scan": "what reading one folder found (ingesting): the scan fills it, and the ids given "
    "its documents (folder_ids.assign_ids) are written into it under the write lock",
    "Matches": "what a query matched (search.matches): matching_documents and the steps of "
    "search.matching that find what was left out fill in its notes and their figures",
}

#: Functions that set attributes of, or read private names through, a parameter of another
#: module's class ("function: parameter"), each with its reason.
FOREIGN_ATTRIBUTES: dict[str, str] = {
    "run: engine": "cross-validation sets the evaluation engine's public ``ranking`` (the "
    "Ranking its searches use, documented as settable) before each run",
    "_abandon: writer": "Whoosh's writer keeps its lock in ``writelock``; an abandoned write "
    "takes it so as to release it once, itself",
    "_write_w3_postings: fw": "store/ is the one package that touches Whoosh internals: the "
    "bulk writer fills the W3 field writer's files and term table as Whoosh's own writer does",
    "_write_w3_postings: codec": "the same: the W3 codec's block limit and compression",
    "_sound_postings: reader": "the same: a check reads a term's postings from the term info "
    "it looked up (Whoosh's reader would look it up again), block by block",
}


@dataclass(frozen=True)
class Import:
    source: str  # importing module, dotted, relative to corpus_search ("search.engine")
    target: str  # imported module, same form ("" is the package itself)
    names: tuple[str, ...]
    line: int


def module_name(path: Path) -> str:
    parts = list(path.relative_to(SRC).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def modules() -> dict[str, Path]:
    return {module_name(p): p for p in sorted(SRC.rglob("*.py"))}


def imports_of(name: str, path: Path) -> list[Import]:
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            mods = [node.module]
            names = tuple(a.name for a in node.names)
        elif isinstance(node, ast.Import):
            mods = [a.name for a in node.names]
            names = ()
        else:
            continue
        for mod in mods:
            if mod == "corpus_search" or mod.startswith("corpus_search."):
                target = mod.removeprefix("corpus_search").removeprefix(".")
                found.append(Import(name, target, names, node.lineno))
    return found


def resolve(target: str, names: tuple[str, ...], known: dict[str, Path]) -> list[str]:
    """The modules an import reads: ``from corpus_search.store import meta`` reads
    ``store.meta``, ``from corpus_search.store.meta import x`` reads ``store.meta``."""
    subs = [f"{target}.{n}".strip(".") for n in names if f"{target}.{n}".strip(".") in known]
    return subs or [target]


def layer(module: str) -> str:
    if module == "":
        return "package"
    top = module.split(".")[0]
    return "index" if top in INDEX_LAYER else top


def all_imports() -> list[Import]:
    known = modules()
    out = []
    for name, path in known.items():
        for imp in imports_of(name, path):
            for target in resolve(imp.target, imp.names, known):
                out.append(Import(imp.source, target, imp.names, imp.line))
    return out


def test_every_layer_is_known():
    assert {layer(m) for m in modules()} <= set(ALLOWED)


def test_imports_run_one_way():
    wrong = [
        f"{i.source} (line {i.line}) imports {i.target or 'corpus_search'}: "
        f"{layer(i.source)} may not import {layer(i.target)}"
        for i in all_imports()
        if layer(i.source) != layer(i.target)
        and layer(i.target) not in ALLOWED[layer(i.source)]
    ]
    assert wrong == []


def test_no_import_cycle_between_modules():
    graph: dict[str, set[str]] = {m: set() for m in modules()}
    for i in all_imports():
        if i.target != i.source and i.target in graph and i.source != "":
            graph[i.source].add(i.target)
    cycles = strongly_connected(graph)
    assert [sorted(c) for c in cycles if len(c) > 1] == []


def test_no_module_imports_another_modules_private_names():
    private = [
        f"{i.source} (line {i.line}) imports {name} from {i.target}"
        for i in all_imports()
        for name in i.names
        if name.startswith("_") and not name.startswith("__") and i.target != i.source
    ]
    assert private == []


def foreign_attributes(name: str, path: Path) -> list[tuple[str, str, str, int]]:
    """(function, parameter, attribute, line) for each attribute a function of module
    ``name`` sets on, or each private name it reads through, a parameter annotated with a
    class that another module defines (imported from another corpus_search module or from
    Whoosh). Only annotated parameters are seen: an object reached another way (a local,
    an attribute) is not, so this finds the pattern, not every instance of it."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    foreign: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            own = node.module == f"corpus_search.{name}".rstrip(".")
            if node.module.startswith(("corpus_search", "whoosh")) and not own:
                foreign.update(a.asname or a.name for a in node.names)
        elif isinstance(node, ast.Import):
            foreign.update((a.asname or a.name).split(".")[0] for a in node.names
                           if a.name.startswith("whoosh"))
    found = []
    for fn in ast.walk(tree):
        if not isinstance(fn, (ast.FunctionDef, ast.AsyncFunctionDef)):
            continue
        args = fn.args.posonlyargs + fn.args.args + fn.args.kwonlyargs
        typed = {
            a.arg for a in args
            if a.annotation is not None and (names := {
                n.id for n in ast.walk(a.annotation) if isinstance(n, ast.Name)
            }) & foreign and not names & set(RECORDS)
        }
        for node in ast.walk(fn):
            if not (isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name)):
                continue
            stored = isinstance(node.ctx, ast.Store)
            private = node.attr.startswith("_") and not node.attr.startswith("__")
            if node.value.id in typed and (stored or private):
                found.append((fn.name, node.value.id, node.attr, node.lineno))
    return found


def test_no_function_stores_attributes_on_another_modules_objects():
    found = {
        f"{fn}: {param}": f"{name} (line {line}): {param}.{attr}"
        for name, path in modules().items()
        for fn, param, attr, line in foreign_attributes(name, path)
    }
    assert sorted(set(found) - set(FOREIGN_ATTRIBUTES)) == [], found
    assert sorted(set(FOREIGN_ATTRIBUTES) - set(found)) == [], "allowed but no longer found"


def test_the_attribute_reader_sees_stores_and_private_reads_on_foreign_parameters(
    tmp_path: Path,
):
    source = tmp_path / "m.py"
    source.write_text(
        "from corpus_search.search.parser import PoliticalQueryParser\n"
        "from whoosh.analysis.acore import Token\n"
        "class Own:\n    pass\n"
        "def build(parser: PoliticalQueryParser, own: Own, t: Token) -> None:\n"
        "    parser.concepts = ()\n"
        "    parser.readings, own.x = [], 1\n"
        "    parser.fields += 1\n"
        "    t.pos = 0\n"
        "    return parser._group_memo, parser.analyzer\n"
    )
    found = [(param, attr) for _, param, attr, _ in foreign_attributes("search.m", source)]
    assert sorted(found) == [
        ("parser", "_group_memo"), ("parser", "concepts"), ("parser", "fields"),
        ("parser", "readings"),
    ]


def test_modules_are_short_or_say_why():
    long = {
        name: n
        for name, path in modules().items()
        if (n := len(path.read_text(encoding="utf-8").splitlines())) > MAX_MODULE_LINES
    }
    assert sorted(set(long) - set(LONG_MODULES)) == [], long
    assert sorted(set(LONG_MODULES) - set(long)) == [], "allowed but no longer long"


def test_functions_are_short_or_say_why():
    long = {}
    for name, path in modules().items():
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.ClassDef):
                for sub in node.body:
                    if isinstance(sub, (ast.FunctionDef, ast.AsyncFunctionDef)):
                        sub.qualname = f"{node.name}.{sub.name}"  # type: ignore[attr-defined]
        for node in ast.walk(tree):
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
                lines = body_lines(node)
                if lines > MAX_FUNCTION_LINES:
                    long[f"{name}.{getattr(node, 'qualname', node.name)}"] = lines
    assert sorted(set(long) - set(LONG_FUNCTIONS)) == [], long
    assert sorted(set(LONG_FUNCTIONS) - set(long)) == [], "allowed but no longer long"


@pytest.mark.parametrize(
    ("graph", "cyclic"),
    [
        ({"a": {"b"}, "b": {"c"}, "c": set()}, []),
        ({"a": {"b"}, "b": {"a"}}, [["a", "b"]]),
        ({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}, [["a", "b", "c"]]),
    ],
)
def test_the_cycle_finder_finds_cycles(graph: dict[str, set[str]], cyclic: list[list[str]]):
    assert [sorted(c) for c in strongly_connected(graph) if len(c) > 1] == cyclic


def test_the_import_reader_sees_imports_inside_functions(tmp_path: Path):
    source = tmp_path / "m.py"
    source.write_text(
        "from corpus_search.errors import QueryError\n"
        "def f():\n    from corpus_search.index import _hidden\n"
    )
    found = imports_of("search.m", source)
    assert [(i.target, i.names) for i in found] == [
        ("errors", ("QueryError",)),
        ("index", ("_hidden",)),
    ]


def body_lines(node: ast.AST) -> int:
    """Lines of a function without its docstring."""
    body = node.body  # type: ignore[attr-defined]
    first = body[0]
    if (
        isinstance(first, ast.Expr)
        and isinstance(first.value, ast.Constant)
        and isinstance(first.value.value, str)
        and len(body) > 1
    ):
        first = body[1]
    return node.end_lineno - first.lineno + 1  # type: ignore[attr-defined]


def strongly_connected(graph: dict[str, set[str]]) -> list[set[str]]:
    """Tarjan's strongly connected components of ``graph``."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    out: list[set[str]] = []

    def visit(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        on_stack.add(v)
        for w in sorted(graph.get(v, ())):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            component = set()
            while True:
                w = stack.pop()
                on_stack.discard(w)
                component.add(w)
                if w == v:
                    break
            out.append(component)

    for v in sorted(graph):
        if v not in index:
            visit(v)
    return out


def test_a_lexicon_form_s_markers_are_read_in_one_place():
    """``?``, ``=`` and ``!`` before a lexicon form (ambiguous, case-sensitive, a query's
    only) are read by :func:`corpus_search.analysis.lexicon.form_markers` alone: six modules
    had each stripped them their own way (``form.lstrip("?=!")``, ``form.lstrip("?")`` then
    an ``=``), which read a form the lexicon accepts (``?= Labour``, ``=?Labour``) otherwise
    than the lexicon did."""
    found = []
    for path in sorted(SRC.rglob("*.py")):
        where = path.relative_to(SRC).as_posix()
        if where == "analysis/lexicon.py":
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
                    and node.func.attr in ("lstrip", "strip", "startswith")
                    and any(isinstance(arg, ast.Constant) and isinstance(arg.value, str)
                            and arg.value.strip() and set(arg.value.strip()) <= set("?=!")
                            for arg in node.args)):
                found.append(f"{where}:{node.lineno}")
    assert found == []
