"""``python -m corpus_search.cli``: the command, as the ``corpus-search`` entry point runs it
when no server serves it."""

from corpus_search.cli import main

if __name__ == "__main__":
    main()
