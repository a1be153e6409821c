"""Evaluation reports: the plain-text tables ``corpus-search eval`` prints and the markdown
report (docs/relevance.md), the party-tag section included.
"""

from __future__ import annotations

import math
import statistics
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from corpus_search.evaluation.collection import parse_corpus_arg
from corpus_search.evaluation.cross_validation import CrossValidation
from corpus_search.evaluation.run import NOT_IN_DOCS_TEST, PARTY_TAG_TARGET, EvaluationReport

if TYPE_CHECKING:
    from corpus_search.evaluation.tagging import TagQuality


__all__ = [
    "format_table",
    "measure_party_tags",
    "party_tag_section",
    "write_markdown_report",
]


def _fmt(value: float) -> str:
    return "-" if math.isnan(value) else f"{value:.3f}"


def _text_table(header: list[str], rows: list[list[str]]) -> str:
    widths = [max(len(r[i]) for r in [header, *rows]) for i in range(len(header))]

    def line(cells: list[str]) -> str:
        first = cells[0].ljust(widths[0])
        rest = [c.rjust(w) for c, w in zip(cells[1:], widths[1:], strict=True)]
        return "  ".join([first, *rest]).rstrip()

    rule = "  ".join("-" * w for w in widths)
    return "\n".join([line(header), rule, *(line(r) for r in rows)])


def format_table(report: EvaluationReport) -> str:
    """Plain-text tables for a terminal: overall scores, then the main measure by category."""
    overall = report.overall
    header = ["engine", *report.measures, "build s", "query ms"]
    rows = [
        [
            engine,
            *(_fmt(overall[engine][m]) for m in report.measures),
            f"{report.timings[engine]['build_seconds']:.1f}",
            f"{report.timings[engine]['query_ms_mean']:.1f}",
        ]
        for engine in report.engines
    ]
    parts = [
        f"{len(report.topics)} topics, {report.collection.get('documents', '?')} documents",
        _text_table(header, rows),
    ]
    by_category = report.by_category
    main = report.main_measure
    counts = {c: sum(t.category == c for t in report.topics) for c in report.categories}
    cat_rows = [
        [f"{c} ({counts[c]})", *(_fmt(by_category[e][c][main]) for e in report.engines)]
        for c in report.categories
    ]
    parts += ["", f"{main} by category", _text_table(["category", *report.engines], cat_rows)]
    cv = report.cross_validation
    if cv is not None:
        parts += [
            "",
            f"{cv.measure} of {report.reference}, {len(cv.folds)}-fold cross-validation: "
            f"held-out {_fmt(cv.mean(cv.held_out))}, in-sample {_fmt(cv.mean(cv.in_sample))}, "
            f"defaults {_fmt(cv.mean(cv.baseline))}",
            "chosen on all topics: " + ", ".join(f"{k}={v:g}" for k, v in cv.chosen.items()),
        ]
    if report.skipped:
        parts += ["", *(f"skipped {name}: {why}" for name, why in report.skipped.items())]
    if report.notes:
        parts += ["", *(f"note: {note}" for note in report.notes)]
    return "\n".join(parts)


def _md_table(header: list[str], rows: list[list[str]], text_columns: int = 1) -> list[str]:
    """A markdown table: the first ``text_columns`` columns left-aligned, numbers right."""
    rule = ["---" if i < text_columns else "---:" for i in range(len(header))]
    return ["| " + " | ".join(cells) + " |" for cells in [header, rule, *rows]]


def _bold_best(values: list[float]) -> list[str]:
    finite = [v for v in values if not math.isnan(v)]
    best = max(finite) if finite else math.nan
    return [f"**{_fmt(v)}**" if v == best else _fmt(v) for v in values]


def _top(report: EvaluationReport, engine: str, qid: str, n: int = 5) -> str:
    grades = report.relevant.get(qid, {})
    ids = report.runs.get(engine, {}).get(qid, [])[:n]
    return ", ".join(f"{doc_id} ({grades.get(doc_id, '?')})" for doc_id in ids) or "(nothing)"


def _targets(report: EvaluationReport, margin: float, held_out_target: float) -> list[str]:
    ref, main = report.reference, report.main_measure
    others = [e for e in report.engines if e != ref]
    if ref not in report.engines or not others:
        return []
    overall = report.overall
    best_other = max(others, key=lambda e: overall[e][main])
    gain = overall[ref][main] - overall[best_other][main]
    ok = "met" if gain >= margin else "not met"
    lines = [
        f"- Overall {main}: {ref} {_fmt(overall[ref][main])} vs best other engine "
        f"{best_other} {_fmt(overall[best_other][main])}: gain {gain:+.3f} "
        f"(target >= +{margin:.2f}: **{ok}**).",
    ]
    cv = report.cross_validation
    if cv is not None:
        held_out = cv.mean(cv.held_out)
        ok = "met" if held_out >= held_out_target else "not met"
        lines.append(
            f"- Cross-validated held-out {cv.measure} of {ref}: {_fmt(held_out)} "
            f"(target >= {held_out_target:.2f}: **{ok}**)."
        )
    behind, held_behind = [], []  # (in-sample; held out, the estimate for unseen topics)
    by_category = report.by_category
    for category in report.categories:
        ours = by_category[ref][category][main]
        leader = max(others, key=lambda e: by_category[e][category][main])
        theirs = by_category[leader][category][main]
        if ours < theirs:
            behind.append(f"{category} ({leader} {_fmt(theirs)} vs {_fmt(ours)})")
        if cv is not None and (held := cv.mean(cv.held_out, category)) < theirs:
            held_behind.append(f"{category} ({leader} {_fmt(theirs)} vs {_fmt(held)})")
    if behind:
        lines.append(
            f"- Categories where {ref} is below the best other engine: " + "; ".join(behind) + "."
        )
    else:
        lines.append(f"- {ref} is not below the best other engine in any category.")
    if held_behind:  # (the other engines are not tuned: their figures are held out as they are)
        lines.append("- Held out, categories below the best other engine: "
                     + "; ".join(held_behind) + ".")
    return lines


_ENGINE_SETUP = [
    "- `corpus_search`: this library (`CorpusIndex`, default analyzer and lexicon, "
    "relevance order).",
    "- `whoosh`: stock Whoosh, `StemmingAnalyzer` on title and body, BM25F, `MultifieldParser` "
    "with title boost 2 and Whoosh's default AND grouping.",
    "- `tantivy`: `en_stem` tokenizer, `parse_query` over title and body (OR), title boost 2.",
    "- `sqlite_fts5`: `tokenize='porter unicode61'`, the query's words quoted and OR-ed, "
    "`bm25(fts, title 2, body 1)`.",
    "- `bm25s`: PyStemmer English, English stop words, title and body concatenated.",
]


def _cross_validation_section(cv: CrossValidation, engine: str) -> list[str]:
    """The report's cross-validation section: held-out and in-sample means, overall and by
    category, the ablations, and the parameters chosen."""
    k = len(cv.folds)
    out = [
        "## Cross-validated ranking parameters",
        "",
        f"`{engine}`'s query-time ranking parameters are chosen by grid search scored by {k}-fold"
        f" cross-validation over these topics (folds stratified by category, seed {cv.seed}):"
        " the index is built once, every grid point is run on every topic, and each topic's"
        " held-out value comes from the point that is best on the other folds (ties to the"
        " earliest point). **The held-out mean is the estimate for unseen topics.** The"
        " in-sample mean uses the point best on all topics, which is what `Ranking` ships with;"
        " the tables above are in-sample figures. The next columns rerun that point without the"
        " coverage factor, without the proximity bonus, and without either (plain BM25F over"
        " concepts); the last runs the defaults the report was made with.",
        "",
    ]
    labels = list(cv.ablations)

    def row(name: str, category: str | None) -> list[str]:
        return [
            name,
            _fmt(cv.mean(cv.held_out, category)),
            _fmt(cv.mean(cv.in_sample, category)),
            *(_fmt(cv.mean(cv.ablations[label], category)) for label in labels),
            _fmt(cv.mean(cv.baseline, category)),
        ]

    categories = list(dict.fromkeys(cv.categories.values()))
    counts = {c: sum(v == c for v in cv.categories.values()) for c in categories}
    rows = [row("**all topics**", None), *(row(f"{c} ({counts[c]})", c) for c in categories)]
    out += _md_table(["topics", "held-out", "in-sample", *labels, "defaults"], rows)
    names = list(cv.grid)
    out += ["", *_repeated_line(cv),
        f"All figures are {cv.measure}. Grid (`Ranking` field: values tried): "
        + "; ".join(f"`{n}` {', '.join(f'{v:g}' for v in cv.grid[n])}" for n in names)
        + ".", ""]
    choice_rows = [
        [f"fold {i} ({len(fold)} topics)", *(f"{cv.fold_choices[i - 1][n]:g}" for n in names)]
        for i, fold in enumerate(cv.folds, start=1)
    ]
    choice_rows.append(["**all topics (shipped)**", *(f"**{cv.chosen[n]:g}**" for n in names)])
    out += _md_table(["chosen on", *(f"`{n}`" for n in names)], choice_rows)
    return out


def _repeated_line(cv: CrossValidation) -> list[str]:
    """How far the held-out mean moves with the split of the topics into folds alone."""
    if len(cv.repeated) < 2:
        return []
    means = cv.repeated
    return [
        f"Over {len(means)} further splits into {len(cv.folds)} folds (seeds"
        f" {cv.seed + 1} to {cv.seed + len(means)}) of the same grid values, the held-out mean"
        f" is {_fmt(statistics.mean(means))} (sd {_fmt(statistics.stdev(means))},"
        f" {_fmt(min(means))} to {_fmt(max(means))}): the split alone moves the"
        " figure above by that much, so a difference smaller than that between two rankings"
        " is no evidence.",
        "",
    ]


def _collection_line(report: EvaluationReport) -> list[str]:
    coll = report.collection
    if not coll:
        return []
    return [
        f"Collection: {coll.get('documents', '?')} documents from "
        + ", ".join(f"`{d}`" for d in coll.get("corpus_dirs", []))
        + f"; {len(report.topics)} topics (`{coll.get('topics_path', '')}`), qrels "
        f"`{coll.get('qrels_path', '')}`.",
        "",
    ]


def _overall_section(report: EvaluationReport, heading: str) -> list[str]:
    overall = report.overall
    out = [f"{heading} Overall", ""]
    columns = {m: _bold_best([overall[e][m] for e in report.engines]) for m in report.measures}
    rows = [
        [
            f"`{e}`",
            *(columns[m][i] for m in report.measures),
            f"{report.timings[e]['build_seconds']:.1f}",
            f"{report.timings[e]['query_ms_mean']:.1f}",
        ]
        for i, e in enumerate(report.engines)
    ]
    out += _md_table(["engine", *report.measures, "index s", "query ms"], rows)
    return out


def _category_section(report: EvaluationReport, heading: str) -> list[str]:
    by_category = report.by_category
    out = [f"{heading} By category", ""]
    counts = {c: sum(t.category == c for t in report.topics) for c in report.categories}
    for measure in report.measures:
        out += [f"{heading}# {measure}", ""]
        rows = [
            [
                f"{c} ({counts[c]})",
                *_bold_best([by_category[e][c][measure] for e in report.engines]),
            ]
            for c in report.categories
        ]
        out += _md_table(["category (topics)", *(f"`{e}`" for e in report.engines)], rows)
        out.append("")
    return out


def _worst_section(report: EvaluationReport, heading: str, worst: int) -> list[str]:
    main, ref = report.main_measure, report.reference
    out = [f"{heading} Worst queries of `{ref}`", ""]
    worst_list = report.worst_queries(worst)
    if ref not in report.engines:
        return [*out, f"`{ref}` was not evaluated in this run.", ""]
    if not worst_list:
        return [*out, f"`{ref}` is not behind another engine on any topic by {main}.", ""]
    out += [
        f"Topics where `{ref}` trails the best other engine most by {main} (negative Δ)."
        f' "first rel" is the rank of `{ref}`\'s first relevant result (– if none in its'
        " top 100).",
        "",
    ]
    rows = []
    for w in worst_list:
        first = report.first_relevant_rank(ref, w.topic.qid)
        rows.append(
            [
                w.topic.qid,
                f"`{w.topic.query}`",
                w.topic.category,
                *_bold_best([w.values[e] for e in report.engines]),
                f"{w.delta:+.3f}",
                "–" if first is None else str(first),
            ]
        )
    out += _md_table(
        ["qid", "query", "category", *(f"`{e}`" for e in report.engines), "Δ", "first rel"],
        rows,
        text_columns=3,
    )
    out += [
        "",
        "Top five of each side, as `doc id (grade)`; `?` marks an unjudged document:",
        "",
    ]
    for w in worst_list:
        out.append(f"- {w.topic.qid} `{w.topic.query}`")
        for engine in (ref, w.best_engine):
            out.append(f"  - `{engine}`: {_top(report, engine, w.topic.qid)}")
    out.append("")
    return out


def _topics_section(report: EvaluationReport, heading: str) -> list[str]:
    main = report.main_measure
    out = [f"{heading} All topics", "", f"{main} per topic.", ""]
    rows = [
        [
            t.qid,
            f"`{t.query}`",
            t.category,
            *_bold_best([report.per_topic[e][t.qid][main] for e in report.engines]),
        ]
        for t in report.topics
    ]
    header = ["qid", "query", "category", *(f"`{e}`" for e in report.engines)]
    out += _md_table(header, rows, text_columns=3)
    if report.skipped or report.notes:
        out += ["", f"{heading} Notes", ""]
        out += [f"- skipped `{name}`: {why}" for name, why in report.skipped.items()]
        out += [f"- {note}" for note in report.notes]
    return out


def _introduction(command: str | None, held_out: bool) -> list[str]:
    """The report's title, what it measures, the engines, the command that regenerates it."""
    out = [
        "# Relevance evaluation",
        "",
        "<!-- Generated by corpus_search.evaluation.report.write_markdown_report;"
        " do not edit by hand."
        " -->",
        "",
        "How well corpus_search ranks, measured against the engines a user would pick instead,"
        " on the same documents and the same judged queries in one run. Every engine indexes"
        " the identical document list (read once by `corpus_search.ingest`) and receives the"
        " query exactly as a user typed it. Measures come from `ir-measures` on TREC qrels"
        " (grade >= 1 relevant; unjudged documents count as not relevant): nDCG@10 (main,"
        " graded), RR@10 (reciprocal rank of the first relevant document in the top 10; its"
        " mean is MRR@10) and R@100 (share of the relevant documents found in the top 100).",
        "",
        "Engines, each with its usual English setup:",
        "",
        *_ENGINE_SETUP,
        "",
    ]
    if command:
        out += ["Regenerate from the repository root with:", "", NOT_IN_DOCS_TEST, "```sh",
                command, "```", ""]
    if held_out:
        out += [
            "The first part measures the public collection, on whose topics the ranking"
            " parameters are chosen; [the second](#our-held-out-collection) measures our own"
            " held-out collection, built the same way and never tuned on.",
            "",
        ]
    return out


def _held_out_section(
    dev_report: EvaluationReport, ref: str, worst: int, target_margin: float,
    held_out_target: float,
) -> list[str]:
    """The same tables for the team's own held-out collection."""
    out = [
        "",
        "## Our held-out collection",
        "",
        f"The same engines and tables on the team's own relevance collection"
        f" ({len(dev_report.topics)} topics, `eval/dev/README.md` says how it was drawn"
        " and judged): built the same way as the public one, and **never used to choose"
        " anything** (parameters, lexicon entries or tests), so it tells how the ranking"
        f" does on queries nobody tuned it for. `{ref}` runs with the parameters chosen"
        " on the public topics above.",
        "",
        *_collection_line(dev_report),
        *_overall_section(dev_report, "###"),
        "",
    ]
    dev_targets = _targets(dev_report, target_margin, held_out_target)
    if dev_targets:
        out += ["#### Targets", "", *dev_targets, ""]
    out += _category_section(dev_report, "###")
    out += _worst_section(dev_report, "###", worst)
    out += _topics_section(dev_report, "###")
    return out


def write_markdown_report(
    report: EvaluationReport,
    path: str | Path,
    command: str | None = None,
    worst: int = 10,
    target_margin: float = 0.10,
    party_tags: str | None = None,
    held_out_target: float = 0.88,
    dev_report: EvaluationReport | None = None,
) -> None:
    """Write the markdown report: setup, overall and per-category tables, the
    cross-validation of the ranking parameters (when the report has one), worst queries.

    ``party_tags`` is markdown for a "Party tags" section: the measured precision of the
    ``party`` field (see :func:`party_tag_section`); the section is left out without it.
    ``dev_report`` is the same evaluation on the team's own held-out collection (same
    documents, never used to choose parameters), reported in a section of its own with the
    same tables.
    """
    ref = report.reference
    out = _introduction(command, dev_report is not None)
    out += _collection_line(report)
    out += _overall_section(report, "##")
    out += [
        "",
        "Best value per measure in bold. Times are wall-clock on the machine that ran it; "
        "query ms is the mean of one run per topic fetching the top 100, on a searcher just "
        "opened (cold caches), so it is not the warm latency measured in "
        "[benchmarks.md](benchmarks.md).",
    ]
    targets = _targets(report, target_margin, held_out_target)
    if targets:
        out += ["", "### Targets", "", *targets]

    if report.cross_validation is not None:
        out += ["", *_cross_validation_section(report.cross_validation, ref)]

    out += ["", *_category_section(report, "##")]
    if party_tags:
        out += ["## Party tags", "", party_tags.strip(), ""]
    out += _worst_section(report, "##", worst)
    out += _topics_section(report, "##")

    if dev_report is not None:
        out += _held_out_section(dev_report, ref, worst, target_margin, held_out_target)
    Path(path).write_text("\n".join(out).rstrip() + "\n", encoding="utf-8")


def party_tag_section(quality: TagQuality, labels: str | Path, corpus: str | Path) -> str:
    """Markdown for the report's "Party tags" section: the precision and recall of the
    ``party`` facet on documents labelled by reading (see
    :func:`corpus_search.evaluation.tagging.party_tag_quality`), and where it disagrees."""
    given = quality.true_positives + quality.false_positives
    named = quality.true_positives + quality.false_negatives
    ok = "met" if quality.precision >= PARTY_TAG_TARGET else "not met"
    out = [
        f"The `party` facet (the parties each document names, see docs/analyzer.md) measured"
        f" on {quality.documents} documents of `{corpus}` labelled by reading (`{labels}`; its"
        " header says how they were drawn and labelled), counting (document, party) pairs:",
        "",
        f"- precision **{100 * quality.precision:.1f}%**: {quality.true_positives} of the"
        f" {given} tags given are right (target >= {100 * PARTY_TAG_TARGET:.0f}%: **{ok}**);",
        f"- recall **{100 * quality.recall:.1f}%**: {quality.true_positives} of the {named}"
        " parties the documents name are tagged.",
        "",
    ]
    if quality.disagreements:
        out += [
            f"The {len(quality.disagreements)} documents whose tags differ from the labels:",
            "",
        ]
        rows = [
            [f"`{d.doc_id}`", ", ".join(d.wrong) or "–", ", ".join(d.missed) or "–",
             d.note.replace("|", "/") or "–"]
            for d in quality.disagreements
        ]
        out += _md_table(["document", "wrong tags", "missed", "label note"], rows, 4)
    else:
        out.append("Every labelled document's tags agree with its labels.")
    return "\n".join(out)


def measure_party_tags(labels: str | Path, corpus_dirs: Sequence[str | Path]) -> str:
    """The "Party tags" section for ``labels`` (a labels file, see
    :mod:`corpus_search.evaluation.tagging`), measured on the first of ``corpus_dirs``
    (``DIR`` or ``PREFIX=DIR``) that holds every labelled document."""
    from corpus_search.evaluation.tagging import party_tag_quality, read_party_labels

    read = read_party_labels(labels)
    reasons = []
    for arg in corpus_dirs:
        _, root = parse_corpus_arg(arg)
        try:
            quality = party_tag_quality(root, read)
        except ValueError as exc:
            reasons.append(str(exc))
            continue
        return party_tag_section(quality, labels, root)
    raise ValueError(f"no corpus folder holds every document labelled in {labels}: "
                     + "; ".join(reasons))
