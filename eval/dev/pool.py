"""Build the judging pools of the held-out development collection (``eval/dev``).

Kept so the pools can be rebuilt and checked; it is not part of the product and is never used to
tune it. For every topic in ``topics.tsv`` the pool is the union of

* the top ``DEPTH`` (20) documents of every engine in ``ENGINES`` (the evaluation's comparison
  engines plus corpus_search itself) for the topic's query and the rephrasings in
  ``REPHRASINGS``, written when the topics were drawn and before any engine was run; and
* documents matching every regular expression of the topic's entry in ``VARIANTS`` (the key
  variants of the need, searched in title and body), most matches first, at most ``REGEX_CAP``
  of them beyond what the engines already pooled.

Documents are read exactly as ``corpus-search eval`` reads them (``load_corpus``), so ids match
the qrels: ``politics/001`` for the BBC corpus, ``seeds/<stem>`` for the seeds.

Usage (from the repository root, with the ``bench`` extra installed)::

    python eval/dev/pool.py ../shared/corpora/bbc ../shared/seeds > /tmp/pools.json

The output maps each qid to ``{docid: [source, ...]}`` where a source is
``engine:query-number:rank`` or ``regex:matches``.
"""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path

from corpus_search.evaluation.collection import load_corpus, load_topics
from corpus_search.evaluation.engines import make_engine

DEPTH = 20
REGEX_CAP = 30
ENGINES = ("bm25s", "sqlite_fts5", "tantivy", "whoosh", "corpus_search")

REPHRASINGS: dict[str, list[str]] = {
    "D-A01": ["BNP", "BNP Nick Griffin"],
    "D-A02": ["Freedom of Information Act", "freedom of information records deleted"],
    "D-A03": ["TUC", "TUC report calls on government"],
    "D-A04": ["pensioners council tax refund", "council tax pensioners over-65s"],
    "D-A05": ["Conservative tax cuts £4bn", "Conservatives spending savings James review"],
    "D-A06": ["Liberal Democrats local income tax", "replace council tax with local income tax"],
    "D-A07": ["House of Lords reform", "elected Lords peers reform"],
    "D-A08": ["child access contact separated parents", "Fathers 4 Justice"],
    "D-B01": ["anti-terror bill control orders house arrest", "Prevention of Terrorism Bill"],
    "D-B02": ["childcare", "childcare places working parents"],
    "D-B03": ["pre-Budget report", "Brown pre-budget report forecasts"],
    "D-B04": ["24-hour drinking", "pub opening hours licensing binge drinking"],
    "D-B05": ["Labour party posters", "Labour poster anti-Semitic Howard Fagin"],
    "D-B06": ["neighbourhood policing", "community support officers police reform"],
    "D-B07": ["Livingstone apologise", "Ken Livingstone Nazi jibe reporter"],
    "D-B08": ["party call centres voters", "cold calls voters telephone"],
    "D-B09": ["Dr Liam Fox Conservative co-chairman", "Tory co-chairman Fox"],
    "D-B10": ["Robin Cook former foreign secretary", "Mr Cook"],
    "D-B11": ["Ed Balls Treasury adviser", "Balls Brown adviser"],
    "D-B12": ["Foreign Secretary Jack Straw", "Mr Straw"],
    "D-B13": ["Charles Kennedy Iraq", "Kennedy Lib Dem Iraq war"],
    "D-B14": ["Ruth Kelly", "Education Secretary Ruth Kelly"],
    "D-B15": ["Alan Milburn", "Milburn Labour election campaign"],
    "D-B16": ["Patricia Hewitt", "Trade and Industry Secretary Hewitt"],
    "D-C01": ["hunting with dogs ban", "Hunting Act hunts"],
    "D-C02": ["Guantanamo Britons released", "Guantanamo Begg Mubanga"],
    "D-C03": ["software patent directive European Parliament", "computer implemented inventions"],
    "D-C04": ["tsunami relief government", "tsunami debt moratorium"],
    "D-C05": ["Howard Flight deselected", "Conservative candidate quits deselection"],
    "D-C06": ["donations to political parties", "party funding donors Electoral Commission"],
    "D-C07": ["MP to stand down at next election", "retire as MP"],
    "D-C08": ["Labour spring conference Gateshead", "Labour conference speech"],
    "D-C09": ["golden rule Brown", "fiscal rules borrowing economic cycle"],
    "D-C10": ["Labour third term", "third term in power"],
    "D-C11": ["climate change", "global warming Kyoto"],
    "D-C12": ["retirement age", "pension age 65"],
}

# Every pattern of a topic must match (case-insensitive unless the pattern says otherwise).
VARIANTS: dict[str, list[str]] = {
    "D-A01": [r"\bBNP\b|British National Party"],
    "D-A02": [r"\bFOI\b|Freedom of Information"],
    "D-A03": [r"\bTUC\b|Trades Union Congress"],
    "D-A04": [r"\bOAPs?\b|pensioner|over-65|older (people|voters)", r"council tax"],
    "D-A05": [r"\bTor(y|ies)\b|Conservative", r"tax cuts?|cut taxes"],
    "D-A06": [r"local income tax"],
    "D-A07": [
        r"Lords reform|reform(ing)? (of )?the (House of )?Lords|upper (house|chamber)"
        r"|second chamber|elected (peers|Lords|senate)"
    ],
    "D-A08": [r"child access|access to (their )?children|contact orders?|Fathers 4 Justice"],
    "D-B01": [r"anti-?terror|control orders?|house arrest|Prevention of Terrorism"],
    "D-B02": [r"child ?care|child-care"],
    "D-B03": [r"pre-?budget"],
    "D-B04": [
        r"24[- ]hour (drinking|opening|licen)|24-drinking|licensing (laws?|act|hours)"
        r"|opening hours|binge drinking"
    ],
    "D-B05": [r"\bLabour", r"posters?"],
    "D-B06": [r"neighbou?rhood polic|community support officers?|\bCSOs?\b|police commissioners?"],
    "D-B07": [r"Livingstone"],
    "D-B08": [r"call cent(re|er)|cold[- ]call"],
    "D-B09": [r"(?-i:Liam Fox|Dr Fox)"],
    "D-B10": [r"(?-i:Robin Cook|Mr Cook)"],
    "D-B11": [r"(?-i:Ed Balls|Mr Balls)"],
    "D-B12": [r"(?-i:Jack Straw|Mr Straw)"],
    "D-B13": [r"(?-i:Kennedy)", r"Iraq"],
    "D-B14": [r"(?-i:Ruth Kelly|Ms Kelly|Miss Kelly|Mrs Kelly)"],
    "D-B15": [r"(?-i:Milburn)"],
    "D-B16": [r"(?-i:Patricia Hewitt|Ms Hewitt)"],
    "D-C01": [r"hunting with dogs|hunt(ing)? ban|Hunting Act|Countryside Alliance|fox hunt"],
    "D-C02": [r"Guantanamo"],
    "D-C03": [r"software patent|computer[- ]implemented inventions|patent (law|directive)"],
    "D-C04": [r"tsunami", r"\baid\b|relief|debt"],
    "D-C05": [r"de-?select|Howard Flight|Mr Flight|Kruger|Sayeed"],
    "D-C06": [r"donation|donor|war chest"],
    "D-C07": [
        r"stand(ing|s)? down (at|as|from)|not (to )?stand again|step(ping|s)? down (at|as an? MP)"
        r"|retir\w+ (at|from) the (next )?(general )?election"
    ],
    "D-C08": [r"spring conference|Gateshead"],
    "D-C09": [r"golden rule|fiscal rules?"],
    "D-C10": [r"third term"],
    "D-C11": [r"climate change|global warming|Kyoto|greenhouse gas"],
    "D-C12": [r"retirement age|pension age|retire at 65|forced retirement"],
}


def regex_pool(documents, patterns: list[str]) -> list[tuple[str, int]]:
    """Documents matching every pattern, with their total match count, most matches first."""
    compiled = [re.compile(p, re.IGNORECASE) for p in patterns]
    found = []
    for doc in documents:
        text = f"{doc.title}\n{doc.body}"
        counts = [len(c.findall(text)) for c in compiled]
        if all(counts):
            found.append((doc.id, sum(counts)))
    return sorted(found, key=lambda pair: (-pair[1], pair[0]))


def build_pools(bbc: str, seeds: str, topics_path: Path) -> dict[str, dict[str, list[str]]]:
    """Pool every topic of ``topics_path`` over the BBC corpus and the seeds."""
    corpus = load_corpus([f"={bbc}", f"seeds={seeds}"])
    topics = load_topics(topics_path)
    pools: dict[str, dict[str, list[str]]] = {t.qid: {} for t in topics}
    for name in ENGINES:
        engine = make_engine(name)
        try:
            engine.build(corpus.documents)
            for topic in topics:
                queries = [topic.query, *REPHRASINGS.get(topic.qid, [])]
                for number, query in enumerate(queries):
                    for rank, doc_id in enumerate(engine.search(query, DEPTH), start=1):
                        pools[topic.qid].setdefault(doc_id, []).append(f"{name}:{number}:{rank}")
        finally:
            engine.close()
        print(f"{name}: done", file=sys.stderr)
    for topic in topics:
        added = 0
        for doc_id, matches in regex_pool(corpus.documents, VARIANTS.get(topic.qid, [])):
            pool = pools[topic.qid]
            if doc_id in pool:
                pool[doc_id].append(f"regex:{matches}")
            elif added < REGEX_CAP:
                pool[doc_id] = [f"regex:{matches}"]
                added += 1
    return pools


def main() -> int:
    bbc, seeds = sys.argv[1], sys.argv[2]
    topics_path = Path(__file__).with_name("topics.tsv")
    json.dump(build_pools(bbc, seeds, topics_path), sys.stdout, indent=1)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
