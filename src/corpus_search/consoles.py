"""The command line's consoles: rich's ``Console``, made when first used, and lines of console
markup printed without it where the output is not a terminal.

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

Imports nothing of ours (rich only when a console is made).
"""

from __future__ import annotations

import builtins
import os
import re
import sys
from collections.abc import Sequence
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

    def piped(self) -> bool:
        """Whether lines of text are printed here without rich: the output is not a terminal
        (nor forced to pass for one), lines are soft-wrapped, and rich is not printing yet."""
        options = self._options
        if self._console is not None or options.get("force_terminal") is not None \
                or options.get("highlight") is not False or options.get("emoji") is not False \
                or any(name in os.environ for name in _TERMINAL_SETTINGS) \
                or "get_ipython" in vars(builtins):  # (rich's Jupyter check)
            return False
        file = self._file()
        if hasattr(file, "rich_proxied_file"):  # (rich's progress bar holds the stream)
            return False
        isatty = getattr(file, "isatty", None)
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
        self.made().print(*objects, **options)

    def print_lines(self, lines: Sequence[str]) -> bool:
        """Write ``lines`` of text (no markup) piped, as rich prints a ``Text`` of each;
        False (nothing written) where rich must print them (not :meth:`piped`, or a tab)."""
        if not self.piped() or any("\t" in line for line in lines):
            return False
        file = self._file()
        file.write("".join(f"{line.translate(_CONTROL_CODES)}\n" for line in lines))
        file.flush()
        return True

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

