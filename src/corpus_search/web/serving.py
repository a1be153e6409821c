"""How the web page is served: a thread a request, each on an index of its own.

Requests are answered each in a thread of its own, so a slow count does not hold the page a
reader opens beside it. Threads sharing an opened index take turns reading it (a Whoosh
reader seeks and reads its segment files through one shared position: see
:meth:`corpus_search.CorpusIndex.guard`), so each request borrows an index of its own, to
be read in parallel: :class:`IndexCopies` lends the caller's and opens up to :data:`COPIES`
more of the same folders, each used by one request at a time.
"""

from __future__ import annotations

import contextlib
import ipaddress
import queue
import signal
import socketserver
import threading
import time
from collections.abc import Callable, Iterator
from typing import Any
from wsgiref.simple_server import WSGIRequestHandler, WSGIServer
from wsgiref.simple_server import make_server as wsgiref_server

__all__ = ["COPIES", "STOP_WAIT", "IndexCopies", "make_server", "open_to_others",
           "serve_until_stopped"]

#: requests that read the index at once, at most (each an opened index: on the BBC corpus
#: about 20 MB and 0.1 s more for its first search; a fifth request waits for one)
COPIES = 4
#: seconds a stopped page waits for the requests still running before it closes the indexes
STOP_WAIT = 5.0


def open_to_others(host: str) -> str | None:
    """What a page listening on ``host`` shows to other computers, as a note to its user, or
    ``None`` for this computer alone (a loopback address, ``localhost``): ``--host 0.0.0.0``
    served every document's text and file's path to the network, without a word said."""
    name = host.strip("[]").lower()
    try:
        local = ipaddress.ip_address(name).is_loopback
    except ValueError:
        local = name == "localhost"
    if local:
        return None
    return (f"the page listens on {host}, so other computers that can reach this one can read "
            "it too: the documents' text and the paths of their files, with no password asked.")


class IndexCopies:
    """An opened index lent to one request at a time: the caller's first, then up to ``most``
    in all, each another opening of the same index folders, made when every one made so far
    is in use."""

    def __init__(self, index: Any, most: int = COPIES) -> None:
        self.first = index
        self._reopen = _reopener(index)
        self._most = most if self._reopen is not None else 1
        self._free: queue.LifoQueue[Any] = queue.LifoQueue()  # (the warmest first)
        self._free.put(index)
        self._made = 1
        self._lock = threading.Lock()

    @contextlib.contextmanager
    def borrowed(self) -> Iterator[Any]:
        """An index no other request is using, for the ``with`` block."""
        try:
            index = self._free.get_nowait()
        except queue.Empty:
            index = self._another()
        try:
            yield index
        finally:
            self._free.put(index)

    def _another(self) -> Any:
        with self._lock:
            make = self._made < self._most and self._reopen is not None
            if make:
                self._made += 1
        if not make:
            return self._free.get()
        try:
            return self._reopen()  # (outside the lock: another request may borrow meanwhile)
        except BaseException:
            with self._lock:
                self._made -= 1
            raise

    def close(self, wait: float | None = None) -> None:
        """Close the indexes this opened (not the caller's, which its caller closes), once
        every request has given its index back or ``wait`` seconds (:data:`STOP_WAIT`) have
        gone; an index still in use then is left to the process's end rather than closed
        under its request. The caller's index is lent again afterwards."""
        deadline = time.monotonic() + (STOP_WAIT if wait is None else wait)
        with self._lock:
            made, self._made = self._made, self._most  # (none opened while closing)
        back = []
        for _ in range(made):
            try:
                back.append(self._free.get(timeout=max(0.0, deadline - time.monotonic())))
            except queue.Empty:
                break
        first_back = any(index is self.first for index in back)
        for index in back:
            if index is not self.first:
                index.close()
        with self._lock:
            self._made = made - len(back) + first_back
        if first_back:
            self._free.put(self.first)


def _reopener(index: Any) -> Callable[[], Any] | None:
    """How to open ``index`` again (the same folders, the same lock timeout), or ``None`` for
    an index of another kind, which its requests then take in turn."""
    from corpus_search.index import CorpusIndex
    from corpus_search.multi_index import MultiIndex

    if type(index) is CorpusIndex:
        return lambda: CorpusIndex.open(index.path, lock_timeout=index.lock_timeout)
    if type(index) is MultiIndex:
        paths = [part.path for part in index.indexes]
        return lambda: MultiIndex(paths, lock_timeout=index.indexes[0].lock_timeout)
    return None


class _QuietHandler(WSGIRequestHandler):
    """The standard library's request handler without a log line per request on stderr."""

    def log_message(self, format: str, *args: Any) -> None:
        pass


class _ThreadingServer(socketserver.ThreadingMixIn, WSGIServer):
    """The standard library's WSGI server with a thread a request: a page that takes long
    (a count of '*' by month) does not hold the others, nor does a connection a browser
    opens ahead and leaves idle. The threads are daemons, so a stopped page does not wait
    for a request that never ends (see :meth:`IndexCopies.close` for those that do)."""

    daemon_threads = True
    #: what server_close closes besides the socket (the app's extra indexes)
    copies: IndexCopies | None = None

    def server_close(self) -> None:
        super().server_close()
        if self.copies is not None:
            self.copies.close()


def make_server(app: Any, host: str = "127.0.0.1", port: int = 8000) -> WSGIServer:
    """A server for ``app`` on ``host``:``port`` (0: a free port), a thread a request, each
    request on an index of its own (:class:`IndexCopies`): the standard library's, which
    a local page needs, and which raises ``OSError`` for a port in use (Werkzeug's
    development server prints a paragraph and exits 1 instead). Closing it (``with
    server:``) closes the indexes the page opened besides the one it was given."""
    server = wsgiref_server(host, port, app, server_class=_ThreadingServer,
                            handler_class=_QuietHandler)
    server.copies = getattr(app, "extensions", {}).get("corpus_search.copies")
    return server


def serve_until_stopped(server: WSGIServer) -> None:
    """Serve until Ctrl-C (SIGINT) or kill's SIGTERM (a page started with ``&`` ignores
    Ctrl-C), then return. The signal asks the serving loop to stop between requests: raised
    as ``KeyboardInterrupt`` inside one, it would be swallowed by the standard library's
    handler (which logs any error of a request and serves on), and the page would not stop."""

    def stop(_signum: int, _frame: Any) -> None:
        # (shutdown waits for the loop, so it cannot run in the loop's own thread)
        threading.Thread(target=server.shutdown, daemon=True).start()

    previous = {sig: signal.signal(sig, stop) for sig in (signal.SIGINT, signal.SIGTERM)}
    try:
        server.serve_forever(poll_interval=0.2)
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)
