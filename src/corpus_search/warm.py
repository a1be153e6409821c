"""A warm process for the reading commands: ``corpus-search serve`` and its client.

A ``corpus-search search`` process spends about 0.25 s importing NumPy, Whoosh, click, rich
and the library before it reads the index, and the search itself takes a few hundredths of
a second. ``corpus-search serve`` pays for the imports once and then runs the reading
commands that clients hand it. The client (the ``corpus-search`` entry point,
:mod:`corpus_search.launch`) imports only this module, so a served command costs a Python
start-up, a connection and the command's own work.

A served command is the command itself, run in the server by the same code a process would
run, only warm: the client sends its arguments, working folder and environment, and passes
its standard input, output and error over the socket (``SCM_RIGHTS``), so the server writes
straight to the client's terminal or pipe. Colours, widths, exit codes and errors are those
of an unserved run, and a client that hangs up (Ctrl-C) stops its command. The server runs
one command at a time, and answers "not served" (the client then runs the command itself)
when:

- the command is not one it serves (it is given the reading commands: nothing that writes);
- the client is another version of corpus_search, or another copy of it (each installed
  copy has its own socket, named by a checksum of the package's folder, which the server
  checks);
- its own source files changed since it started (an upgrade, an edit): it then stops.

The socket is in ``$XDG_RUNTIME_DIR/corpus-search`` (else, or where that path would be too
long for a socket, ``$TMPDIR/corpus-search-<uid>``, else ``/tmp/corpus-search-<uid>``), a
folder only its owner may enter; a folder that others may enter, or that another user
owns, is refused. ``CORPUS_SEARCH_SERVER=off`` makes the client run every command itself.
POSIX only: elsewhere the client never finds a server and ``serve`` says why it cannot.

This module is the client and the wire format both sides speak; the server is
:mod:`corpus_search.warm_server`, which ``serve`` alone imports. It imports only the
standard library, and only what a client needs (``socket``, ``json`` and
:mod:`corpus_search.terminal` in its functions, once a server may be there), for the client's
sake: a command run on its own imports ``json`` and ``terminal`` after the entry point has
installed :mod:`corpus_search.regex_cache`, so that their patterns are read, not compiled
(callgrind, "search Blair" on the BBC index: ~5M instructions of ~592M).
"""

from __future__ import annotations

import os
import struct
import sys
import zlib
from contextlib import suppress
from typing import TYPE_CHECKING

from corpus_search.errors import EXIT_ERROR

if TYPE_CHECKING:
    import socket

__all__ = [
    "ask_server", "close_all", "private_folder", "receive_message", "send_message",
    "server_socket", "stop_server",
]

#: what a client and a server must share to talk (sent as ``"version"``): the messages' form.
#: Another copy of the package has a socket of its own, and changed code stops the server
#: (``warm_server._source_stamp``); the installed version, read from the package's
#: metadata, would cost every client's start-up some 50 ms
PROTOCOL = "corpus-search-serve/1"
#: the environment variable that turns the client off (``off``)
SWITCH = "CORPUS_SEARCH_SERVER"
#: the package folder: the socket is this copy's, and these files are watched for changes
PACKAGE = os.path.dirname(os.path.realpath(__file__))
#: the largest message either side sends (a command line and an environment)
MAX_MESSAGE = 1 << 20
_LENGTH = struct.Struct("!I")
#: the longest socket path every system takes (Linux 107 bytes, macOS 103): a longer
#: folder is passed over for the next
MAX_SOCKET_PATH = 100


def server_socket() -> str | None:
    """Where this copy of corpus_search's server listens; None where there is no safe
    place (no Unix sockets, a socket folder others may enter)."""
    return _socket_path() if _unix_sockets() else None


def _unix_sockets() -> bool:
    """Whether this system has the Unix sockets the server needs. (``socket`` is imported
    only once a server may be there: ~2.5 ms of a command that runs on its own.)"""
    import socket

    return hasattr(socket, "AF_UNIX") and hasattr(socket, "send_fds")


def _socket_path() -> str | None:
    """:func:`server_socket`'s path, where the system has Unix sockets."""
    # (named by the copy's folder; the server also checks the folder its clients name)
    name = f"serve-{zlib.crc32(os.fsencode(PACKAGE)):08x}.sock"
    runtime = os.environ.get("XDG_RUNTIME_DIR")
    tmp = os.environ.get("TMPDIR") or "/tmp"
    for folder in ([os.path.join(runtime, "corpus-search")] if runtime and os.path.isdir(runtime)
                   else []) + [os.path.join(tmp, f"corpus-search-{os.getuid()}"),
                               f"/tmp/corpus-search-{os.getuid()}"]:
        path = os.path.join(folder, name)
        if len(os.fsencode(path)) <= MAX_SOCKET_PATH:
            return path
    return None


def private_folder(folder: str, create: bool) -> bool:
    """Whether ``folder`` is this user's alone (made so when ``create``)."""
    if create:
        os.makedirs(folder, mode=0o700, exist_ok=True)
    try:
        st = os.stat(folder)
    except OSError:
        return False
    return st.st_uid == os.getuid() and not st.st_mode & 0o077


def send_message(sock: socket.socket, message: dict, fds: list[int] | None = None) -> None:
    import json
    import socket

    data = json.dumps(message).encode()
    if len(data) > MAX_MESSAGE:
        raise ValueError("message too long")
    framed = _LENGTH.pack(len(data)) + data
    if fds:
        sent = socket.send_fds(sock, [framed], fds)
        framed = framed[sent:]
    if framed:  # (a send of nothing to a peer that has answered and gone fails: EPIPE)
        sock.sendall(framed)


def receive_message(sock: socket.socket, want_fds: int = 0
                    ) -> tuple[dict | None, list[int]]:
    """One message and the descriptors that came with it; (None, []) when the other side
    closed the connection first."""
    import json
    import socket

    fds: list[int] = []
    if want_fds:
        data, fds, _flags, _addr = socket.recv_fds(sock, _LENGTH.size, want_fds)
    else:
        data = sock.recv(_LENGTH.size)
    while data and len(data) < _LENGTH.size:
        more = sock.recv(_LENGTH.size - len(data))
        if not more:
            break
        data += more
    if len(data) < _LENGTH.size:
        close_all(fds)
        return None, []
    (length,) = _LENGTH.unpack(data)
    if length > MAX_MESSAGE:
        close_all(fds)
        return None, []
    body = b""
    while len(body) < length:
        more = sock.recv(length - len(body))
        if not more:
            close_all(fds)
            return None, []
        body += more
    return json.loads(body), fds


def close_all(fds: list[int]) -> None:
    for fd in fds:
        with suppress(OSError):
            os.close(fd)


# -- the client ------------------------------------------------------------------------------


def ask_server(argv: list[str]) -> int | None:
    """Run the command ``argv`` in this copy's server, if one runs and serves it: its exit
    code, or None (no server, not served, switched off): the caller then runs it itself."""
    if os.environ.get(SWITCH, "").lower() in ("off", "0", "no"):
        return None
    path = _socket_path()
    if path is None or not os.path.exists(path):
        return None
    from corpus_search.terminal import utf8_streams

    if (not _unix_sockets()
            or not _standard_streams_open()
            or not utf8_streams()  # (the server writes UTF-8: the command runs as typed)
            or not private_folder(os.path.dirname(path), create=False)):
        return None
    import socket

    sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    try:
        try:
            sock.connect(path)
            request = {"version": PROTOCOL, "package": PACKAGE, "argv": argv,
                       "cwd": os.getcwd(), "env": dict(os.environ)}
            for stream in (sys.stdout, sys.stderr):
                stream.flush()
            send_message(sock, request, [0, 1, 2])
            taken, _ = receive_message(sock)
        except (OSError, ValueError):  # no server (a socket left behind), or it went away
            return None
        if taken is None or not taken.get("served"):
            return None
        # the command runs: from here on it must not run twice
        try:
            done, _ = receive_message(sock)
        except (OSError, ValueError):
            done = None
    finally:
        sock.close()
    if done is None:
        sys.stderr.write("error: the server stopped during the command (corpus-search serve "
                         "--stop; CORPUS_SEARCH_SERVER=off runs commands on their own)\n")
        return EXIT_ERROR
    return int(done["exit"])


def _standard_streams_open() -> bool:
    """Whether descriptors 0, 1 and 2 are all open. One that is closed (``>&-``, ``<&-``)
    cannot be handed to the server, and the client's socket would take its number and be
    handed over in its place (the command's output written into the connection), so such a
    command runs on its own, where the closed stream is what the command expects."""
    for fd in (0, 1, 2):
        try:
            os.fstat(fd)
        except OSError:
            return False
    return True


def stop_server() -> bool:
    """Ask this copy's server to stop; whether one was running."""
    path = server_socket()
    if path is None or not os.path.exists(path):
        return False
    import socket

    sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    try:
        sock.connect(path)
        send_message(sock, {"version": PROTOCOL, "package": PACKAGE, "stop": True})
        reply, _ = receive_message(sock)
    except OSError:
        return False
    finally:
        sock.close()
    return bool(reply and reply.get("stopping"))
