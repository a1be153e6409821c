"""The local web page (``corpus-search web``; the ``web`` extra): search, read, see every
place in context and count, in a browser, over the same public functions the CLI calls."""

from corpus_search.web.app import create_app
from corpus_search.web.serving import (
    IndexCopies,
    make_server,
    open_to_others,
    serve_until_stopped,
)

__all__ = ["IndexCopies", "create_app", "make_server", "open_to_others", "serve_until_stopped"]
