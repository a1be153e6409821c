"""The command line's consoles: rich's ``Console``, made when first used, and lines of console
markup printed without it, piped and, in the simple cases, on a terminal.

Importing rich's console, markup and text (~40 modules) took ~65M instructions of a cold
``corpus-search search`` of ~730M (callgrind, ``search Blair`` on the BBC index), for output
that, piped or written to a file, is the lines' text alone. There, with soft wrapping (the
commands' consoles wrap nothing piped), rich prints a line of markup as its text: the tags
dropped, the escapes undone (:func:`plain`), the control codes it strips left out, nothing
wrapped, cut or padded. :class:`LazyConsole` prints such a line itself, and hands rich
anything else: a table, a progress bar, a line with a tab (rich expands it to the next stop
by the cells of the text before it), a terminal, an environment that forces one
(``FORCE_COLOR``, ``TTY_COMPATIBLE``), or a console rich already made (it may be capturing
output). So the output is rich's, byte for byte (``tests/test_consoles.py`` compares them
for any text), and a piped search imports no part of rich.

On a terminal a search's lines (:data:`SGR`'s styles, unnested; characters one cell wide;
no tab) are written as rich writes them there: each styled run in its SGR sequence, words
wrapped at the terminal's width as rich wraps them (its own ``divide_line``, from modules
that cost little), the width and the terminal read as rich reads them; anything else (a
dumb terminal, ``NO_COLOR``, ``TTY_COMPATIBLE``, other markup) is rich's to print
(``tests/test_consoles_terminal.py`` compares the two).

Imports nothing of ours (rich only when a console is made).
"""

from __future__ import annotations

import builtins
import os
import re
import sys
from collections.abc import Sequence
from itertools import pairwise
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from rich.console import Console

__all__ = ["LazyConsole", "escape", "piped_layout", "plain"]

#: a tag of rich's console markup, with the backslashes before it (rich.markup.RE_TAGS)
_TAGS = re.compile(r"""((\\*)\[([a-z#/@][^[]*?)])""", re.VERBOSE)

#: what rich.markup.escape escapes: a tag, with the backslashes before it
_ESCAPED = re.compile(r"(\\*)(\[[a-z#/@][^[]*?])")

#: the control codes rich's Text leaves out of any text (bell, backspace, vertical tab, form
#: feed, carriage return: rich.control.strip_control_codes)
_CONTROL_CODES = dict.fromkeys((7, 8, 11, 12, 13))

#: the environment variables that make rich take an output for a terminal, or not, whatever
#: it is
_TERMINAL_SETTINGS = ("FORCE_COLOR", "TTY_COMPATIBLE")


def escape(text: str) -> str:
    """``text`` made inert in console markup, as ``rich.markup.escape`` makes it: each
    tag-like ``[`` and the backslashes before it escaped, and a last lone backslash."""
    text = _ESCAPED.sub(lambda m: f"{m[1]}{m[1]}\\{m[2]}", text)
    if text.endswith("\\") and not text.endswith("\\\\"):
        return text + "\\"
    return text


def plain(markup: str) -> str:
    """The text rich shows of ``markup`` (``rich.markup.render(markup, emoji=False).plain``):
    its tags dropped, its escapes undone, control codes left out. Markup rich would refuse
    (a closing tag that closes nothing) or would evaluate (a ``[@...]`` tag) is read by
    rich itself, raising what it raises."""
    parts: list[str] = []
    position = depth = 0
    for match in _TAGS.finditer(markup):  # (rich.markup._parse and render, for the text)
        whole, escapes, tag = match.groups()
        start, end = match.span()
        if start > position:
            parts.append(markup[position:start].replace("\\[", "["))
        if escapes:
            backslashes, escaped = divmod(len(escapes), 2)
            parts.append("\\" * backslashes)
            if escaped:
                parts.append(whole[len(escapes):])
                position = end
                continue
        if tag.startswith("@") or (tag.startswith("/") and (tag[1:].strip() or not depth)):
            from rich.markup import render

            return render(markup, emoji=False).plain
        depth += -1 if tag.startswith("/") else 1
        position = end
    if position < len(markup):
        parts.append(markup[position:].replace("\\[", "["))
    return "".join(parts).translate(_CONTROL_CODES)


def piped_layout(console: Console, width: int) -> None:
    """On a terminal rich wraps words to its width; piped, a line stays one line, and a
    table's cells are not cut to the pipe's 80 columns (rich's width for a non-terminal):
    ``console`` soft-wraps and is ``width`` wide there."""
    if not console.is_terminal:
        console.soft_wrap = True
        console.width = width


class LazyConsole:
    """A rich ``Console`` (made with ``options``) made when first used: the lines of markup
    it prints where the output is not a terminal are written as rich writes them, without
    it (see the module notes). ``piped_width``: the width it has there
    (:func:`piped_layout`; None: rich's own, without soft wrapping)."""

    def __init__(self, piped_width: int | None = None, **options: Any) -> None:
        object.__setattr__(self, "_options", options)
        object.__setattr__(self, "_piped_width", piped_width)
        object.__setattr__(self, "_console", None)

    def made(self) -> Console:
        """The rich console itself (for rich's progress bar), made now if it is not yet."""
        console = self._console
        if console is None:
            from rich.console import Console

            class _Console(Console):
                def on_broken_pipe(self) -> None:
                    # rich's own exits 1, our "no results": let the command's guard, the one
                    # place that maps errors to exit codes, stop it as for any broken pipe
                    raise BrokenPipeError

            console = _Console(**self._options)
            object.__setattr__(self, "_console", console)
            if self._piped_width is not None:
                piped_layout(console, self._piped_width)
        return console

    def renew(self) -> None:
        """Make the console again when next used: ``serve`` runs each command with its
        client's terminal (its width, its colours), as a process of its own would."""
        object.__setattr__(self, "_console", None)

    def _rich_prints(self) -> bool:
        """Whether rich must print whatever the output: it is printing already, the console
        highlights or turns emoji codes into emoji, Jupyter runs it (rich's check), or rich's
        progress bar holds the stream."""
        options = self._options
        return self._console is not None or options.get("highlight") is not False \
            or options.get("emoji") is not False or "get_ipython" in vars(builtins) \
            or hasattr(self._file(), "rich_proxied_file")

    def piped(self) -> bool:
        """Whether lines of text are printed here without rich: the output is not a terminal
        (nor forced to pass for one), lines are soft-wrapped, and rich is not printing yet."""
        if self._rich_prints() or self._options.get("force_terminal") is not None \
                or any(name in os.environ for name in _TERMINAL_SETTINGS):
            return False
        isatty = getattr(self._file(), "isatty", None)
        try:
            return isatty is not None and not isatty() and self._soft_wrap(None)
        except ValueError:  # (a closed file: rich's to say)
            return False

    def print(self, *objects: Any, **options: Any) -> None:
        """rich's ``Console.print``; one line of markup (or none: an empty line), printed
        piped, is written without rich (see the module notes)."""
        if len(objects) <= 1 and all(type(o) is str for o in objects) \
                and set(options) <= {"soft_wrap"} and self._soft_wrap(options.get("soft_wrap")):
            text = plain(objects[0]) if objects else ""
            if self.print_lines([text]):
                return
        if len(objects) <= 1 and all(type(o) is str for o in objects) \
                and set(options) <= {"soft_wrap"} and self._print_sgr(objects, options):
            return
        self.made().print(*objects, **options)

    def print_lines(self, lines: Sequence[str]) -> bool:
        """Write ``lines`` of text (no markup) piped, as rich prints a ``Text`` of each;
        False (nothing written) where rich must print them (not :meth:`piped`, or a tab)."""
        if not self.piped() or any("\t" in line for line in lines):
            return False
        self.write("".join(f"{line.translate(_CONTROL_CODES)}\n" for line in lines))
        return True

    def _print_sgr(self, objects: Sequence[str], options: dict[str, Any]) -> bool:
        """Print one line of markup (or none) on a terminal as rich would, without it; False
        (nothing written) where rich must print it (:meth:`terminal_width`, :func:`runs`,
        :func:`sgr_lines`)."""
        width = self.terminal_width()
        if width is None:
            return False
        soft = options.get("soft_wrap")
        if soft is None:
            soft = self._options.get("soft_wrap") is True
        pieces = runs(objects[0]) if objects else [("", "")]
        lines = None if pieces is None else sgr_lines(pieces, None if soft else width)
        if lines is None:
            return False
        self.write("".join(f"{line}\n" for line in lines))
        return True

    def terminal_width(self) -> int | None:
        """The width of the terminal rich would print to in colour, where what it writes
        there is written here without it (:func:`runs`, :func:`sgr_lines`); None elsewhere:
        not a terminal (by rich's reading of ``FORCE_COLOR`` and ``isatty``), a dumb one,
        ``NO_COLOR``, ``TTY_COMPATIBLE``, Windows, Jupyter or Idle, rich already printing,
        or options of the console's own."""
        environ = os.environ
        if self._rich_prints() \
                or set(self._options) - {"stderr", "highlight", "soft_wrap", "emoji", "file"} \
                or sys.platform == "win32" \
                or "TTY_COMPATIBLE" in environ or "NO_COLOR" in environ \
                or environ.get("TERM", "").lower() in ("dumb", "unknown") \
                or getattr(sys.stdin, "__module__", "").startswith("idlelib"):
            return None
        file = self._file()
        force = environ.get("FORCE_COLOR")
        if force == "":
            return None
        if force is None:
            try:
                if not file.isatty():
                    return None
            except (AttributeError, ValueError):
                return None
        return _terminal_columns(environ.get("COLUMNS"))

    def write(self, text: str) -> None:
        """Write ``text`` where the console prints, as rich does: at once."""
        file = self._file()
        file.write(text)
        file.flush()

    def _soft_wrap(self, given: bool | None) -> bool:
        """Whether a print soft-wraps on output that is not a terminal (``given``: the print's
        own ``soft_wrap``)."""
        if given is not None:
            return given is True
        return self._piped_width is not None or self._options.get("soft_wrap") is True

    def _file(self) -> Any:
        """Where rich's console would write now (a standard stream is looked up each time)."""
        chosen = self._options.get("file")
        if chosen is not None:
            return chosen
        return sys.stderr if self._options.get("stderr") else sys.stdout

    def __getattr__(self, name: str) -> Any:
        return getattr(self.made(), name)

    def __setattr__(self, name: str, value: Any) -> None:
        setattr(self.made(), name, value)


#: the SGR parameters rich writes for the styles of the markup a search prints, on any
#: colour system it picks for a terminal (standard, 256 or true colour: these are the
#: standard colours, the same on each; rich.style.Style._make_ansi_codes)
SGR = {"bold": "1", "dim": "2", "cyan": "36", "green": "32", "yellow": "33",
       "bold cyan": "1;36", "bold yellow": "1;33", "bold green": "1;32"}


def _terminal_columns(columns: str | None) -> int | None:
    """The terminal's width as rich reads it (rich.console.Console.size): ``COLUMNS``, else
    the size of the first of standard input, output and error that has one, else 80; None
    for a ``COLUMNS`` it would read oddly (0, not a number)."""
    if columns is not None:
        return int(columns) if columns.isdigit() and int(columns) > 0 else None
    for descriptor in (0, 1, 2):
        try:
            return os.get_terminal_size(descriptor).columns or 80
        except (AttributeError, ValueError, OSError):
            continue
    return 80


#: a styled run of a line: its text and SGR parameters ("" unstyled); rich writes each of
#: its spans (a tag's text, an appended piece) as a run of its own, even beside an equal one
Run = tuple[str, str]

#: trailing whitespace, as rich.text finds it to crop a wrapped line
_TRAILING = re.compile(r"\s+$")


def runs(markup: str) -> list[Run] | None:
    """The styled runs of a line of console markup as rich renders it; None where rich must
    read it: a style not in :data:`SGR`, nested tags, a closing tag naming another, ``@``."""
    found: list[Run] = []
    position, style = 0, None
    text: list[str] = []

    def close(sgr: str) -> None:
        found.append(("".join(text).translate(_CONTROL_CODES), sgr))
        text.clear()

    for match in _TAGS.finditer(markup):  # (as plain reads it)
        whole, escapes, tag = match.groups()
        start, end = match.span()
        text.append(markup[position:start].replace("\\[", "["))
        position = end
        if escapes:
            backslashes, escaped = divmod(len(escapes), 2)
            text.append("\\" * backslashes)
            if escaped:
                text.append(whole[len(escapes):])
                continue
        if tag.startswith("/"):
            if style is None or tag[1:].strip() not in ("", style):
                return None
            close(SGR[style])
            style = None
        elif style is not None or tag not in SGR:
            return None
        else:
            close("")
            style = tag
    text.append(markup[position:].replace("\\[", "["))
    close("" if style is None else SGR[style])
    return found


def sgr_lines(pieces: Sequence[Run], width: int | None) -> list[str] | None:
    """``pieces`` (one line's runs) as rich writes them on a terminal ``width`` cells wide
    (None: soft-wrapped): wrapped as :func:`wrapped` wraps them, each run in its SGR
    sequence; None where rich must print them (:func:`wrapped`)."""
    whole = "".join(text for text, _ in pieces)
    bounds = wrapped(whole, width)
    return None if bounds is None else [written(pieces, *b) for b in bounds]


def wrapped(whole: str, width: int | None) -> list[tuple[int, int]] | None:
    """Where rich breaks the line ``whole`` on a terminal ``width`` cells wide (None:
    nowhere): the start and end of each line (rich.text.Text.wrap, justified by default,
    folded: words to the width, trailing whitespace past it cropped); None where rich must
    wrap it: a tab, a new line, a character not one cell wide."""
    try:  # (rich._wrap is not rich's public face: a rich without it prints as it does)
        from rich._wrap import divide_line
        from rich.cells import cell_len
    except ImportError:
        return None
    if "\t" in whole or "\n" in whole or cell_len(whole) != len(whole) \
            or any(cell_len(c) != 1 for c in set(whole) if not " " <= c <= "~"):
        return None
    bounds = [0, len(whole)]
    if width is not None:
        bounds[1:1] = divide_line(whole, width, fold=True)
    lines = []
    for start, end in pairwise(bounds):
        line = whole[start:end]
        if width is not None and len(line) > width:  # (Text.rstrip_end)
            trailing = _TRAILING.search(line)
            end -= min(len(trailing[0]) if trailing else 0, len(line) - width)
            if end - start > width:
                return None
        lines.append((start, end))
    return lines


def written(pieces: Sequence[Run], start: int, end: int) -> str:
    """The characters ``start`` to ``end`` of ``pieces`` (a line's runs) as rich writes them
    on a terminal: each run's part in its SGR sequence (rich.style.Style.render)."""
    written, at = [], 0
    for text, sgr in pieces:
        part = text[max(start - at, 0):max(end - at, 0)]
        at += len(text)
        if part:
            written.append(f"\x1b[{sgr}m{part}\x1b[0m" if sgr else part)
    return "".join(written)
