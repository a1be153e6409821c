"""``corpus-search serve``: the reading commands run warm, as they would run on their own.

Each test starts a real server process in a private socket folder and runs real client
processes (the ``corpus-search`` entry point), as a user's two terminals would.
"""

from __future__ import annotations

import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from conftest import corpus_search_command, loaded_after
from corpus_search import warm_server

pytestmark = pytest.mark.skipif(
    not hasattr(os, "getuid") or sys.platform == "win32", reason="the server needs Unix sockets"
)


class Server:
    """A ``corpus-search serve`` process and the environment its clients run in."""

    def __init__(self, env: dict[str, str], command: list[str], log: Path) -> None:
        self.env, self.command, self.log_path = env, command, log
        self.proc: subprocess.Popen | None = None

    def start(self, *extra: str) -> Server:
        self.proc = subprocess.Popen([*self.command, "serve", *extra], env=self.env,
                                     stdout=subprocess.DEVNULL,
                                     stderr=self.log_path.open("ab"))
        deadline = time.monotonic() + 30
        while "serving" not in self.log():
            if self.proc.poll() is not None or time.monotonic() > deadline:
                raise AssertionError(f"the server did not start: {self.log()}")
            time.sleep(0.05)
        return self

    def log(self) -> str:
        return self.log_path.read_text() if self.log_path.exists() else ""

    def served(self) -> int:
        """How many commands the server has run."""
        return sum(" (exit " in line for line in self.log().splitlines())

    def run(self, *args: str, cwd: Path | None = None, served: bool | None = None,
            **env: str) -> subprocess.CompletedProcess:
        before = self.served()
        out = subprocess.run([*self.command, *args], env={**self.env, **env}, cwd=cwd,
                             capture_output=True, text=True, timeout=120)
        if served is not None:
            assert (self.served() > before) is served, self.log()
        return out

    def stop(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            # (SIGTERM: a suite started in the background by a shell without job control
            # runs with SIGINT ignored, and so would the server, for the 10 s below)
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()


def _ctrl_c_as_on_a_terminal() -> None:
    """SIGINT as a command typed at a terminal gets it: a shell without job control starts
    background commands (and so a suite started with ``&``) with SIGINT ignored, and a Python
    started so never raises KeyboardInterrupt."""
    signal.signal(signal.SIGINT, signal.SIG_DFL)


def _socket_folder(env: dict[str, str]) -> Path:
    return Path(env["XDG_RUNTIME_DIR"]) / "corpus-search"


@pytest.fixture
def server_env(cli_env: dict[str, str], request: pytest.FixtureRequest,
               small_index) -> dict[str, str]:
    # (a short folder: a socket's path may not be much over 100 bytes, and tmp_path can be)
    runtime = Path(tempfile.mkdtemp(prefix="cs-run-", dir="/tmp"))
    request.addfinalizer(lambda: shutil.rmtree(runtime, ignore_errors=True))
    env = {**cli_env, "XDG_RUNTIME_DIR": str(runtime),
           "CORPUS_SEARCH_INDEX": str(small_index.path)}
    env.pop("CORPUS_SEARCH_SERVER", None)  # (the suite switches the client off elsewhere)
    return env


@pytest.fixture
def server(server_env: dict[str, str], tmp_path: Path) -> Iterator[Server]:
    running = Server(server_env, corpus_search_command(), tmp_path / "serve.log").start()
    yield running
    running.stop()


def _same(served: subprocess.CompletedProcess, alone: subprocess.CompletedProcess) -> None:
    assert (served.returncode, served.stdout, served.stderr) == (
        alone.returncode, alone.stdout, alone.stderr)


@pytest.mark.parametrize("args", [
    ("search", "Lib Dems by-election"),
    ("search", "Tories", "--json", "-n", "2"),
    ("search", "zzzzqqqq"),  # no results: exit 1
    ("search", "Labour", "--since", "not a date"),  # a bad filter: exit 2, one line
    ("search", "Labour", "--bogus"),  # a usage error
    ("stats",),
    ("list", "-n", "3"),
    ("concordance", "Labour", "-n", "3"),
    ("concordance", "Labour", "--csv"),
    ("count", "Labour", "--by", "party"),
    ("trends", "Labour", "Tories", "Lib Dems", "--by", "party"),
    ("trends", "Labour", "Labour"),  # a duplicate query: exit 2, one line
])
def test_a_served_command_prints_and_exits_as_it_would_on_its_own(server: Server, args):
    served = server.run(*args, served=True)
    alone = server.run(*args, served=False, CORPUS_SEARCH_SERVER="off")
    _same(served, alone)


@pytest.mark.parametrize("encoding", ["ascii", "latin-1"])
def test_a_client_whose_output_is_not_utf8_runs_the_command_on_its_own(server: Server,
                                                                       encoding: str):
    """The server writes UTF-8; a client under PYTHONIOENCODING=ascii or a Latin-1 locale
    gets what a process of its own writes for its encoding (escapes), not UTF-8 bytes."""
    args = ("search", "Labour", "--json", "-n", "2")
    served = server.run(*args, served=False, PYTHONIOENCODING=encoding)
    alone = server.run(*args, served=False, PYTHONIOENCODING=encoding, CORPUS_SEARCH_SERVER="off")
    _same(served, alone)
    assert served.returncode == 0 and served.stdout.isascii()


def _on_a_terminal(server: Server, args: list[str], columns: int, **env: str) -> bytes:
    """What ``args`` writes to a terminal ``columns`` wide (a pseudo-terminal)."""
    import fcntl
    import pty
    import struct
    import termios

    leader, follower = pty.openpty()
    fcntl.ioctl(follower, termios.TIOCSWINSZ, struct.pack("HHHH", 24, columns, 0, 0))
    run_env = {**server.env, **env, "TERM": "xterm-256color"}
    for name in ("NO_COLOR", "COLUMNS"):
        run_env.pop(name, None)
    proc = subprocess.Popen([*server.command, *args], env=run_env, stdin=follower,
                            stdout=follower, stderr=follower)
    os.close(follower)
    written = b""
    while True:
        try:
            chunk = os.read(leader, 65536)
        except OSError:  # the terminal closed with the last writer
            break
        if not chunk:
            break
        written += chunk
    proc.wait(timeout=60)
    os.close(leader)
    return written


def test_on_a_terminal_a_served_search_has_the_clients_colours_and_width(server: Server):
    args = ["search", "Labour party"]
    before = server.served()
    served = _on_a_terminal(server, args, columns=50)
    assert server.served() == before + 1
    alone = _on_a_terminal(server, args, columns=50, CORPUS_SEARCH_SERVER="off")
    assert served == alone
    assert b"\x1b[" in served  # coloured, as on a terminal
    shown = re.sub(r"\x1b\[[0-9;]*m", "", served.decode())
    assert max(len(line) for line in shown.splitlines()) <= 50  # wrapped to the terminal


def test_a_relative_index_path_is_read_from_the_clients_folder(server: Server, small_index):
    folder = Path(small_index.path)
    served = server.run("search", "Labour", "--index", folder.name, cwd=folder.parent,
                        served=True)
    alone = server.run("search", "Labour", "--index", folder.name, cwd=folder.parent,
                       served=False, CORPUS_SEARCH_SERVER="off")
    assert served.returncode == 0
    _same(served, alone)


def test_a_command_that_writes_runs_in_the_client(server: Server, tmp_path: Path, small_corpus):
    out = server.run("index", str(small_corpus), "--index", str(tmp_path / "new"), served=False)
    assert out.returncode == 0, out.stderr
    assert server.run("stats", "--index", str(tmp_path / "new"), served=True).returncode == 0


def test_a_search_whose_reader_stops_reading_ends_141_and_the_server_goes_on(server: Server):
    command = " ".join([*corpus_search_command(), "search", "Labour", "|", "head", "-c", "1"])
    out = subprocess.run(["bash", "-c", f"set -o pipefail; {command}"], env=server.env,
                         capture_output=True, text=True, timeout=60)
    assert out.returncode in (0, 141)  # (head may read it all before the command ends)
    assert server.run("search", "Labour", served=True).returncode == 0


def test_serve_stop_stops_the_server_and_removes_its_socket(server: Server):
    out = server.run("serve", "--stop")
    assert out.returncode == 0 and "stopped" in out.stderr
    server.proc.wait(timeout=10)
    assert not list(_socket_folder(server.env).glob("*.sock"))
    assert server.run("search", "Labour", served=False).returncode == 0


def test_serve_stop_with_no_server_says_so_in_one_line(server_env: dict[str, str]):
    out = subprocess.run([*corpus_search_command(), "serve", "--stop"], env=server_env,
                         capture_output=True, text=True)
    assert out.returncode == 1
    assert out.stderr.strip() == "error: no server is running"


def test_a_second_server_is_refused_in_one_line(server: Server):
    out = server.run("serve")
    assert out.returncode == 2
    assert len(out.stderr.strip().splitlines()) == 1 and "already running" in out.stderr


def test_a_socket_left_by_a_killed_server_is_ignored_then_replaced(
        server_env: dict[str, str], tmp_path: Path):
    first = Server(server_env, corpus_search_command(), tmp_path / "first.log").start()
    first.proc.kill()
    first.proc.wait()
    assert list(_socket_folder(server_env).glob("*.sock"))  # left behind
    alone = first.run("search", "Labour")
    assert alone.returncode == 0 and "Labour" in alone.stdout
    second = Server(server_env, corpus_search_command(), tmp_path / "second.log").start()
    try:
        assert second.run("search", "Labour", served=True).returncode == 0
    finally:
        second.stop()


def test_serve_background_returns_once_it_serves_and_stops_when_asked(
        server_env: dict[str, str]):
    command = corpus_search_command()
    started = subprocess.run([*command, "serve", "--background"], env=server_env,
                             capture_output=True, text=True, timeout=120)
    try:
        assert started.returncode == 0, started.stderr
        assert "serving in the background" in started.stderr
        assert "after 60 idle minutes" in started.stderr
        log = next(_socket_folder(server_env).glob("*.log"))
        searched = subprocess.run([*command, "search", "Labour"], env=server_env,
                                  capture_output=True, text=True, timeout=60)
        assert searched.returncode == 0 and "search (exit 0)" in log.read_text()
        again = subprocess.run([*command, "serve", "--background"], env=server_env,
                               capture_output=True, text=True, timeout=60)
        assert again.returncode == 2 and "already running" in again.stderr
    finally:
        stopped = subprocess.run([*command, "serve", "--stop"], env=server_env,
                                 capture_output=True, text=True, timeout=60)
    assert stopped.returncode == 0
    deadline = time.monotonic() + 10
    while list(_socket_folder(server_env).glob("*.sock")) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not list(_socket_folder(server_env).glob("*.sock"))


def test_a_long_background_log_is_set_aside_when_a_server_starts(tmp_path: Path):
    log = tmp_path / "server.log"
    log.write_bytes(b"x" * warm_server.LOG_LIMIT)
    warm_server._set_aside_if_long(str(log))
    assert log.stat().st_size == warm_server.LOG_LIMIT  # (not past the limit: kept)
    log.write_bytes(b"old\n" * (warm_server.LOG_LIMIT // 4 + 1))
    (tmp_path / "server.log.1").write_text("older\n")
    warm_server._set_aside_if_long(str(log))
    assert not log.exists() and (tmp_path / "server.log.1").read_text().startswith("old\n")
    warm_server._set_aside_if_long(str(log))  # (none yet: nothing to do)


def test_a_socket_folder_others_may_enter_is_refused(server_env: dict[str, str]):
    folder = _socket_folder(server_env)
    folder.mkdir(mode=0o755)
    folder.chmod(0o755)
    out = subprocess.run([*corpus_search_command(), "serve"], env=server_env,
                         capture_output=True, text=True, timeout=60)
    assert out.returncode == 2
    assert "must be yours alone" in out.stderr and len(out.stderr.strip().splitlines()) == 1


def test_the_idle_server_stops_by_itself(server_env: dict[str, str], tmp_path: Path):
    idle = Server(server_env, corpus_search_command(), tmp_path / "idle.log").start(
        "--idle-minutes", "0.01")
    assert idle.proc.wait(timeout=30) == 0
    assert "no command for" in idle.log()
    assert not list(_socket_folder(server_env).glob("*.sock"))


def test_a_server_whose_code_changed_stops_and_the_client_runs_the_command(
        server_env: dict[str, str], tmp_path: Path):
    """An upgrade or an edit of the package: the warm process holds the old code."""
    import corpus_search

    copy = tmp_path / "site" / "corpus_search"
    shutil.copytree(Path(corpus_search.__file__).parent, copy,
                    ignore=shutil.ignore_patterns("__pycache__"))
    env = {**server_env, "PYTHONPATH": str(copy.parent)}
    command = [sys.executable, "-c", "from corpus_search.launch import main; main()"]
    server = Server(env, command, tmp_path / "copy.log").start()
    try:
        assert server.run("search", "Labour", served=True).returncode == 0
        time.sleep(0.01)
        (copy / "errors.py").touch()
        assert server.run("search", "Labour", served=False).returncode == 0
        assert server.proc.wait(timeout=10) == 0
        assert "files changed" in server.log()
    finally:
        server.stop()


def test_the_client_imports_only_the_standard_library_before_the_server_answers():
    """What makes a served command fast: no NumPy, Whoosh, click or rich in the client."""
    code = (
        "import os, sys\n"
        "os.environ['CORPUS_SEARCH_SERVER'] = 'on'\n"
        "from corpus_search.warm import ask_server\n"
        "ask_server(['search', 'Blair'])\n"
    )
    assert loaded_after(code, ["numpy", "whoosh", "click", "rich", "corpus_search.cli",
                               "corpus_search.index", "corpus_search.warm_server"]) == []


def _fake_server(path: str, replies: list[dict]) -> threading.Thread:
    """A server that takes one command, gives ``replies`` and hangs up."""
    from corpus_search import warm

    listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    listener.bind(path)
    listener.listen(1)

    def answer() -> None:
        conn, _ = listener.accept()
        with conn:
            _request, fds = warm.receive_message(conn, want_fds=3)
            for fd in fds:
                os.close(fd)
            for reply in replies:
                warm.send_message(conn, reply)
        listener.close()

    thread = threading.Thread(target=answer)
    thread.start()
    return thread


@pytest.fixture
def private_runtime(monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    from corpus_search import warm

    runtime = tempfile.mkdtemp(prefix="cs-run-", dir="/tmp")
    monkeypatch.setenv("XDG_RUNTIME_DIR", runtime)
    monkeypatch.delenv("CORPUS_SEARCH_SERVER", raising=False)
    path = warm.server_socket()
    os.makedirs(os.path.dirname(path), mode=0o700)
    yield path
    shutil.rmtree(runtime, ignore_errors=True)


def test_a_server_that_stops_during_a_command_is_an_error_not_a_second_run(
        private_runtime: str, capsys: pytest.CaptureFixture[str]):
    """The command may have written half its output: running it again would print it twice."""
    from corpus_search import warm

    server = _fake_server(private_runtime, [{"served": True}])
    assert warm.ask_server(["search", "Labour"]) == 2
    server.join(timeout=10)
    assert "the server stopped during the command" in capsys.readouterr().err


def test_a_command_the_server_does_not_take_runs_in_the_client(private_runtime: str):
    from corpus_search import warm

    server = _fake_server(private_runtime, [{"served": False}])
    assert warm.ask_server(["search", "Labour"]) is None
    server.join(timeout=10)


def test_a_client_that_connects_and_says_nothing_holds_no_one_up(server: Server,
                                                                   monkeypatch):
    from corpus_search import warm

    monkeypatch.setenv("XDG_RUNTIME_DIR", server.env["XDG_RUNTIME_DIR"])
    silent = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    silent.connect(warm.server_socket())
    try:
        started = time.monotonic()
        assert server.run("search", "Labour", served=True).returncode == 0
        assert time.monotonic() - started < warm_server.REQUEST_SECONDS + 30
    finally:
        silent.close()


def test_a_served_search_sees_documents_indexed_since_the_last_one(
        server: Server, tmp_path: Path, small_corpus):
    corpus = tmp_path / "growing"
    shutil.copytree(small_corpus, corpus)
    index = str(tmp_path / "growing-ix")
    assert server.run("index", str(corpus), "--index", index).returncode == 0
    before = server.run("search", "zebra", "--index", index, served=True)
    assert before.returncode == 1
    (corpus / "zoo.txt").write_text("Zebra escapes\n\nA zebra left the zoo.\n")
    assert server.run("index", str(corpus), "--index", index).returncode == 0
    after = server.run("search", "zebra", "--index", index, served=True)
    assert after.returncode == 0 and "Zebra escapes" in after.stdout
    _same(after, server.run("search", "zebra", "--index", index, CORPUS_SEARCH_SERVER="off"))


def test_a_served_search_of_an_index_deleted_since_fails_as_it_would_on_its_own(
        server: Server, tmp_path: Path, small_corpus):
    index = tmp_path / "doomed-ix"
    assert server.run("index", str(small_corpus), "--index", str(index)).returncode == 0
    assert server.run("search", "Labour", "--index", str(index), served=True).returncode == 0
    shutil.rmtree(index)
    served = server.run("search", "Labour", "--index", str(index), served=True)
    alone = server.run("search", "Labour", "--index", str(index), CORPUS_SEARCH_SERVER="off")
    assert served.returncode == 2
    _same(served, alone)


def test_a_served_search_after_its_lexicon_file_changed_says_what_one_on_its_own_says(
        server: Server, tmp_path: Path, small_corpus):
    terms = tmp_path / "terms.tsv"
    terms.write_text("[terms]\nbrent_east\tBrent East\n")
    index = str(tmp_path / "lexicon-ix")
    built = server.run("index", str(small_corpus), "--index", index, "--lexicon", str(terms))
    assert built.returncode == 0, built.stderr
    assert server.run("search", "Brent East", "--index", index, served=True).returncode == 0
    terms.write_text("[terms]\nbrent_east\tBrent East | Brent\n")
    served = server.run("search", "Brent East", "--index", index, served=True)
    _same(served, server.run("search", "Brent East", "--index", index,
                             CORPUS_SEARCH_SERVER="off"))


def test_a_command_the_server_ran_before_the_client_finished_sending_is_not_run_again(
        private_runtime: str, monkeypatch: pytest.MonkeyPatch):
    """A quick command (an error, a --help) can be run, answered and hung up on before the
    client's next system call; the client then takes the answer, and does not run the command
    a second time (its output printed twice)."""
    from corpus_search import warm

    server = _fake_server(private_runtime, [{"served": True}, {"exit": 2}])
    real_send_fds = socket.send_fds

    def send_then_wait_for_the_server(*args, **kwargs):
        sent = real_send_fds(*args, **kwargs)
        server.join(timeout=10)  # it has answered and closed the connection
        return sent

    monkeypatch.setattr(socket, "send_fds", send_then_wait_for_the_server)
    assert warm.ask_server(["search", ""]) == 2


@pytest.mark.parametrize("redirect", ["<&- >{out} 2>{err}", ">&- 2>{err}", ">{out} 2>&-"])
def test_a_command_with_a_standard_stream_closed_runs_on_its_own(server: Server, redirect: str,
                                                                  tmp_path: Path):
    """A closed stream cannot be handed over, and the client's socket would take its number:
    the command runs as it would with the server off, and never with a traceback."""
    command = " ".join([*corpus_search_command(), "search", "Labour", "-n", "1"])
    results = {}
    for mode in ("on", "off"):
        out, err = tmp_path / f"{mode}.out", tmp_path / f"{mode}.err"
        before = server.served()
        done = subprocess.run(["bash", "-c", f"{command} {redirect.format(out=out, err=err)}"],
                              env={**server.env, "CORPUS_SEARCH_SERVER": mode}, timeout=60)
        assert server.served() == before
        results[mode] = (done.returncode,
                         *(path.read_text() if path.exists() else None for path in (out, err)))
    assert results["on"] == results["off"]
    assert results["on"][0] == 0 and "Traceback" not in (results["on"][2] or "")


def test_a_client_interrupted_mid_command_stops_the_command_and_frees_the_server(
        server: Server, tmp_path: Path):
    """Ctrl-C stops the client; the command it handed over must stop too, not go on writing
    to the terminal after the prompt, nor hold every later command up (one runs at a time)
    while its output waits for a reader."""
    import select

    from corpus_search import CorpusIndex, Document

    with CorpusIndex(tmp_path / "long") as ix:
        ix.add_documents([Document(id="long", title="Long", body="Labour speech. " * 20_000)])
    reader, writer = os.pipe()  # never read here: the command blocks once the pipe is full
    errors = tmp_path / "stderr"
    with errors.open("w") as stderr:
        client = subprocess.Popen([*server.command, "show", "long", "--index",
                                   str(tmp_path / "long")],
                                  env=server.env, stdout=writer, stderr=stderr,
                                  preexec_fn=_ctrl_c_as_on_a_terminal)
    os.close(writer)
    try:
        assert select.select([reader], [], [], 30)[0]  # the server is writing
        client.send_signal(signal.SIGINT)
        assert client.wait(timeout=30) == 130
        later = subprocess.run([*server.command, "search", "Labour"], env=server.env,
                               capture_output=True, text=True, timeout=30)
        assert later.returncode == 0
        assert "show (exit 130)" in server.log()
        assert errors.read_text() == "interrupted\n"  # once: the client's, not the server's too
    finally:
        os.close(reader)
        client.kill()
        client.wait()
