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

This module imports only the standard library, and the client's part only what a client
needs (the server's imports are in its functions), for the client's sake.
"""

from __future__ import annotations

import json
import os
import struct
import sys
import time
import zlib
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from typing import TYPE_CHECKING

from corpus_search.errors import EXIT_ERROR, EXIT_INTERRUPTED
from corpus_search.terminal import utf8_streams

if TYPE_CHECKING:
    import socket

__all__ = [
    "ServerError", "ask_server", "serve", "serve_in_background", "server_socket", "stop_server",
]

#: what a client and a server must share to talk (sent as ``"version"``): the messages' form.
#: Another copy of the package has a socket of its own, and changed code stops the server
#: (:func:`_source_stamp`); the installed version, read from the package's metadata, would
#: cost every client's start-up some 50 ms
PROTOCOL = "corpus-search-serve/1"
#: the environment variable that turns the client off (``off``)
SWITCH = "CORPUS_SEARCH_SERVER"
#: the package folder: the socket is this copy's, and these files are watched for changes
PACKAGE = os.path.dirname(os.path.realpath(__file__))
#: the size past which a background server's log is set aside (as ``.log.1``) when one starts
LOG_LIMIT = 1 << 20
#: the largest message either side sends (a command line and an environment)
MAX_MESSAGE = 1 << 20
_LENGTH = struct.Struct("!I")
#: how long the server waits for a client's request once it has connected
REQUEST_SECONDS = 5
#: the longest socket path every system takes (Linux 107 bytes, macOS 103): a longer
#: folder is passed over for the next
MAX_SOCKET_PATH = 100


class ServerError(OSError):
    """``serve`` cannot serve here: no Unix sockets, an unsafe socket folder, a server
    already running."""


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


def _private_folder(folder: str, create: bool) -> bool:
    """Whether ``folder`` is this user's alone (made so when ``create``)."""
    if create:
        os.makedirs(folder, mode=0o700, exist_ok=True)
    try:
        st = os.stat(folder)
    except OSError:
        return False
    return st.st_uid == os.getuid() and not st.st_mode & 0o077


def _send(sock: socket.socket, message: dict, fds: list[int] | None = None) -> None:
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


def _receive(sock: socket.socket, want_fds: int = 0) -> tuple[dict | None, list[int]]:
    """One message and the descriptors that came with it; (None, []) when the other side
    closed the connection first."""
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
        _close_all(fds)
        return None, []
    (length,) = _LENGTH.unpack(data)
    if length > MAX_MESSAGE:
        _close_all(fds)
        return None, []
    body = b""
    while len(body) < length:
        more = sock.recv(length - len(body))
        if not more:
            _close_all(fds)
            return None, []
        body += more
    return json.loads(body), fds


def _close_all(fds: list[int]) -> None:
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
    if (path is None or not os.path.exists(path) or not _unix_sockets()
            or not _standard_streams_open()
            or not utf8_streams()  # (the server writes UTF-8: the command runs as typed)
            or not _private_folder(os.path.dirname(path), create=False)):
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
            _send(sock, request, [0, 1, 2])
            taken, _ = _receive(sock)
        except (OSError, ValueError):  # no server (a socket left behind), or it went away
            return None
        if taken is None or not taken.get("served"):
            return None
        # the command runs: from here on it must not run twice
        try:
            done, _ = _receive(sock)
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
        _send(sock, {"version": PROTOCOL, "package": PACKAGE, "stop": True})
        reply, _ = _receive(sock)
    except OSError:
        return False
    finally:
        sock.close()
    return bool(reply and reply.get("stopping"))


# -- the server ------------------------------------------------------------------------------


def _source_stamp() -> tuple[int, int]:
    """The package's files, as (how many, newest change): a change means other code."""
    count, newest = 0, 0
    for folder, _dirs, files in os.walk(PACKAGE):
        if "__pycache__" in folder:
            continue
        for name in files:
            try:
                newest = max(newest, os.stat(os.path.join(folder, name)).st_mtime_ns)
            except OSError:
                continue
            count += 1
    return count, newest


@contextmanager
def _as_client(request: dict, fds: list[int]) -> Iterator[None]:
    """The process as the client's for one command: its standard streams, working folder,
    environment and command line; the server's own again afterwards."""
    saved_fds = [os.dup(fd) for fd in (0, 1, 2)]
    saved_cwd, saved_env, saved_argv = os.getcwd(), dict(os.environ), sys.argv
    try:
        for target, fd in enumerate(fds):
            os.dup2(fd, target)
        os.chdir(request["cwd"])
        os.environ.clear()
        os.environ.update(request["env"])
        sys.argv = ["corpus-search", *request["argv"]]
        yield
    finally:
        for stream in (sys.stdout, sys.stderr):
            try:
                stream.flush()
            except (OSError, ValueError):  # the reader went away: drop what is left
                null = os.open(os.devnull, os.O_WRONLY)
                os.dup2(null, stream.fileno())
                os.close(null)
                with suppress(OSError, ValueError):
                    stream.flush()
        for target, fd in enumerate(saved_fds):
            os.dup2(fd, target)
            os.close(fd)
        sys.argv = saved_argv
        os.environ.clear()
        os.environ.update(saved_env)
        os.chdir(saved_cwd)


def _run_one(run: Callable[[list[str]], int], request: dict, fds: list[int]) -> int:
    with _as_client(request, fds):
        try:
            return run(list(request["argv"]))
        except SystemExit as exc:  # (what sys.exit does with each kind of code)
            if exc.code is None or isinstance(exc.code, int):
                return exc.code or 0
            print(exc.code, file=sys.stderr)
            return 1
        except Exception:  # a fault in the command: the client sees it, the server goes on
            import traceback

            traceback.print_exc()
            return 1


#: the command running (a token), and the one whose client hung up: set by the watcher
#: thread, read by the signal handler, which runs in the main thread between bytecodes, so a
#: command that has already ended is never interrupted
_RUNNING: dict[str, object | None] = {"command": None, "gone": None}
#: the signal the watcher sends the main thread when a command's client hangs up
HANGUP_SIGNAL = "SIGUSR1"


def _on_client_gone(_signum: int, _frame: object) -> None:
    """Stop the running command whose client hung up (Ctrl-C): what it would still write has
    no reader, and the server is held by it (one command at a time)."""
    if _RUNNING["gone"] is not None and _RUNNING["gone"] is _RUNNING["command"]:
        null = os.open(os.devnull, os.O_WRONLY)  # (its "interrupted" too: the client said it)
        for fd in (1, 2):
            os.dup2(null, fd)
        os.close(null)
        raise KeyboardInterrupt


def _run_watched(run: Callable[[list[str]], int], request: dict, fds: list[int],
                 conn: socket.socket) -> int:
    """:func:`_run_one`, stopped (exit 130) if the client hangs up before it ends: a client
    sends nothing after its request, so its connection turns readable only when it closes."""
    import select
    import signal
    import threading

    if threading.current_thread() is not threading.main_thread():
        return _run_one(run, request, fds)  # (no signal handler: unwatched)
    token = object()
    wake_read, wake_write = os.pipe()

    def watch() -> None:
        poller = select.poll()
        poller.register(conn.fileno(), select.POLLIN)
        poller.register(wake_read, select.POLLIN)
        ready = {fd for fd, _event in poller.poll()}
        if wake_read not in ready:
            _RUNNING["gone"] = token
            signal.pthread_kill(threading.main_thread().ident, getattr(signal, HANGUP_SIGNAL))

    _RUNNING["command"] = token
    watcher = threading.Thread(target=watch, daemon=True)
    watcher.start()
    try:
        return _run_one(run, request, fds)
    except KeyboardInterrupt:  # (outside the command's own handling of it)
        if _RUNNING["gone"] is not token:
            raise
        return EXIT_INTERRUPTED
    finally:
        _RUNNING["command"] = None
        os.write(wake_write, b".")
        watcher.join()
        os.close(wake_read)
        os.close(wake_write)


def serve(run: Callable[[list[str]], int], commands: frozenset[str], *,
          idle_minutes: float = 0, log: Callable[[str], None] | None = None) -> None:
    """Listen on :func:`server_socket` and run each served command with ``run(argv)``
    (which returns the exit code) until stopped (:func:`stop_server`, Ctrl-C), its source
    files change, or, when ``idle_minutes``, that long passes without a command."""
    import signal
    import socket
    import threading

    path = _free_socket()
    with suppress(FileNotFoundError):
        os.unlink(path)  # one left behind by a server that was killed
    listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    listener.bind(path)
    listener.listen(16)
    listener.settimeout(idle_minutes * 60 if idle_minutes else None)
    stamp, version = _source_stamp(), PROTOCOL
    os.chdir("/")  # each command runs in its client's folder; between them, hold none busy
    if threading.current_thread() is threading.main_thread():
        # `kill` stops it as Ctrl-C does: its socket removed, what it learned saved at exit
        signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
        signal.signal(getattr(signal, HANGUP_SIGNAL), _on_client_gone)
    say = log or (lambda line: None)
    say(f"serving {', '.join(sorted(commands))} on {path}")
    try:
        while True:
            try:
                conn, _ = listener.accept()
            except TimeoutError:
                say(f"no command for {idle_minutes:g} minutes: stopping")
                return
            with conn:
                if not _answer(conn, run, commands, version, stamp, say):
                    return
    finally:
        listener.close()
        with suppress(FileNotFoundError):
            os.unlink(path)


def serve_in_background(idle_minutes: float, *, timeout: float = 60) -> tuple[int, str]:
    """Start ``corpus-search serve`` as a process of its own session (it outlives the
    terminal) and return once it serves: its process id and its log file (what it says,
    appended). A server that stops before serving is reported with its last line."""
    import subprocess

    path = _free_socket()
    log = path.removesuffix(".sock") + ".log"
    _set_aside_if_long(log)
    with open(log, "ab") as sink:
        start = sink.tell()
        child = subprocess.Popen(
            [sys.executable, "-c", "from corpus_search.cli import main; main()", "serve",
             "--idle-minutes", f"{idle_minutes:g}"],
            stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=sink,
            start_new_session=True, cwd="/")
    deadline = time.monotonic() + timeout
    while not ask_alive(path):
        if child.poll() is not None or time.monotonic() > deadline:
            with open(log, "rb") as said:
                said.seek(start)
                last = said.read().decode(errors="replace").strip().splitlines()
            if child.poll() is None:
                child.kill()
            why = last[-1] if last else f"it exited {child.returncode}"
            raise ServerError(f"the server did not start: {why}")
        time.sleep(0.02)
    return child.pid, log


def _set_aside_if_long(log: str) -> None:
    """Start a new log when the one a background server appends to (a line per command)
    has passed :data:`LOG_LIMIT` bytes, keeping the last as ``<log>.1``: a server kept
    running for months must not fill the disk."""
    with suppress(FileNotFoundError):
        if os.path.getsize(log) > LOG_LIMIT:
            os.replace(log, log + ".1")


def _free_socket() -> str:
    """This copy's socket path, in a private folder, with no server answering on it."""
    path = server_socket()
    if path is None:
        raise ServerError("this system has no Unix sockets to serve on")
    folder = os.path.dirname(path)
    if not _private_folder(folder, create=True):
        raise ServerError(f"{folder}: the socket folder must be yours alone (chmod 700)")
    if ask_alive(path):
        raise ServerError(f"a server is already running on {path} (corpus-search serve --stop)")
    return path


def ask_alive(path: str) -> bool:
    """Whether a server answers on ``path``."""
    import socket

    probe = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    try:
        probe.connect(path)
    except OSError:
        return False
    finally:
        probe.close()
    return True


def _answer(conn: socket.socket, run: Callable[[list[str]], int], commands: frozenset[str],
            version: str, stamp: tuple[int, int], say: Callable[[str], None]) -> bool:
    """Answer one connection; False when the server should stop."""
    conn.settimeout(REQUEST_SECONDS)  # a client that connects and says nothing holds no one up
    try:
        request, fds = _receive(conn, want_fds=3)
    except (OSError, ValueError):
        return True
    conn.settimeout(None)  # (the command takes what it takes; its client waits)
    try:
        if (request is None or request.get("version") != version
                or request.get("package") != PACKAGE):
            _send(conn, {"served": False})
            return True
        if request.get("stop"):
            _send(conn, {"stopping": True})
            say("stopped by corpus-search serve --stop")
            return False
        if _source_stamp() != stamp:
            _send(conn, {"served": False})
            say("corpus_search's files changed: stopping (start it again to serve them)")
            return False
        argv = request.get("argv") or []
        if (len(fds) != 3 or not argv or argv[0] not in commands
                or not os.path.isdir(request.get("cwd") or "")):  # (the client says why)
            _send(conn, {"served": False})
            return True
        _send(conn, {"served": True})
        started = time.perf_counter()
        code = _run_watched(run, request, fds, conn)
        with suppress(OSError):  # (a client that hung up, Ctrl-C, hears nothing more)
            _send(conn, {"exit": code})
        say(f"{argv[0]} (exit {code}) in {1000 * (time.perf_counter() - started):.0f} ms")
        return True
    except OSError:  # the client went away mid-command
        return True
    finally:
        _close_all(fds)
