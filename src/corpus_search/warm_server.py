"""The warm process's server: ``corpus-search serve`` (see :mod:`corpus_search.warm`, whose
client asks it to run a command, and whose wire format both sides speak).

Imported by ``serve`` alone: a client never imports it, so what a served command costs the
client stays what :mod:`corpus_search.warm` imports.
"""

from __future__ import annotations

import os
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from typing import TYPE_CHECKING

from corpus_search.errors import EXIT_INTERRUPTED
from corpus_search.warm import (
    PACKAGE,
    PROTOCOL,
    close_all,
    private_folder,
    receive_message,
    send_message,
    server_socket,
)

if TYPE_CHECKING:
    import socket

__all__ = ["ServerError", "ask_alive", "serve", "serve_in_background"]

#: the size past which a background server's log is set aside (as ``.log.1``) when one starts
LOG_LIMIT = 1 << 20
#: how long the server waits for a client's request once it has connected
REQUEST_SECONDS = 5




class ServerError(OSError):
    """``serve`` cannot serve here: no Unix sockets, an unsafe socket folder, a server
    already running."""


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
    if not private_folder(folder, create=True):
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
        request, fds = receive_message(conn, want_fds=3)
    except (OSError, ValueError):
        return True
    conn.settimeout(None)  # (the command takes what it takes; its client waits)
    try:
        if (request is None or request.get("version") != version
                or request.get("package") != PACKAGE):
            send_message(conn, {"served": False})
            return True
        if request.get("stop"):
            send_message(conn, {"stopping": True})
            say("stopped by corpus-search serve --stop")
            return False
        if _source_stamp() != stamp:
            send_message(conn, {"served": False})
            say("corpus_search's files changed: stopping (start it again to serve them)")
            return False
        argv = request.get("argv") or []
        if (len(fds) != 3 or not argv or argv[0] not in commands
                or not os.path.isdir(request.get("cwd") or "")):  # (the client says why)
            send_message(conn, {"served": False})
            return True
        send_message(conn, {"served": True})
        started = time.perf_counter()
        code = _run_watched(run, request, fds, conn)
        with suppress(OSError):  # (a client that hung up, Ctrl-C, hears nothing more)
            send_message(conn, {"exit": code})
        say(f"{argv[0]} (exit {code}) in {1000 * (time.perf_counter() - started):.0f} ms")
        return True
    except OSError:  # the client went away mid-command
        return True
    finally:
        close_all(fds)
