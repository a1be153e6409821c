"""Compiling the lexicon's parsed lines (:class:`~.lexicon_parse.Raw`) into the tables the
analyzer reads: the word trie of the forms (ambiguous ones apart, with where each begins),
the terms a longer form begins, the context rules and the spelling tables.

Only a lexicon not yet compiled (no compiled copy in the cache) imports this.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from types import MappingProxyType

from corpus_search.analysis.lexicon_model import (
    BUILTIN_SOURCE,
    CASED,
    LOWER,
    OUTPUT,
    BegunTerm,
    Entry,
    form_body,
    form_markers,
    form_words,
    new_node,
)
from corpus_search.analysis.lexicon_parse import Raw
from corpus_search.analysis.text import normalise_word
from corpus_search.errors import LexiconError

__all__ = [
    "DERIVATIONAL_SUFFIXES",
    "ambiguous_starts",
    "cased_acronyms",
    "compile_context",
    "compile_spelling",
    "compile_trie",
    "typed_acronyms",
]


#: Derivational endings a ``[spelling-base]`` pair applies to ("honor" -> "dishonorable").
DERIVATIONAL_SUFFIXES = (
    "", "s", "ed", "ing", "er", "ers", "able", "ably", "ful", "fully", "less", "ite", "ites",
    "hood", "hoods", "al", "ally", "ist", "ists", "ism", "ly",
)  # fmt: skip


def cased_acronyms(entries: Sequence[Entry]) -> frozenset[str]:
    """:attr:`Lexicon.cased_acronyms` of the lines ``entries``."""
    bodies = (form_body(form) for entry in entries for form in entry.forms)
    return frozenset(body for _ambiguous, cased, body in bodies
                     if cased and len(body) >= 2 and body.isalpha() and body.isupper())


def typed_acronyms(entries: Sequence[Entry]) -> frozenset[str]:
    """:attr:`Lexicon.typed_acronyms` of the lines ``entries``: the acronyms a query reads as
    their concepts alone when typed as the lexicon writes them, the unambiguous
    case-sensitive one-word forms of two or more capitals (``=NICE``, ``=MoD``) and their
    ALL-CAPS spellings (``MOD``), since the index holds their concepts wherever a text writes
    them so, and their word also wherever a text writes "nice", "Nice" or "mod". A form some
    line marks ambiguous (``?=NEC``) keeps its word: the index holds its concept only where a
    text's context confirms it. Nor does an acronym that is a word of a longer form ("second
    UN resolution", "US Congress"): the index holds the longer form's concepts at its place,
    not the acronym's, so only the word finds the acronym there (a phrase beginning inside
    the form, ``"UN resolution sanctioning"``)."""
    cased: set[str] = set()
    ambiguous: set[str] = set()
    inside: set[str] = set()
    for entry in entries:
        for form in entry.forms:
            markers, body = form_markers(form)
            words = body.split()
            if len(words) > 1:
                inside.update(words)  # (as written: "Nice" of the Nice Treaty is no NICE)
            if "?" in markers or "!" in markers:
                ambiguous.update((body, body.upper()))
            elif "=" in markers and body.isalpha() and sum(c.isupper() for c in body) >= 2:
                cased.update((body, body.upper()))
    return frozenset(cased - ambiguous - inside)


def _query_only(form: str) -> bool:
    """Is ``form`` a query's only (``!by election``)? It is compiled as an ambiguous form of a
    name no text can confirm (``!`` and the concept's): a query reads it, a document never."""
    return "!" in form_markers(form)[0]


def _plural(word: str) -> str | None:
    if not word or word[-1] in "sS" or not word[-1].isalpha():
        return None
    if len(word) > 2 and word[-1] in "yY" and word[-2].lower() not in "aeiou":
        return word[:-1] + ("IES" if word.isupper() else "ies")
    return word + ("S" if word.isupper() and len(word) > 3 else "s")


def _form_paths(form: str) -> list[list[tuple[str, bool, bool]]]:
    """Word-key paths for a form: ``[(key, cased, hyphen_required), ...]`` per variant."""
    _ambiguous, cased, body = form_body(form)
    words = form_words(body)
    variants: list[list[tuple[str, bool]]] = [words]
    if any(h for _, h in words):  # "by-election" also matches "byelection"
        joined: list[tuple[str, bool]] = []
        for w, h in words:
            if h and joined:
                joined[-1] = (joined[-1][0] + w, joined[-1][1])
            else:
                joined.append((w, h))
        variants.append(joined)
    for v in list(variants):
        plural = _plural(v[-1][0])
        if plural:
            variants.append([*v[:-1], (plural, v[-1][1])])
    paths: list[list[tuple[str, bool, bool]]] = []
    for v in variants:
        spellings = [v] if cased else [v, [(w.lower(), h) for w, h in v]]
        for sv in spellings:
            path = []
            for w, h in sv:
                surface, key = normalise_word(w)
                if not key:
                    break
                is_cased = cased and surface != key
                path.append((surface if is_cased else key, is_cased, h))
            else:
                if path and path not in paths:
                    paths.append(path)
    return paths


def compile_trie(
    entries: Sequence[Entry],
) -> tuple[
    list, int, dict[str, str], list[tuple], dict[str, frozenset[str]], dict[str, frozenset[str]]
]:
    """The trie of every unambiguous form, the word count of the longest form (ambiguous ones
    included), the party names, ``(concept, path, outputs)`` for each ambiguous form, and
    each concept's implied concepts (its ``also`` and the terms its forms begin with: see
    :func:`_begun_terms`) and the concepts its entry refuses (``-concept``)."""
    root = new_node()
    max_words = 1
    parties: dict[str, str] = {e.concept: e.party for e in entries if e.party}
    ambiguous: list[tuple] = []
    placed: list[tuple[Entry, list, list]] = []  # (entry, path, its outputs as compiled)
    taken = _user_forms(entries)
    for e in entries:
        outputs = [] if e.concept == "-" else [e.concept, *e.also]
        builtin = e.source.startswith(BUILTIN_SOURCE)
        for form in e.forms:
            for path in _form_paths(form):
                if builtin and e.concept not in taken.get(_path_words(path), (e.concept,)):
                    continue  # a user's file gave this form to another concept
                max_words = max(max_words, len(path))
                if form_body(form)[0]:
                    name = "!" + e.concept if _query_only(form) else e.concept
                    out = list(outputs)
                    ambiguous.append((name, path, out))
                    placed.append((e, path, out))
                    continue
                node = root
                for key, cased, hyphen in path:
                    k = "-" + key if hyphen else key
                    children = node[CASED] if cased else node[LOWER]
                    child = children.get(k)
                    if child is None:
                        child = children[k] = new_node()
                        if cased and key.upper() != key:
                            children.setdefault(("-" if hyphen else "") + key.upper(), child)
                    node = child
                if node[OUTPUT] is None:
                    node[OUTPUT] = []
                for c in outputs:
                    if c not in node[OUTPUT]:
                        node[OUTPUT].append(c)
                placed.append((e, path, node[OUTPUT]))
    implied: dict[str, set[str]] = {}
    unlike: dict[str, set[str]] = {}
    for e in entries:
        if e.concept != "-":
            implied.setdefault(e.concept, set()).update(e.also)
            unlike.setdefault(e.concept, set()).update(e.unlike)
    begun = [
        (e, out, _begun_terms(root, path, parties))
        for e, path, out in placed
        if out and len(path) > 2 and e.concept not in parties
    ]  # all read before any is added: a form begins with a term, not with what that begins with
    for e, out, concepts in begun:
        for c, words in concepts:
            if c not in unlike[e.concept] and c not in out:
                out.append(BegunTerm.of(c, words))
                implied[e.concept].add(c)
    root = _freeze(root)
    ambiguous = [(name, path, tuple(out)) for name, path, out in ambiguous]
    return root, max_words, parties, ambiguous, {
        c: frozenset(also) for c, also in implied.items() if also
    }, {c: frozenset(refused) for c, refused in unlike.items() if refused}


def _path_words(path: list) -> tuple[tuple[str, bool], ...]:
    """A form's path as its words in lower case (and their hyphens): two forms differing only
    in case name the same words."""
    return tuple((key.lower(), hyphen) for key, _cased, hyphen in path)


def _user_forms(entries: Sequence[Entry]) -> dict[tuple, set[str]]:
    """The forms the user's files (not the built-in ones) list, by their words, with the
    concepts they give them: a built-in entry's form that a user gives to another concept
    is left out, so ``home_office<TAB>Home Office`` makes "Home Office" the user's concept
    alone, and ``-<TAB>Home Office`` makes it no concept (the user's line is the last word on
    what its forms mean; a user's form given to the built-in concept adds up as usual)."""
    taken: dict[tuple, set[str]] = {}
    for e in entries:
        if not e.source.startswith(BUILTIN_SOURCE):
            for form in e.forms:
                for path in _form_paths(form):
                    taken.setdefault(_path_words(path), set()).add(e.concept)
    return taken


def _begun_terms(root: list, path: list, parties: Mapping[str, str]) -> list[tuple[str, int]]:
    """The concepts of the forms of two or more words that the form ``path`` begins with,
    short of its whole, with the number of words of each: "general election campaign"
    begins with "general election" (2).

    A text writing the longer form names the shorter term, then says more about it (its
    campaign, its Act, its levy), so the index holds that term there too and a search for
    ``"general election"`` finds "the general election campaign". Only where the longer form
    begins: a term it ends with is what it narrows to another thing (a shadow home secretary
    is not the Home Secretary, the Irish Labour Party not Labour). A term tagging a party is
    left to that party's own forms, and a party's own name yields no other term (the caller
    skips those); an entry refuses one with ``-concept`` in its ``also`` column."""
    out: list[tuple[str, int]] = []
    states = [root]
    for i, (key, cased, hyphen) in enumerate(path[:-1]):
        linked = hyphen and i > 0  # a hyphen the text has: keys with or without it match
        low = key.lower()
        new = []
        for n in states:
            keys = [(n[LOWER], low)] + ([(n[CASED], key)] if cased else [])
            for children, k in keys:
                for probe in (k, "-" + k) if linked else (k,):
                    child = children.get(probe)
                    if child is not None and all(child is not m for m in new):
                        new.append(child)
        states = new
        if not states:
            break
        if i:
            for n in states:
                concepts = n[OUTPUT]
                if concepts and not any(c in parties for c in concepts):
                    out += [(c, i + 1) for c in concepts if all(c != o for o, _ in out)]
    return out


def ambiguous_starts(
    ambiguous: Sequence[tuple], context: Mapping[str, frozenset[str]], strict: list
) -> tuple[Mapping, Mapping]:
    """First word keys of the ambiguous forms some text can confirm (caseless,
    case-sensitive) -> their concepts.

    A form is confirmed by a concept of its context that the plain reading (the ``strict``
    trie, no ambiguous form) finds; a concept with no such concept in its context (a query's
    only form: "!by election") is never confirmed, so its first words ("by") need no look
    at the text's context: they read as the plain reading reads them.
    """
    plain = _trie_concepts(strict)
    lower: dict[str, set[str]] = {}
    cased: dict[str, set[str]] = {}
    for concept, path, _outputs in ambiguous:
        if context[concept].isdisjoint(plain):
            continue
        key, is_cased, _hyphen = path[0]
        if is_cased:
            cased.setdefault(key, set()).add(concept)
            cased.setdefault(key.upper(), set()).add(concept)
        else:
            lower.setdefault(key, set()).add(concept)
    return (
        MappingProxyType({k: frozenset(v) for k, v in lower.items()}),
        MappingProxyType({k: frozenset(v) for k, v in cased.items()}),
    )


def _trie_concepts(root: list) -> set[str]:
    """Every concept a node of the trie ``root`` outputs."""
    out: set[str] = set()
    stack = [root]
    seen: set[int] = set()
    while stack:
        node = stack.pop()
        if id(node) in seen:  # (an upper-case key shares its node with the cased one)
            continue
        seen.add(id(node))
        out.update(node[OUTPUT] or ())
        stack.extend(node[LOWER].values())
        stack.extend(node[CASED].values())
    return out


def compile_context(
    raw: Raw, ambiguous: Sequence[tuple]
) -> tuple[dict[str, frozenset[str]], dict[str, frozenset[str]]]:
    """Each ambiguous concept -> the concepts that confirm it (itself, and its [context] line
    with group names expanded), and -> the concepts that rule it out (the line's ``-`` items,
    expanded: a text naming one of them reads the form as the word alone, whatever confirms
    it). A line names an ambiguous concept or a group (a name that is no concept); its items
    are concepts or groups; only an ambiguous concept's own line rules anything out."""
    concepts = {c for e in raw.entries if e.concept != "-" for c in (e.concept, *e.also)}
    targets = {c for c, _p, _o in ambiguous}
    lines: dict[str, set[str]] = {}
    against: dict[str, set[str]] = {}
    for name, items, source, line in raw.context:
        ruled = {item[1:] for item in items if item.startswith("-")}
        if (name in concepts and name not in targets) or (ruled and name not in targets):
            raise LexiconError(
                f"{source}, line {line}: [context] line for {name!r}, a concept without "
                "ambiguous ('?') forms (a group name must not be a concept, and only an "
                "ambiguous concept's line can rule a sense out with '-')"
            )
        lines.setdefault(name, set()).update(i for i in items if not i.startswith("-"))
        against.setdefault(name, set()).update(ruled)
    for _name, items, source, line in raw.context:
        for item in (i.removeprefix("-") for i in items):
            if item not in concepts and item not in lines:
                raise LexiconError(
                    f"{source}, line {line}: [context] item {item!r} is neither a concept "
                    "nor a group named in [context]"
                )

    def expand(name: str, seen: set[str]) -> set[str]:
        out: set[str] = set()
        for item in lines.get(name, ()):
            if item in concepts:
                out.add(item)
            elif item not in seen:
                seen.add(item)
                out |= expand(item, seen)
        return out

    context = {c: frozenset({c} | expand(c, {c})) for c in sorted(targets)}
    unless = {
        c: frozenset().union(*({i} if i in concepts else expand(i, {i}) for i in items)) - {c}
        for c, items in sorted(against.items()) if items
    }
    return context, {c: out for c, out in unless.items() if out}


#: the children of every node of a frozen trie that has none, one dict for all: a frozen trie
#: is only read (``with_paths`` writes to copies), and the compiled lexicon then unpickles one
#: empty dict where it made ~20,000 (a third of its loading time)
_NO_CHILDREN: dict = {}


def _freeze(root: list) -> list:
    """``root``'s trie frozen, in place: each output a tuple, every childless slot
    :data:`_NO_CHILDREN`, and the nodes that are alike (the same children under the same
    words, in the same order, and the same output) one node, their outputs and words one
    object each. A frozen trie is only read, so nothing tells them apart; the ~9,400 forms'
    last nodes are ~1,500 outputs, and the trie's ~13,200 nodes ~4,700, which the compiled
    lexicon's cache reads in ~40% fewer instructions (callgrind, its two tries: ~23M ->
    ~14M)."""
    alike: dict[tuple, list] = {}  # (children, output) -> the one node
    outputs: dict[tuple, tuple] = {}
    words: dict[str, str] = {}
    done: dict[int, list] = {}  # id of a node -> its frozen node

    def frozen(node: list) -> list:
        found = done.get(id(node))  # (an upper-case key shares its node with the cased one)
        if found is not None:
            return found
        shape = []
        for slot in (LOWER, CASED):
            was = node[slot]
            children = {words.setdefault(k, k): frozen(c) for k, c in was.items()}
            if slot == CASED:
                _keep_apart(was, children)
            node[slot] = children or _NO_CHILDREN
            shape.append(tuple((k, id(c)) for k, c in children.items()))
        out = node[OUTPUT]
        if out is not None:
            said = tuple((t, getattr(t, "words", None)) for t in out)
            out = node[OUTPUT] = outputs.setdefault(said, tuple(
                words.setdefault(t, t) if type(t) is str else t for t in out))
            shape.append(said)
        one = done[id(node)] = alike.setdefault(tuple(shape), node)
        return one

    return frozen(root)


def _keep_apart(was: dict, children: dict) -> None:
    """Keep which case-sensitive words share a node with their ALL-CAPS key (``with_paths``
    gives the capitals a word's new node only where they share it, by identity) as it was
    before alike nodes became one: where a word that had a node of its own (``ALevel`` beside
    ``Alevel``'s ``ALEVEL``) now shares the capitals' node, the capitals and the words that
    shared it take a copy of it (its children and output shared)."""
    groups: dict[str, list[str]] = {}
    for key in was:
        up = key.upper()
        if up != key and up in was:
            groups.setdefault(up, []).append(key)
    for up, keys in groups.items():
        if any(children[k] is children[up] for k in keys if was[k] is not was[up]):
            apart = list(children[up])
            for k in (up, *(k for k in keys if was[k] is was[up])):
                children[k] = apart


def _attach(base: str, suffix: str) -> str:
    if suffix and suffix[0] in "aeiouy" and base.endswith("e"):
        return base[:-1] + suffix
    return base + suffix


def compile_spelling(raw: Raw) -> tuple[dict[str, str], dict[str, str]]:
    table: dict[str, str] = {}
    prefixable: dict[str, str] = {}
    for am, br, _src, _line in raw.spelling:
        table[am] = br
        if not am.endswith("s"):
            table.setdefault(am + "s", br + "s")
    for am, br, _src, _line in raw.base:
        for suffix in DERIVATIONAL_SUFFIXES:
            a, b = _attach(am, suffix), _attach(br, suffix)
            if a != b:
                table.setdefault(a, b)
                if len(a) >= 5:
                    prefixable.setdefault(a, b)
    # a British spelling is never respelled: "math"'s automatic plural had respelled the
    # British "maths" "mathss"
    for word in (*raw.keep, *table.values()):
        table.pop(word, None)
        prefixable.pop(word, None)
    return table, prefixable
