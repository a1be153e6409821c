"""CPU of writing a BBC segment (``BulkSegmentWriter._flush_segment``), the analysis left
out: ``capture`` keeps the fields of the BBC documents as ``corpus-search index`` makes them
(one process); ``bench N`` then builds a fresh index N times through the same command from
those fields and prints the minimum and median CPU seconds of adding them and of the
segment's writing. Run it with ``PYTHONPATH`` of each version in turn to compare them.

    python benchmarks/writer_flush.py capture /tmp/fields.pkl
    PYTHONPATH=/tmp/base/src python benchmarks/writer_flush.py bench /tmp/fields.pkl 2
    PYTHONPATH=src python benchmarks/writer_flush.py bench /tmp/fields.pkl 2
"""

from __future__ import annotations

import contextlib
import pickle
import shutil
import sys
import tempfile
import time
from pathlib import Path

import corpus_search.indexing as indexing
from corpus_search import cli
from corpus_search.store import writer

BBC = str(Path(__file__).resolve().parents[1] / ".." / "shared" / "corpora" / "bbc")


def main(mode: str, store: str, reps: int = 1) -> None:
    times: dict[str, list[float]] = {"add": [], "flush": []}
    if mode == "capture":
        def add_all(w, items, to_fields, procs, **_kw):
            fields = [to_fields(i) for i in items]
            Path(store).write_bytes(pickle.dumps(fields))
            for f in fields:
                w.add_document(**f)
            return len(fields)
    else:
        captured = pickle.loads(Path(store).read_bytes())

        def add_all(w, items, to_fields, procs, **_kw):
            t = time.process_time()
            for f in captured:
                w.add_document(**f)
            times["add"].append(time.process_time() - t)
            return len(captured)

        flush = writer.BulkSegmentWriter._flush_segment

        def timed_flush(self):
            t = time.process_time()
            flush(self)
            times["flush"].append(time.process_time() - t)

        writer.BulkSegmentWriter._flush_segment = timed_flush
    indexing.add_all = add_all
    for _ in range(reps):
        out = tempfile.mkdtemp()
        shutil.rmtree(out)
        with contextlib.suppress(SystemExit):
            cli.cli.main(["index", BBC, "--index", out, "--procs", "1"], standalone_mode=False)
        shutil.rmtree(out, ignore_errors=True)
    for name, values in times.items():
        if values:
            values.sort()
            print(f"{name} min {values[0]:.3f} median {values[len(values) // 2]:.3f}")


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2], int(sys.argv[3]) if len(sys.argv) > 3 else 1)
