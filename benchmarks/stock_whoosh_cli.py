"""The baseline of the whole-process benchmarks: a plain stock-Whoosh indexing script.

What a user of Whoosh would write to index a folder of ``.txt`` articles, run as its own
process exactly as ``corpus-search index`` is::

    python benchmarks/stock_whoosh_cli.py FOLDER INDEX_DIR

It walks ``FOLDER`` (sorted, ``.txt`` files), reads each file (UTF-8, else cp1252), takes the
first non-empty line as the title and the rest as the body, and adds ``id`` / ``title`` /
``body`` with Whoosh's ``StemmingAnalyzer`` on title and body, in one process with one writer
(``limitmb=256``, as ``comparison.StockWhooshEngine``), then commits. Nothing else: no dates,
sources, boilerplate or parties; that is corpus_search's extra work, which the comparison
charges to corpus_search.
"""

from __future__ import annotations

import os
import sys


def read_text(path: str) -> str:
    with open(path, "rb") as fh:
        data = fh.read()
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.decode("cp1252", "replace")


def main(argv: list[str]) -> int:
    if len(argv) != 2:
        print("usage: stock_whoosh_cli.py FOLDER INDEX_DIR", file=sys.stderr)
        return 2
    folder, index_dir = argv
    from whoosh import fields
    from whoosh.analysis import StemmingAnalyzer
    from whoosh.filedb.filestore import FileStorage

    schema = fields.Schema(
        id=fields.ID(stored=True, unique=True),
        title=fields.TEXT(analyzer=StemmingAnalyzer(), stored=True),
        body=fields.TEXT(analyzer=StemmingAnalyzer()),
    )
    os.makedirs(index_dir, exist_ok=True)
    index = FileStorage(index_dir).create_index(schema)
    writer = index.writer(limitmb=256)
    count = 0
    for dirpath, dirnames, filenames in os.walk(folder):
        dirnames.sort()
        for name in sorted(filenames):
            if not name.endswith(".txt"):
                continue
            path = os.path.join(dirpath, name)
            lines = read_text(path).strip().splitlines()
            if not lines:
                continue
            doc_id = os.path.splitext(os.path.relpath(path, folder))[0]
            writer.add_document(id=doc_id, title=lines[0].strip(), body="\n".join(lines[1:]))
            count += 1
    writer.commit()
    print(f"{count} documents indexed in {index_dir}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
